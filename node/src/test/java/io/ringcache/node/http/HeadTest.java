package io.ringcache.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A HEAD answers the status and header fields the GET of its path would, Content-Length included (RFC 9110), with
 * no body: also where a resource method's GET answers it, which Quarkus REST does without serializing its JSON.
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
