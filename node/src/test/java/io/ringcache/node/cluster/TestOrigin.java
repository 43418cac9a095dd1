package io.ringcache.node.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP origin on 127.0.0.1 that records every key it is asked for. Keys starting with {@code missing}
 * answer 404; keys starting with {@code slow} answer after {@code slowMillis}; others 200 "origin:KEY".
 */
final class TestOrigin implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final List<String> requestedKeys = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    TestOrigin(long slowMillis) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/items/", exchange -> {
            String key = URLDecoder.decode(exchange.getRequestURI().getRawPath().substring("/items/".length()), UTF_8);
            requestedKeys.add(key);
            if (key.startsWith("slow")) {
                try {
                    closing.await(slowMillis, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = key.startsWith("missing") ? 404 : 200;
            byte[] body = ("origin:" + key).getBytes(UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(executor);
        server.start();
    }

    /** The URL template a group loads from. */
    String template() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/items/{key}";
    }

    /** Every key requested so far, in order, decoded. */
    List<String> requestedKeys() {
        return List.copyOf(requestedKeys);
    }

    long requestsFor(String key) {
        return requestedKeys.stream().filter(key::equals).count();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
