package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpOriginLoaderTest {

    private static final int MAX_VALUE_BYTES = 1_000;

    private HttpServer origin;
    private final List<String> rawPaths = new CopyOnWriteArrayList<>();
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private final CountDownLatch cutOff = new CountDownLatch(1);
    private final CountDownLatch trickling = new CountDownLatch(1);
    private HttpOriginLoader loader;

    @BeforeEach
    void startOrigin() throws IOException {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/items/", exchange -> {
            String raw = exchange.getRequestURI().getRawPath();
            rawPaths.add(raw);
            String key = raw.substring("/items/".length());
            int status = switch (key) {
                case "missing" -> 404;
                case "boom" -> 500;
                default -> 200;
            };
            if (key.equals("slow")) {
                try {
                    releaseSlow.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (key.equals("endless")) {
                sendEndlessBody(exchange);
                return;
            }
            if (key.equals("trickle")) {
                sendTrickledBody(exchange);
                return;
            }
            if (key.startsWith("stalled-")) {
                sendStalledBody(exchange, Integer.parseInt(key.substring("stalled-".length())));
                return;
            }
            if (key.startsWith("encoded-")) {
                exchange.getResponseHeaders().set("Content-Encoding", key.substring("encoded-".length()));
            }
            byte[] body = key.equals("exactly-the-limit") ? new byte[MAX_VALUE_BYTES]
                    : key.equals("over-the-limit") ? new byte[MAX_VALUE_BYTES + 1]
                    : ("value of " + key).getBytes(UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        // Redirects: /moved/K to /items/K, /loop/K to itself.
        origin.createContext("/moved/", exchange -> redirect(exchange, 301,
                "/items/" + exchange.getRequestURI().getRawPath().substring("/moved/".length())));
        origin.createContext("/loop/", exchange -> redirect(exchange, 302, exchange.getRequestURI().getRawPath()));
        origin.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        origin.start();
        loader = new HttpOriginLoader(HttpClient.newHttpClient(),
                "http://127.0.0.1:" + origin.getAddress().getPort() + "/items/{key}", Duration.ofMillis(300),
                MAX_VALUE_BYTES);
    }

    private void redirect(HttpExchange exchange, int status, String location) throws IOException {
        rawPaths.add(exchange.getRequestURI().getRawPath());
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** A chunked body of up to 64 MiB, cut short when the loader hangs up, which {@link #cutOff} records. */
    private void sendEndlessBody(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        byte[] chunk = new byte[8_192];
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 8_192; i++) {
                out.write(chunk);
            }
        } catch (IOException e) {
            cutOff.countDown();
        } finally {
            exchange.close();
        }
    }

    /** A 200 whose body comes a byte every 20 ms for up to 10 s; {@link #cutOff} records the loader hanging up. */
    private void sendTrickledBody(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 500; i++) {
                out.write('x');
                out.flush();
                trickling.countDown();
                Thread.sleep(20); // the origin's pace: a byte every 20 ms
            }
        } catch (IOException e) {
            cutOff.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    /** The status and the first bytes of a body, then nothing until the test ends. */
    private void sendStalledBody(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write("the start of a page".getBytes(UTF_8));
            out.flush();
            releaseSlow.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    @AfterEach
    void stopOrigin() {
        releaseSlow.countDown();
        origin.stop(0);
    }

    @Test
    void okIsTheValue() throws Exception {
        assertThat(loader.load("apple").get(5, TimeUnit.SECONDS)).hasValueSatisfying(
                v -> assertThat(new String(v, UTF_8)).isEqualTo("value of apple"));
    }

    @Test
    void keyIsUrlEncodedIntoThePath() throws Exception {
        loader.load("a b+c/d%é😀").get(5, TimeUnit.SECONDS);
        assertThat(rawPaths).containsExactly("/items/a%20b%2Bc%2Fd%25%C3%A9%F0%9F%98%80");
    }

    /**
     * {@code .} and {@code ..} are left as they are by URL encoding, and as a whole path segment an HTTP client or
     * server would resolve them away ({@code /items/..} is {@code /}): the origin must be asked for the key itself.
     */
    @Test
    void dotSegmentKeysAreEscapedSoTheOriginSeesTheKeyNotAnotherPath() throws Exception {
        assertThat(loader.load(".").get(5, TimeUnit.SECONDS)).hasValueSatisfying(
                v -> assertThat(new String(v, UTF_8)).isEqualTo("value of %2E"));
        assertThat(loader.load("..").get(5, TimeUnit.SECONDS)).isPresent();
        assertThat(rawPaths).containsExactly("/items/%2E", "/items/%2E%2E");
    }

    /** Only a whole segment of dots is a dot segment: dots beside other characters name no other path. */
    @Test
    void dotsBesideOtherCharactersAreSentAsTheyAre() throws Exception {
        for (String key : new String[] {"...", ".hidden", "file.txt", "trailing.", "a..b", "../etc"}) {
            loader.load(key).get(5, TimeUnit.SECONDS);
        }
        assertThat(rawPaths).containsExactly("/items/...", "/items/.hidden", "/items/file.txt", "/items/trailing.",
                "/items/a..b", "/items/..%2Fetc");
    }

    /** The node's client ({@link HttpOriginLoader#newClient}) follows an origin's redirects, not endlessly. */
    @Test
    void redirectsAreFollowedAndARedirectLoopIsALoadFailure() throws Exception {
        String base = "http://127.0.0.1:" + origin.getAddress().getPort();
        HttpOriginLoader moved = new HttpOriginLoader(HttpOriginLoader.newClient(), base + "/moved/{key}",
                Duration.ofSeconds(2), MAX_VALUE_BYTES);
        assertThat(moved.load("a b").get(5, TimeUnit.SECONDS)).hasValueSatisfying(
                v -> assertThat(new String(v, UTF_8)).isEqualTo("value of a%20b"));
        assertThat(rawPaths).containsExactly("/moved/a%20b", "/items/a%20b");

        rawPaths.clear();
        HttpOriginLoader loop = new HttpOriginLoader(HttpOriginLoader.newClient(), base + "/loop/{key}",
                Duration.ofSeconds(2), MAX_VALUE_BYTES);
        assertThatThrownBy(() -> loop.load("k").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(LoadFailedException.class)
                .hasMessage("origin " + base + "/loop/k answered HTTP 302");
        assertThat(rawPaths).hasSize(5).containsOnly("/loop/k");
    }

    /**
     * The node asks for no encoding; a value sent encoded anyway would be cached and served as its encoded bytes,
     * with nothing to say so (a PUT with a Content-Encoding is refused for the same reason).
     */
    @Test
    void anEncodedValueIsALoadFailureNamingTheEncoding() throws Exception {
        assertThatThrownBy(() -> loader.load("encoded-gzip").join())
                .hasCauseInstanceOf(LoadFailedException.class)
                .hasMessageEndingWith("sent its value with Content-Encoding 'gzip'; the node asks for none and"
                        + " caches values as sent");
        assertThat(loader.load("encoded-identity").get(5, TimeUnit.SECONDS)).hasValueSatisfying(
                v -> assertThat(new String(v, UTF_8)).isEqualTo("value of encoded-identity"));
    }

    @Test
    void notFoundIsEmpty() throws Exception {
        assertThat(loader.load("missing").get(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void otherStatusIsALoadFailureNamingIt() {
        assertThatThrownBy(() -> loader.load("boom").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(LoadFailedException.class).hasMessageEndingWith("answered HTTP 500");
    }

    /** Only a 200's body is the value: for any other status the answer is known from the status line alone. */
    @Test
    void statusOtherThan200IsAnsweredWithoutWaitingForItsBody() throws Exception {
        assertThat(loader.load("stalled-404").get(2, TimeUnit.SECONDS)).isEmpty();
        assertThatThrownBy(() -> loader.load("stalled-503").get(2, TimeUnit.SECONDS))
                .cause().isInstanceOf(LoadFailedException.class).hasMessageEndingWith("answered HTTP 503");
    }

    @Test
    void valueOfExactlyTheLimitIsLoaded() throws Exception {
        assertThat(loader.load("exactly-the-limit").get(5, TimeUnit.SECONDS)).hasValueSatisfying(
                v -> assertThat(v).hasSize(MAX_VALUE_BYTES));
    }

    @Test
    void valueOverTheLimitIsALoadFailureNamingTheLimit() {
        assertThatThrownBy(() -> loader.load("over-the-limit").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(LoadFailedException.class)
                .hasMessageContaining("sent a value over 1000 bytes, the limit (ringcache.max-value-bytes)");
    }

    /** Memory: the loader stops reading once the limit is passed instead of holding the whole body first. */
    @Test
    void endlessBodyIsCutOffAtTheLimit() throws Exception {
        assertThatThrownBy(() -> loader.load("endless").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(LoadFailedException.class).hasMessageContaining("sent a value over 1000 bytes");
        assertThat(cutOff.await(5, TimeUnit.SECONDS)).as("the origin was cut off before its 64 MiB").isTrue();
        assertThat(loader.load("apple").get(5, TimeUnit.SECONDS)).as("the next load").isPresent();
    }

    @Test
    void slowOriginIsALoadTimeout() {
        assertThatThrownBy(() -> loader.load("slow").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(LoadTimeoutException.class).hasMessageContaining("did not answer within 300 ms");
    }

    @Test
    void refusedConnectionIsALoadFailure() throws Exception {
        int port = origin.getAddress().getPort();
        origin.stop(0);
        HttpOriginLoader dead = new HttpOriginLoader(HttpClient.newHttpClient(),
                "http://127.0.0.1:" + port + "/items/{key}", Duration.ofSeconds(2), MAX_VALUE_BYTES);
        assertThatThrownBy(() -> dead.load("k").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(LoadFailedException.class).hasMessageContaining("failed");
    }

    /**
     * A cancelled load hangs up on a body that keeps trickling. The loader here waits 10 s for headers, longer than
     * the body trickles, so only the cancel can close the connection within the 2 s checked.
     */
    @Test
    void cancellingALoadClosesItsConnection() throws Exception {
        HttpOriginLoader patient = new HttpOriginLoader(HttpClient.newHttpClient(),
                "http://127.0.0.1:" + origin.getAddress().getPort() + "/items/{key}", Duration.ofSeconds(10),
                MAX_VALUE_BYTES);
        CompletableFuture<Optional<byte[]>> load = patient.load("trickle");
        assertThat(trickling.await(5, TimeUnit.SECONDS)).as("the origin started its body").isTrue();
        assertThat(load).isNotDone();
        load.cancel(true);
        assertThat(cutOff.await(2, TimeUnit.SECONDS)).as("the origin saw the connection closed").isTrue();
    }

    @Test
    void templateMustBeAnHttpUrlWithAKeyPlaceholder() {
        assertThatThrownBy(() -> HttpOriginLoader.checkTemplate("http://x/items"))
                .hasMessageContaining("has no {key} placeholder");
        assertThatThrownBy(() -> HttpOriginLoader.checkTemplate("file:///tmp/{key}"))
                .hasMessageContaining("not an absolute http or https URL");
        // The JDK client fails every load of such a URL ("port out of range"): refused at start-up instead.
        for (String port : new String[] {"0", "65536", "99999"}) {
            assertThatThrownBy(() -> HttpOriginLoader.checkTemplate("http://origin:" + port + "/items/{key}"))
                    .hasMessage("'http://origin:" + port + "/items/{key}' has port " + port + "; use a port from 1 to 65535");
        }
        HttpOriginLoader.checkTemplate("http://origin:65535/items/{key}");
        HttpOriginLoader.checkTemplate("https://origin.example:8443/v1/{key}?fresh=1");
        HttpOriginLoader.checkTemplate("http://origin/items?id={key}");
        // A client's key must not pick the machine the node fetches from, nor sit in a fragment no request carries.
        for (String outside : new String[] {"http://{key}.origin/items", "http://origin:{key}/items",
            "http://user{key}@origin/items", "http://origin/items#{key}"}) {
            assertThatThrownBy(() -> HttpOriginLoader.checkTemplate(outside))
                    .hasMessage("'" + outside + "' has {key} outside its path and query; a key may choose only the"
                            + " resource, e.g. http://origin:8080/items/{key}");
        }
    }
}
