package io.ringcache.node.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * The resource answers a GET the fast route leaves to it (a trailing slash is one) as the fast route does: the same
     * status, headers (Date aside, in any order) and body.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "/v1/groups/default/keys/greeting",
            "/v1/groups/default/keys/never-written",
            "/v1/groups/default/keys/sl%2Fash",
            "/v1/groups/default/keys/sl%2fash",
            "/v1/groups/default/keys/%FF",
            "/v1/groups/nope/keys/k",
            "/v1/groups/origin/keys/boom",
            "/v1/groups/default/keys/greeting?x=1",
    })
    void theResourceAnswersAsTheFastRouteDoes(String request) throws IOException {
        raw().body("slashed").put("/v1/groups/default/keys/sl%2Fash").then().statusCode(204);
        int query = request.indexOf('?');
        String slashed = query < 0 ? request + "/" : request.substring(0, query) + "/" + request.substring(query);
        assertThat(comparable(get(slashed))).isEqualTo(comparable(get(request)));
    }

    /**
     * Quarkus refuses a request-target that is not a URI before any route runs, so a query string that does not
     * decode is 400 with no body on the fast route as on the resource and every other path (as the README says).
     * Other query parameters mean nothing to a GET on either route: they are ignored.
     */
    @Test
    void aGetsQueryStringIsRefusedOrIgnoredAsTheResourceDoes() throws IOException {
        for (String path : new String[] {"/v1/groups/default/keys/greeting", "/v1/groups/default/keys/greeting/"}) {
            for (String query : new String[] {"x=%ZZ", "x=%", "ttl=%G1"}) {
                assertThat(get(path + "?" + query)).startsWith("HTTP/1.1 400 ")
                        .containsIgnoringCase("\r\ncontent-length: 0\r\n").endsWith("\r\n\r\n");
            }
            raw().get(path + "?x=1&ttl=5").then().statusCode(200).body(equalTo("hello"));
        }
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
        double ok = requests("GET", "200");
        double notFound = requests("GET", "404");
        raw().get("/v1/groups/default/keys/greeting").then().statusCode(200);
        raw().get("/v1/groups/default/keys/never-written").then().statusCode(404);
        raw().get("/v1/groups/nope/keys/k").then().statusCode(404);

        assertThat(requests("GET", "200")).isEqualTo(ok + 1);
        assertThat(requests("GET", "404")).isEqualTo(notFound + 2);
        assertThat(scrape()).doesNotContain("uri=\"/v1/groups/default/keys/");
    }

    /**
     * A key's client errors stay under its template with their status, from the fast route as from the resource:
     * quarkus.micrometer.binder.http-server.suppress4xx-errors moves to {@code UNKNOWN} only a 4xx without a template
     * (a 404 without one is {@code NOT_FOUND} with or without it), and both routes give every key request one.
     */
    @Test
    void clientErrorsAreCountedUnderTheKeyTemplateWithTheirStatus() {
        double missing = requests("GET", "404");
        double invalid = requests("GET", "400");
        double tooLarge = requests("PUT", "413");
        double refused = requests("PUT", "400");
        // Each on the fast route, then (a trailing slash) on the resource.
        raw().get("/v1/groups/default/keys/never-written").then().statusCode(404);
        raw().get("/v1/groups/default/keys/never-written/").then().statusCode(404);
        raw().get("/v1/groups/default/keys/%FF").then().statusCode(400);
        raw().get("/v1/groups/default/keys/%FF/").then().statusCode(400);
        raw().body(new byte[64 * 1024 + 1]).put("/v1/groups/default/keys/big").then().statusCode(413);
        raw().body("v").put("/v1/groups/default/keys/k?tll=60").then().statusCode(400);

        assertThat(requests("GET", "404")).isEqualTo(missing + 2);
        assertThat(requests("GET", "400")).isEqualTo(invalid + 2);
        assertThat(requests("PUT", "413")).isEqualTo(tooLarge + 1);
        assertThat(requests("PUT", "400")).isEqualTo(refused + 1);
        assertThat(scrape()).doesNotContain("uri=\"/v1/groups/default/keys/");
    }

    /** {@code http_server_requests_seconds_count} of {@code method} with {@code status} under the key template. */
    private static double requests(String method, String status) {
        Matcher sample = Pattern.compile("(?m)^http_server_requests_seconds_count\\{method=\"" + method + "\",[^}]*"
                + "status=\"" + status + "\",uri=\"" + Pattern.quote(KeyGetRoute.PATH_TEMPLATE) + "\"} (\\S+)$")
                .matcher(scrape());
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }

    private static String scrape() {
        return raw().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static String get(String path) throws IOException {
        return RawHttp.exchange(RestAssured.port, "GET", path);
    }

    /** The status line, the headers but Date (sorted: their order means nothing), and the body. */
    private static List<String> comparable(String response) {
        int headersEnd = response.indexOf("\r\n\r\n");
        List<String> lines = Arrays.asList(response.substring(0, headersEnd).split("\r\n"));
        List<String> comparable = new ArrayList<>(List.of(lines.get(0)));
        lines.stream().skip(1).filter(line -> !line.regionMatches(true, 0, "date:", 0, 5)).sorted()
                .forEach(comparable::add);
        comparable.add(response.substring(headersEnd + 4));
        return comparable;
    }
}
