package io.ringcache.node.http;

import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.ringcache.node.core.CacheNode;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@WithTestResource(OriginServer.class)
class KeyResourceTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String TYPES = ProblemType.BASE_URI;
    /** The methods a key takes, as every Allow header on a key names them. */
    private static final String[] KEY_METHODS = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"};

    @Inject
    CacheNode node;

    /** Paths are sent exactly as written: the tests do the percent-encoding themselves. */
    private static RequestSpecification raw() {
        return given().urlEncodingEnabled(false);
    }

    private String heldValue(String group, String key) throws Exception {
        return node.groups().get(group).get(key).get(5, TimeUnit.SECONDS)
                .map(b -> new String(b, UTF_8)).orElse(null);
    }

    @Test
    void putThenGetReturnsTheBytesAsOctetStream() {
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        raw().body(value).put("/v1/groups/default/keys/binary").then().statusCode(204);
        byte[] back = raw().get("/v1/groups/default/keys/binary").then().statusCode(200)
                .contentType("application/octet-stream").extract().asByteArray();
        assertThat(back).isEqualTo(value);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "with space   | with%20space",
            "plus+sign    | plus+sign",
            "slash/inside | slash%2Finside",
            "per%cent     | per%25cent",
            "日本語のキー   | %E6%97%A5%E6%9C%AC%E8%AA%9E%E3%81%AE%E3%82%AD%E3%83%BC",
            "emoji😀      | emoji%F0%9F%98%80",
            "a?b#c&d=e    | a%3Fb%23c%26d%3De",
            "semi;colon   | semi%3Bcolon",
            "trailing/    | trailing%2F",
            "../up        | ..%2Fup",
    })
    void anyUtf8KeyRoundTripsByteForByte(String key, String encoded) throws Exception {
        String k = key.strip();
        raw().body(("value of " + k).getBytes(UTF_8)).put("/v1/groups/default/keys/" + encoded.strip())
                .then().statusCode(204);
        assertThat(heldValue("default", k)).isEqualTo("value of " + k);
        raw().get("/v1/groups/default/keys/" + encoded.strip()).then().statusCode(200)
                .body(equalTo("value of " + k));
        raw().delete("/v1/groups/default/keys/" + encoded.strip()).then().statusCode(204);
        assertThat(heldValue("default", k)).isNull();
    }

    @Test
    void unescapedSlashesAreKeptInTheKey() throws Exception {
        raw().body("v").put("/v1/groups/default/keys/a/b/c").then().statusCode(204);
        assertThat(heldValue("default", "a/b/c")).isEqualTo("v");
        raw().get("/v1/groups/default/keys/a%2Fb%2Fc").then().statusCode(200).body(equalTo("v"));
    }

    @Test
    void postAndPatchOnAKeyAre405NamingTheAllowedMethods() {
        for (String method : new String[] {"POST", "PATCH"}) {
            String allow = raw().body("x").when().request(method, "/v1/groups/default/keys/some-key")
                    .then().statusCode(405)
                    .contentType(PROBLEM)
                    .body("status", equalTo(405))
                    .body("detail", containsString("with PUT"))
                    .extract().header("Allow");
            assertThat(methodsIn(allow)).containsExactlyInAnyOrder(KEY_METHODS);
        }
        raw().when().get("/v1/groups/default/keys/some-key").then().statusCode(404);
    }

    /** OPTIONS names the methods a key takes, not the ones declared only to refuse them with 405. */
    @Test
    void optionsOnAKeyNamesExactlyTheMethodsAKeyTakes() {
        for (String key : new String[] {"some-key", "a/b%2Fc"}) {
            String allow = raw().when().options("/v1/groups/default/keys/" + key).then().statusCode(200)
                    .extract().header("Allow");
            assertThat(methodsIn(allow)).containsExactlyInAnyOrder(KEY_METHODS);
        }
    }

    private static List<String> methodsIn(String allow) {
        assertThat(allow).as("the Allow header").isNotNull();
        return Arrays.stream(allow.split(",")).map(String::strip).toList();
    }

    /** HEAD answers with the headers a GET would, Content-Length the value's length included, and no body. */
    @Test
    void headOfAKeyHasTheValuesLengthAndNoBody() throws Exception {
        raw().body("hello, head").put("/v1/groups/default/keys/head-me").then().statusCode(204);
        String response = RawHttp.exchange(RestAssured.port, "HEAD", "/v1/groups/default/keys/head-me");
        assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("\r\ncontent-length: 11\r\n")
                .containsIgnoringCase("\r\ncontent-type: application/octet-stream\r\n").endsWith("\r\n\r\n");
        String loaded = RawHttp.exchange(RestAssured.port, "HEAD", "/v1/groups/origin/keys/heady");
        assertThat(loaded).startsWith("HTTP/1.1 200").containsIgnoringCase("\r\ncontent-length: 12\r\n")
                .endsWith("\r\n\r\n");
        raw().head("/v1/groups/default/keys/never-written").then().statusCode(404);
    }

    @Test
    void missingKeyIs404KeyNotFound() {
        raw().get("/v1/groups/default/keys/never-written").then().statusCode(404).contentType(PROBLEM)
                .body("type", equalTo(TYPES + "key-not-found")).body("status", equalTo(404))
                .body("title", equalTo("Key not found"));
    }

    @Test
    void unknownGroupIs404WithADifferentType() {
        for (String method : new String[] {"GET", "PUT", "DELETE"}) {
            raw().body("v").request(method, "/v1/groups/nope/keys/k").then().statusCode(404).contentType(PROBLEM)
                    .body("type", equalTo(TYPES + "group-not-found"))
                    .body("detail", startsWith("no group 'nope' on this node"));
        }
        // The group is checked first: a PUT to a group that does not exist is 404 whatever else is wrong with it.
        for (String query : new String[] {"tll=60", "ttl=-1", "ttl=60&ttl=60"}) {
            raw().body("v").put("/v1/groups/nope/keys/k?" + query).then().statusCode(404)
                    .body("type", equalTo(TYPES + "group-not-found"));
        }
        raw().header("Content-Encoding", "gzip").body(new byte[] {31, -117, 8, 0}).put("/v1/groups/nope/keys/k")
                .then().statusCode(404).body("type", equalTo(TYPES + "group-not-found"));
    }

    @Test
    void invalidKeysAre400() {
        String tooLong = "k".repeat(1025);
        for (String key : new String[] {"", "%FF%FE", tooLong}) {
            raw().get("/v1/groups/default/keys/" + key).then().statusCode(400).contentType(PROBLEM)
                    .body("type", equalTo(TYPES + "invalid-key"));
            raw().body("v").put("/v1/groups/default/keys/" + key).then().statusCode(400).contentType(PROBLEM);
            raw().delete("/v1/groups/default/keys/" + key).then().statusCode(400).contentType(PROBLEM)
                    .body("type", equalTo(TYPES + "invalid-key"));
            raw().head("/v1/groups/default/keys/" + key).then().statusCode(400);
        }
    }

    /** The HTTP server refuses these request lines itself (400, no body) before any resource runs. */
    @Test
    void malformedEscapesAre400AndChangeNothing() throws Exception {
        long puts = node.groups().get("default").stats().store().puts();
        for (String key : new String[] {"bad%ZZescape", "trailing%2"}) {
            for (String method : new String[] {"GET", "PUT", "DELETE"}) {
                String response = RawHttp.exchange(RestAssured.port, method, "/v1/groups/default/keys/" + key);
                assertThat(response).startsWith("HTTP/1.1 400");
            }
        }
        assertThat(node.groups().get("default").stats().store().puts()).isEqualTo(puts);
    }

    @Test
    void valueOverTheLimitIs413AndNothingIsWritten() throws Exception {
        raw().body("old").put("/v1/groups/default/keys/big").then().statusCode(204);
        raw().body(new byte[64 * 1024 + 1]).put("/v1/groups/default/keys/big").then().statusCode(413)
                .contentType(PROBLEM).body("type", equalTo(TYPES + "value-too-large"))
                .body("detail", equalTo("the value is 65537 bytes; the limit is 65536 (ringcache.max-value-bytes)"));
        assertThat(heldValue("default", "big")).isEqualTo("old");
    }

    @Test
    void entryLargerThanTheGroupBudgetIs413() {
        raw().body(new byte[3000]).put("/v1/groups/tiny/keys/k").then().statusCode(413)
                .body("type", equalTo(TYPES + "value-too-large"))
                .body("detail", startsWith("the entry does not fit group 'tiny'"));
        raw().body(new byte[1500]).put("/v1/groups/tiny/keys/k").then().statusCode(204);
    }

    @Test
    void ttlIsSecondsOrIso8601AndABadOneIs400() {
        raw().body("v").put("/v1/groups/default/keys/ttl-seconds?ttl=60").then().statusCode(204);
        raw().body("v").put("/v1/groups/default/keys/ttl-iso?ttl=PT1M").then().statusCode(204);
        // Under a millisecond the value would be gone as written; the longest would overflow its expiry.
        for (String bad : new String[] {"soon", "0", "-5", "PT-1S", "PT0.0005S", "9223372036854775807", ""}) {
            raw().body("v").put("/v1/groups/default/keys/ttl-bad?ttl=" + bad).then().statusCode(400)
                    .contentType(PROBLEM).body("type", equalTo(TYPES + "invalid-ttl"));
        }
        raw().get("/v1/groups/default/keys/ttl-bad").then().statusCode(404);
        // A TTL given twice is a bad TTL: which one was meant is not the node's to guess.
        for (String query : new String[] {"ttl=60&ttl=-1", "ttl=60&ttl=60"}) {
            raw().body("v").put("/v1/groups/default/keys/ttl-bad?" + query).then().statusCode(400)
                    .contentType(PROBLEM).body("type", equalTo(TYPES + "invalid-ttl"))
                    .body("detail", startsWith("ttl: is given 2 times"));
        }
        raw().get("/v1/groups/default/keys/ttl-bad").then().statusCode(404);
    }

    /** A misspelt ttl would store a value that never expires; an encoded body would be served still encoded. */
    @Test
    void aPutWithAnUnknownQueryParameterOrAnEncodedBodyIsRefusedAndWritesNothing() {
        for (String query : new String[] {"tll=60", "ttl=60&expire=5", "TTL=60"}) {
            raw().body("v").put("/v1/groups/default/keys/strict?" + query).then().statusCode(400)
                    .contentType(PROBLEM).body("type", equalTo("about:blank"))
                    .body("detail", startsWith("unknown query parameter '"));
        }
        raw().header("Content-Encoding", "gzip").body(new byte[] {31, -117, 8, 0})
                .put("/v1/groups/default/keys/strict").then().statusCode(415)
                .contentType(PROBLEM).body("detail", startsWith("Content-Encoding 'gzip' is not supported"));
        raw().get("/v1/groups/default/keys/strict").then().statusCode(404);
        raw().header("Content-Encoding", "identity").body("v").put("/v1/groups/default/keys/strict?ttl=60")
                .then().statusCode(204);
    }

    /**
     * {@code curl --data-binary} sends a form content type: the body is still the value, byte for byte, and its
     * {@code name=value} pairs are not query parameters (the PUT is not refused as having unknown ones).
     */
    @Test
    void aFormEncodedBodyIsStoredAsItsBytes() throws Exception {
        raw().contentType("application/x-www-form-urlencoded").body("a=b&ttl=5&c=d")
                .put("/v1/groups/default/keys/form?ttl=60").then().statusCode(204);
        assertThat(heldValue("default", "form")).isEqualTo("a=b&ttl=5&c=d");
    }

    /** A chunked body has no length to check up front: it is refused once read past the limit, and nothing written. */
    @Test
    void aChunkedValueOverTheLimitIs413AndNothingIsWritten() throws Exception {
        raw().body("old").put("/v1/groups/default/keys/chunked").then().statusCode(204);
        int size = 64 * 1024 + 1;
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /v1/groups/default/keys/chunked HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + Integer.toHexString(size) + "\r\n")
                    .getBytes(UTF_8));
            out.write(new byte[size]);
            out.write("\r\n0\r\n\r\n".getBytes(UTF_8));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), UTF_8);
            assertThat(response).startsWith("HTTP/1.1 413").contains(TYPES + "value-too-large");
        }
        assertThat(heldValue("default", "chunked")).isEqualTo("old");
    }

    /** The HTTP server's own limits, as the README lists them: an empty 414 and 431, nothing written. */
    @Test
    void aRequestLineOrHeadersOverTheServersLimitsAreRefusedByTheServer() throws Exception {
        String longKey = "k".repeat(17 * 1024);
        // Vert.x answers an unparsed request line in HTTP/1.0.
        assertThat(RawHttp.exchange(RestAssured.port, "PUT", "/v1/groups/default/keys/" + longKey))
                .matches("(?s)HTTP/1\\.[01] 414 .*");
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("PUT /v1/groups/default/keys/headers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "X-Filler: " + "x".repeat(21 * 1024) + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(UTF_8));
            assertThat(new String(socket.getInputStream().readAllBytes(), UTF_8)).matches("(?s)HTTP/1\\.[01] 431 .*");
        }
        raw().get("/v1/groups/default/keys/headers").then().statusCode(404);
    }

    /** A query string that does not decode is refused by the HTTP server too (sent raw: clients refuse to). */
    @Test
    void aQueryStringThatDoesNotDecodeIs400AndWritesNothing() throws Exception {
        for (String query : new String[] {"ttl=%", "ttl=%G1"}) {
            String response = RawHttp.exchange(RestAssured.port, "PUT", "/v1/groups/default/keys/ttl-raw?" + query);
            assertThat(response).startsWith("HTTP/1.1 400");
        }
        raw().get("/v1/groups/default/keys/ttl-raw").then().statusCode(404);
    }

    @Test
    void valueIsGoneOnceItsTtlPasses() {
        raw().body("short-lived").put("/v1/groups/default/keys/expiring?ttl=PT0.3S").then().statusCode(204);
        raw().get("/v1/groups/default/keys/expiring").then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                raw().get("/v1/groups/default/keys/expiring").then().statusCode(404).contentType(PROBLEM)
                        .body("type", equalTo(TYPES + "key-not-found")));
    }

    @Test
    void deleteIs204AlsoWhenTheKeyWasAbsent() throws Exception {
        raw().body("v").put("/v1/groups/default/keys/doomed").then().statusCode(204);
        raw().delete("/v1/groups/default/keys/doomed").then().statusCode(204);
        raw().delete("/v1/groups/default/keys/doomed").then().statusCode(204);
        assertThat(heldValue("default", "doomed")).isNull();
    }

    @Test
    void missIsLoadedFromTheOrigin() {
        raw().get("/v1/groups/origin/keys/apple").then().statusCode(200).body(equalTo("origin:apple"));
        raw().get("/v1/groups/origin/keys/a%20b%2Fc").then().statusCode(200).body(equalTo("origin:a b/c"));
    }

    @Test
    void originNotFoundIs404KeyNotFound() {
        raw().get("/v1/groups/origin/keys/missing").then().statusCode(404)
                .body("type", equalTo(TYPES + "key-not-found"));
    }

    @Test
    void originErrorIs502NamingTheStatus() {
        raw().get("/v1/groups/origin/keys/boom").then().statusCode(502).contentType(PROBLEM)
                .body("type", equalTo(TYPES + "load-failed"))
                .body("detail", org.hamcrest.Matchers.endsWith("answered HTTP 500"));
    }

    @Test
    void slowOriginIs504() {
        raw().get("/v1/groups/origin/keys/slow").then().statusCode(504).contentType(PROBLEM)
                .body("type", equalTo(TYPES + "load-timeout"));
    }

    @Test
    void unknownRouteIsAProblemToo() {
        raw().get("/v1/nothing-here").then().statusCode(404).contentType(PROBLEM)
                .body("type", equalTo("about:blank"));
    }

    @Test
    void groupsListsConfigurationAndStats() {
        raw().body("v").put("/v1/groups/tiny/keys/counted").then().statusCode(204);
        raw().get("/v1/groups/tiny/keys/counted").then().statusCode(200);
        raw().get("/v1/groups").then().statusCode(200).contentType("application/json")
                .body("groups.name", org.hamcrest.Matchers.hasItems("default", "origin", "tiny"))
                .body("groups.find { it.name == 'tiny' }.maxBytes", equalTo(2048))
                .body("groups.find { it.name == 'tiny' }.eviction", equalTo("lru2"))
                .body("groups.find { it.name == 'origin' }.loadTimeout", equalTo("2s"))
                .body("groups.find { it.name == 'origin' }.origin", org.hamcrest.Matchers.endsWith("/items/{key}"))
                .body("groups.find { it.name == 'tiny' }.stats.hits", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("groups.find { it.name == 'tiny' }.stats.entries", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
    }

    @Test
    void metricsCountLoadsAndLoadErrorsOfEachGroup() {
        double loads = metric("loads_total", "origin");
        double loadErrors = metric("load_errors_total", "origin");
        double misses = metric("misses_total", "origin");
        raw().get("/v1/groups/origin/keys/metric-" + System.nanoTime()).then().statusCode(200);
        raw().get("/v1/groups/origin/keys/boom").then().statusCode(502);

        assertThat(metric("loads_total", "origin")).isEqualTo(loads + 2);
        assertThat(metric("load_errors_total", "origin")).isEqualTo(loadErrors + 1);
        assertThat(metric("misses_total", "origin")).isEqualTo(misses + 2);
        assertThat(metric("entries", "origin")).isPositive();
    }

    /** The value of {@code ringcache_group_<name>{group="<group>"}} in a fresh scrape of /q/metrics. */
    private static double metric(String name, String group) {
        String metrics = raw().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher sample = Pattern.compile("(?m)^ringcache_group_" + name + "\\{group=\"" + group + "\"[^}]*} (\\S+)$")
                .matcher(metrics);
        assertThat(sample.find()).as("ringcache_group_%s of group %s is exported", name, group).isTrue();
        return Double.parseDouble(sample.group(1));
    }

    @Test
    void healthAndMetricsAreServed() {
        raw().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        raw().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem("ringcache-node"));
        raw().body("v").put("/v1/groups/default/keys/metered").then().statusCode(204);
        raw().get("/v1/groups/default/keys/metered").then().statusCode(200);
        String metrics = raw().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : new String[] {"gets_total", "hits_total", "misses_total", "loads_total", "load_errors_total",
                "evictions_total", "expirations_total", "bytes", "entries"}) {
            assertThat(metrics)
                    .containsPattern("(?m)^ringcache_group_" + name + "\\{group=\"default\"[^}]*} [0-9.E]+$");
        }
        assertThat(Optional.of(metrics)).hasValueSatisfying(m -> assertThat(m).contains("group=\"origin\""));
        for (String name : new String[] {"peer_forwarded_total", "peer_served_total", "peer_unreachable_total",
                "last_resort_loads_total", "backup_failures_total", "backup_repaired_total", "backup_repairs_pending",
                "backup_repairs_dropped_total",
                "hot_hits_total", "hot_invalidations_sent_total",
                "hot_invalidations_received_total", "hot_copies", "hints_pending", "hints_delivered_total",
                "hints_dropped_total", "writes_outcome_unknown_total"}) {
            assertThat(metrics)
                    .containsPattern("(?m)^ringcache_group_" + name + "\\{group=\"default\"[^}]*} [0-9.E]+$");
        }
        assertThat(metrics).containsPattern("(?m)^ringcache_ring_members [0-9.E]+$")
                .containsPattern("(?m)^ringcache_ring_changes_total [0-9.E]+$")
                .containsPattern("(?m)^ringcache_handoff_entries_sent_total [0-9.E]+$")
                .containsPattern("(?m)^ringcache_handoff_entries_pending [0-9.E]+$")
                .containsPattern("(?m)^ringcache_handoff_entries_received_total [0-9.E]+$")
                .containsPattern("(?m)^ringcache_handoff_entries_refused_total [0-9.E]+$")
                .containsPattern("(?m)^ringcache_handoff_entries_received_refused_total [0-9.E]+$")
                .containsPattern("(?m)^ringcache_peer_connections_closed_bad_input_total [0-9.E]+$")
                .containsPattern("(?m)^ringcache_peer_calls_unsent_write_buffer_full_total [0-9.E]+$")
                .containsPattern("(?m)^ringcache_peer_calls_unsupported_total [0-9.E]+$")
                .containsPattern("(?m)^ringcache_peer_requests_unsupported_total [0-9.E]+$")
                .containsPattern("(?m)^ringcache_peer_reads_paused_requests_in_progress_total [0-9.E]+$");
    }
}
