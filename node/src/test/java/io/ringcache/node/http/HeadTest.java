package io.ringcache.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A HEAD answers the status and header fields the GET of its path would, Content-Length included (RFC 9110), with
 * no body: also where a resource method's GET answers it, which Quarkus REST does without serializing its JSON, and
 * on the health and metrics paths, whose extensions write the GET's body, which {@link ExtensionHeadWithoutContent}
 * drops, giving the HEAD its length ({@link ContentlessResponse}), over HTTP/1.1 and HTTP/2 alike.
 */
@QuarkusTest
class HeadTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "/v1/groups",
            "/v1/cluster",
            "/v1/cluster/owners/k",
            "/v1/cluster/owners/a%2Fb",
            "/v1/cluster/owners/%FF",
            "/v1/groups/default/keys/never-written",
            "/v1/groups/nope/keys/k",
            "/v1/groups/default/keys/%FF",
            "/q/health",
            "/q/health/live",
            "/q/health/ready",
            "/q/health/started",
            "/q/health/well",
            "/q/health/group/x",
            "/q/health/x",
    })
    void headAnswersTheGetsStatusContentLengthAndTypeWithoutABody(String path) throws IOException {
        Response get = Response.parse(RawHttp.exchange(RestAssured.port, "GET", path));
        Response head = Response.parse(RawHttp.exchange(RestAssured.port, "HEAD", path));
        assertThat(get.header("Content-Length")).as("the GET's Content-Length").isEqualTo(get.bodyLength());
        assertThat(head.statusLine()).isEqualTo(get.statusLine());
        assertThat(head.header("Content-Length")).as("the HEAD's Content-Length")
                .isEqualTo(get.header("Content-Length"));
        assertThat(head.header("Content-Type")).isEqualTo(get.header("Content-Type"));
        assertThat(head.bodyLength()).as("the HEAD's body length").isEqualTo("0");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/q/metrics", "/q/metrics/x"})
    void headOnMetricsCarriesTheScrapesContentLengthWithoutABody(String path) throws IOException {
        Response get = Response.parse(RawHttp.exchange(RestAssured.port, "GET", path));
        Response head = Response.parse(RawHttp.exchange(RestAssured.port, "HEAD", path));
        assertThat(head.statusLine()).isEqualTo(get.statusLine());
        assertCarriesTheGetsContentLength(path, head.header("Content-Length"), get.header("Content-Length"));
        assertThat(head.bodyLength()).as("the HEAD's body length").isEqualTo("0");
    }

    /**
     * Over HTTP/2 (h2c) Vert.x sends whatever content a route ends a HEAD's response with, in DATA frames: the health
     * and metrics extensions end it with the GET's body. RFC 9110 (9.3.2) and RFC 9113 (8.1) allow no content in the
     * answer to a HEAD, on the request that upgrades the connection to HTTP/2 (stream 1) as on any stream after it;
     * RFC 9110 asks that it carry the GET's header fields, Content-Length included, which Vert.x counts for a GET only.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "/q/health",
            "/q/health/live",
            "/q/metrics",
            "/v1/groups",
            "/v1/cluster",
            "/v1/groups/default/keys/k",
    })
    void headOverHttp2AnswersTheGetsStatusAndContentLengthWithoutContent(String path)
            throws IOException, InterruptedException {
        RestAssured.given().body("v").put("/v1/groups/default/keys/k").then().statusCode(204);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path))
                .timeout(Duration.ofSeconds(5));
        HttpRequest head = request.method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<byte[]> upgrading = client.send(head, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> get = client.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> onHttp2 = client.send(head, HttpResponse.BodyHandlers.ofByteArray());
        for (HttpResponse<byte[]> response : List.of(upgrading, get, onHttp2)) {
            assertThat(response.version()).as("the version of %s", response).isEqualTo(HttpClient.Version.HTTP_2);
        }
        assertThat(get.body()).as("the GET's content").isNotEmpty();
        // The GET's shows that the client hands an HTTP/2 answer's Content-Length on to the test rather than hiding it.
        String getLength = get.headers().firstValue("Content-Length").orElse(null);
        assertThat(getLength).as("the GET's Content-Length").isEqualTo(String.valueOf(get.body().length));
        for (HttpResponse<byte[]> response : List.of(upgrading, onHttp2)) {
            assertThat(response.statusCode()).as("the status of %s", response).isEqualTo(get.statusCode());
            assertThat(response.body().length).as("the bytes of content in %s", response).isZero();
            assertCarriesTheGetsContentLength(path, response.headers().firstValue("Content-Length").orElse(null),
                    getLength);
        }
    }

    /**
     * The HEAD's Content-Length is the GET's. A metrics scrape changes between two requests (memory and thread gauges,
     * uptime), so there the HEAD's count may differ from the GET's by a few digits: it must be there, and near it.
     */
    private static void assertCarriesTheGetsContentLength(String path, String headLength, String getLength) {
        assertThat(headLength).as("the HEAD's Content-Length").isNotNull();
        if (path.startsWith("/q/metrics")) {
            int scraped = Integer.parseInt(getLength);
            assertThat(Integer.parseInt(headLength)).as("the HEAD's Content-Length")
                    .isBetween(scraped * 98 / 100, scraped * 102 / 100);
        } else {
            assertThat(headLength).as("the HEAD's Content-Length").isEqualTo(getLength);
        }
    }

    /** A response as {@link RawHttp} reads it whole. */
    private record Response(String head, String body) {

        static Response parse(String response) {
            int end = response.indexOf("\r\n\r\n");
            assertThat(end).as("the end of the headers in%n%s", response).isPositive();
            return new Response(response.substring(0, end + 2), response.substring(end + 4));
        }

        String statusLine() {
            return head.substring(0, head.indexOf("\r\n"));
        }

        /** The value of the header {@code name}, or null. */
        String header(String name) {
            Matcher value = Pattern.compile("(?i)\r\n" + Pattern.quote(name) + ": ([^\r]*)\r\n").matcher(head);
            return value.find() ? value.group(1) : null;
        }

        /** The body's length in bytes (as text, to compare with a header's). */
        String bodyLength() {
            return String.valueOf(body.getBytes(StandardCharsets.UTF_8).length);
        }
    }
}
