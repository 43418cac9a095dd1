package io.ringcache.node.resp;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP origin on 127.0.0.1 whose answers the test gives: a request for a key waits until the test calls
 * {@link #answer} (a value), {@link #notFound} or {@link #fail} for it, at most 20 seconds.
 */
final class ControlledOrigin implements AutoCloseable {

    /** What each key's request answers with: status and body. */
    private record Answer(int status, byte[] body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<String, CompletableFuture<Answer>> answers = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> requested = new ConcurrentHashMap<>();

    ControlledOrigin() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/keys/", exchange -> {
            String key = URLDecoder.decode(exchange.getRequestURI().getRawPath().substring("/keys/".length()), UTF_8);
            requestedFuture(key).complete(null);
            Answer answer;
            try {
                answer = answerFuture(key).get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                answer = new Answer(500, "the test gave no answer".getBytes(UTF_8));
            }
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
            exchange.close();
        });
        server.setExecutor(executor);
        server.start();
    }

    /** The URL template a group loads from. */
    String template() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/keys/{key}";
    }

    /** Completes once the origin has been asked for {@code key}. */
    CompletableFuture<Void> requested(String key) {
        return requestedFuture(key);
    }

    void answer(String key, String value) {
        answerFuture(key).complete(new Answer(200, value.getBytes(UTF_8)));
    }

    void notFound(String key) {
        answerFuture(key).complete(new Answer(404, new byte[0]));
    }

    void fail(String key, int status) {
        answerFuture(key).complete(new Answer(status, ("origin failed with " + status).getBytes(UTF_8)));
    }

    private CompletableFuture<Answer> answerFuture(String key) {
        return answers.computeIfAbsent(key, k -> new CompletableFuture<>());
    }

    private CompletableFuture<Void> requestedFuture(String key) {
        return requested.computeIfAbsent(key, k -> new CompletableFuture<>());
    }

    @Override
    public void close() {
        answers.values().forEach(a -> a.complete(new Answer(503, new byte[0])));
        server.stop(0);
        executor.shutdownNow();
    }
}
