package io.ringcache.node.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link KeyGetRoute} adds to {@link KeyResourceTest}: the same answers in the same shape, paths it leaves to
 * the resource answered as before, and HTTP metrics under the resource's {@code uri}.
 */
@QuarkusTest
@WithTestResource(OriginServer.class)
class KeyGetRouteTest {

    private static final String TYPES = ProblemType.BASE_URI;

    private static RequestSpecification raw() {
        return given().urlEncodingEnabled(false);
    }

    @BeforeEach
    void writeGreeting() {
        raw().body("hello").put("/v1/groups/default/keys/greeting").then().statusCode(204);
    }

    @Test
    void aValueIsAnsweredWithItsLengthAndOctetStream() {
        raw().get("/v1/groups/default/keys/greeting").then().statusCode(200)
                .header("Content-Length", "5").contentType("application/octet-stream").body(equalTo("hello"));
    }

    @Test
    void aProblemIsTheWholeProblemJsonWithItsLength() {
        String expected = "{\"type\":\"" + TYPES + "key-not-found\",\"title\":\"Key not found\",\"status\":404,"
                + "\"detail\":\"group 'default' has no such key\"}";
        raw().get("/v1/groups/default/keys/never-written").then().statusCode(404)
                .header("Content-Length", String.valueOf(expected.length())).contentType(Problem.MEDIA_TYPE)
                .body(equalTo(expected));
    }

    @Test
    void pathsLeftToTheResourceAnswerAsBefore() {
        raw().get("/v1/groups/default/keys/greeting/").then().statusCode(200).body(equalTo("hello"));
        raw().get("/v1/groups/def%61ult/keys/greeting").then().statusCode(200).body(equalTo("hello"));
        raw().get("/v1/groups/default/keys/x/../greeting").then().statusCode(200).body(equalTo("hello"));
        raw().get("/v1/groups/default/keys/;m=1").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(TYPES + "invalid-key"));
        raw().get("/v1/groups/a%2Fb/keys/k").then().statusCode(404)
                .body("detail", startsWith("no group 'a/b' on this node"));
        raw().get("/v1/groups//keys/k").then().statusCode(404).body("type", equalTo("about:blank"));
    }

    @Test
    void headIsStillAnsweredByTheResource() {
        raw().head("/v1/groups/default/keys/greeting").then().statusCode(200)
                .contentType("application/octet-stream").body(emptyString());
        raw().head("/v1/groups/default/keys/never-written").then().statusCode(404);
    }

    @Test
    void aValueLoadedOnAnotherThreadIsAnsweredOnTheRequestsLoop() {
        String key = "loaded-" + System.nanoTime();
        raw().get("/v1/groups/origin/keys/" + key).then().statusCode(200).body(equalTo("origin:" + key));
        raw().get("/v1/groups/origin/keys/boom").then().statusCode(502).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(TYPES + "load-failed"));
    }

    @Test
    void requestsAreCountedUnderTheResourcesUriTemplate() {
        double ok = requests("200");
        double notFound = requests("404");
        raw().get("/v1/groups/default/keys/greeting").then().statusCode(200);
        raw().get("/v1/groups/default/keys/never-written").then().statusCode(404);
        raw().get("/v1/groups/nope/keys/k").then().statusCode(404);

        assertThat(requests("200")).isEqualTo(ok + 1);
        assertThat(requests("404")).isEqualTo(notFound + 2);
        assertThat(scrape()).doesNotContain("uri=\"/v1/groups/default/keys/");
    }

    /** {@code http_server_requests_seconds_count} of GETs with {@code status} under the key template. */
    private static double requests(String status) {
        Matcher sample = Pattern.compile("(?m)^http_server_requests_seconds_count\\{method=\"GET\",[^}]*status=\""
                + status + "\",uri=\"" + Pattern.quote(KeyGetRoute.PATH_TEMPLATE) + "\"} (\\S+)$").matcher(scrape());
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }

    private static String scrape() {
        return raw().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
