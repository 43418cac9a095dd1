package io.ringcache.node.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.ringcache.node.core.CacheNode;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ClusterResourceTest {

    @Inject
    CacheNode node;

    @Test
    void aNodeAloneIsItsWholeRingAndReady() {
        String self = node.membership().self();
        given().get("/v1/cluster").then().statusCode(200)
                .body("self", equalTo(self))
                .body("leaving", equalTo(false))
                .body("inRing", equalTo(true))
                .body("members", hasSize(1))
                .body("members[0].id", equalTo(self))
                .body("members[0].state", equalTo("self"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks[0].data.self", equalTo(self));
    }

    @Test
    void membersThatDoNotAnswerAreReportedUnreachableWithWhy() {
        String self = node.membership().self();
        node.membership().update(List.of(self, "127.0.0.1:1", "127.0.0.1:2"));
        try {
            given().get("/v1/cluster").then().statusCode(200)
                    .body("members", hasSize(3))
                    .body("members.find { it.id == '127.0.0.1:1' }.state", equalTo("unreachable"))
                    .body("members.find { it.id == '127.0.0.1:1' }.error", notNullValue());
            // A plain group's key whose owners cannot be reached: 503 with its own problem type.
            String key = keyHeldElsewhere();
            given().get("/v1/groups/default/keys/" + key).then().statusCode(503)
                    .contentType("application/problem+json")
                    .body("type", equalTo(ProblemType.BASE_URI + "owner-unavailable"));
        } finally {
            node.membership().update(List.of(self));
        }
    }

    @Test
    void ownersOfAKeyAreListedOwnerFirst() {
        String self = node.membership().self();
        given().urlEncodingEnabled(false).get("/v1/cluster/owners/a%2Fkey%20with%20space").then().statusCode(200)
                .body("key", equalTo("a/key with space"))
                .body("owners", hasSize(1))
                .body("owners[0]", equalTo(self));
    }

    @Test
    void ownersOfAKeyNoKeyEndpointTakesIs400() {
        for (String key : new String[] {"", "k".repeat(1025), "%FF%FE"}) {
            given().urlEncodingEnabled(false).get("/v1/cluster/owners/" + key).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo(ProblemType.BASE_URI + "invalid-key"));
        }
    }

    /** A key whose owner and first fallback are both other members. */
    private String keyHeldElsewhere() {
        for (int i = 0; ; i++) {
            if (!node.membership().ring().owners("k" + i, 2).contains(node.membership().self())) {
                return "k" + i;
            }
        }
    }
}
