package io.ringcache.node.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyString;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A method a path does not take is a 405 problem whose Allow header names the methods the path does take, as RFC 9110
 * requires and as OPTIONS names them: also where Quarkus REST, not a resource method, refuses the method, and on the
 * paths the health and metrics extensions serve.
 */
@QuarkusTest
class MethodNotAllowedTest {

    private static final Pattern ALLOW = Pattern.compile("(?i)\r\nallow: ([^\r]*)\r\n");

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "POST,   /v1/groups",
            "DELETE, /v1/groups/",
            "PUT,    /v1/cluster",
            "PATCH,  /v1/cluster/owners/k",
            "DELETE, /v1/cluster/owners/a%2Fb",
            "TRACE,  /v1/groups",
            "FOO,    /v1/cluster",
            "TRACE,  /v1/groups/default/keys/../../../cluster",
    })
    void aPathThatOnlyReadsNamesGetHeadAndOptions(String method, String path) throws IOException {
        assertThat(allowOf405(method, path)).containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS")
                .containsExactlyInAnyOrderElementsOf(allowOfOptions(path));
    }

    /** Quarkus REST answered these 404, as if the key were no resource, where POST and PATCH were 405. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "TRACE,    /v1/groups/default/keys/k",
            "PROPFIND, /v1/groups/default/keys/a/b%2Fc",
            "FOO,      /v1/groups/default/keys/",
            "POST,     /v1/groups/default/keys/k",
            "TRACE,    /v1/groups/default/x/../keys/k",
    })
    void aKeyNamesTheMethodsAKeyTakes(String method, String path) throws IOException {
        assertThat(allowOf405(method, path)).containsExactlyInAnyOrder("GET", "HEAD", "PUT", "DELETE", "OPTIONS")
                .containsExactlyInAnyOrderElementsOf(allowOfOptions(path));
    }

    /**
     * Quarkus REST matches the path with its dot segments removed: a path sent as a key's that is none once they are
     * removed is no resource, whatever the method.
     */
    @Test
    void aPathThatIsAKeysOnlyAsSentIsNotFound() throws IOException {
        assertThat(RawHttp.exchange(RestAssured.port, "TRACE", "/v1/groups/default/keys/../../../nope"))
                .startsWith("HTTP/1.1 404 ").doesNotContainIgnoringCase("\r\nallow:");
    }

    /**
     * The health and metrics extensions answered any method as a GET, and OPTIONS with a GET's body: these paths
     * only read, as {@code /v1/groups} does.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "POST,   /q/health",
            "PUT,    /q/health/live",
            "DELETE, /q/health/ready",
            "PATCH,  /q/health/started",
            "POST,   /q/health/ready/",
            "POST,   /q/health/well",
            "PUT,    /q/health/group/x",
            "POST,   /q/health/x/../live",
            "PUT,    /q/metrics",
            "DELETE, /q/metrics",
            "TRACE,  /q/metrics",
            "POST,   /q/metrics/x",
    })
    void healthAndMetricsNameGetHeadAndOptions(String method, String path) throws IOException {
        assertThat(allowOf405(method, path)).containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS")
                .containsExactlyInAnyOrderElementsOf(allowOfOptions(path));
    }

    /**
     * A path under /q/health/ that the health extension does not serve was a 405 where its GET was a 404: it is no
     * resource, whatever the method, and OPTIONS names no methods for it.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "POST,    /q/health/x",
            "PUT,     /q/health/live/x",
            "DELETE,  /q/health/wellness",
            "PATCH,   /q/health/live;x",
            "TRACE,   /q/health/ready.json",
            "OPTIONS, /q/health/x",
            "POST,    /q/healthz",
            "POST,    /q/metrics;x",
    })
    void aPathTheExtensionsDoNotServeIsNotFoundWhateverTheMethod(String method, String path) throws IOException {
        assertThat(RawHttp.exchange(RestAssured.port, "GET", path)).as("the GET").startsWith("HTTP/1.1 404 ");
        assertThat(RawHttp.exchange(RestAssured.port, method, path)).startsWith("HTTP/1.1 404 ")
                .doesNotContainIgnoringCase("\r\nallow:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/health", "/q/health/live", "/q/health/ready", "/q/metrics"})
    void healthAndMetricsStillAnswerGetAndHead(String path) {
        String body = given().get(path).then().statusCode(200).extract().asString();
        assertThat(body).contains(path.equals("/q/metrics") ? "# TYPE" : "\"status\"");
        given().head(path).then().statusCode(200);
    }

    @Test
    void optionsOnHealthHasNoBody() {
        given().options("/q/health/ready").then().statusCode(200).body(emptyString());
    }

    /** Not under its path (no resource method gives it a template): that would be a series per key a client sent. */
    @Test
    void aRefusedMethodIsNotCountedUnderItsPath() throws IOException {
        for (String path : new String[] {"/v1/groups/default/keys/counted-405", "/v1/cluster/owners/counted-405",
                "/q/health/group/counted-405", "/q/metrics/counted-405"}) {
            assertThat(RawHttp.exchange(RestAssured.port, "TRACE", path)).startsWith("HTTP/1.1 405 ");
        }
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("status=\"405\"").doesNotContain("counted-405").doesNotContain("uri=\"/q/");
    }

    /**
     * Under the path template of the resource that answered it: Quarkus REST answered OPTIONS itself where no resource
     * method took it, with no template, so a key under /v1/cluster/owners/ sent was a series of its own.
     */
    @Test
    void optionsIsCountedUnderItsPathTemplate() throws IOException {
        for (String path : new String[] {"/v1/cluster/owners/counted-options", "/v1/cluster/counted-options/..",
                "/v1/groups/counted-options/.."}) {
            assertThat(RawHttp.exchange(RestAssured.port, "OPTIONS", path)).startsWith("HTTP/1.1 200 ");
        }
        String counted = "{method=\"OPTIONS\",outcome=\"SUCCESS\",status=\"200\",uri=";
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains(counted + "\"/v1/cluster/owners/{key: .*}\"}", counted + "\"/v1/cluster\"}",
                        counted + "\"/v1/groups\"}")
                .doesNotContain("counted-options");
    }

    /** The methods named by the Allow header of {@code method path}, which must be a 405 problem. */
    private static List<String> allowOf405(String method, String path) throws IOException {
        String response = RawHttp.exchange(RestAssured.port, method, path);
        assertThat(response).startsWith("HTTP/1.1 405 ")
                .containsIgnoringCase("\r\ncontent-type: " + Problem.MEDIA_TYPE + "\r\n").contains("\"status\":405");
        Matcher allow = ALLOW.matcher(response);
        assertThat(allow.find()).as("an Allow header in%n%s", response).isTrue();
        return methodsIn(allow.group(1));
    }

    private static List<String> allowOfOptions(String path) {
        return methodsIn(given().urlEncodingEnabled(false).options(path).then().statusCode(200)
                .extract().header("Allow"));
    }

    private static List<String> methodsIn(String allow) {
        return Arrays.stream(allow.split(",")).map(String::strip).toList();
    }
}
