package io.ringcache.node.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A small origin on 127.0.0.1 for the node under test, and the node configuration pointing at it:
 * group {@code origin} loads from it; {@code tiny} has a 2 KiB budget; values are limited to 64 KiB.
 * Keys: {@code missing} → 404, {@code boom} → 500, {@code slow} → no answer within the load timeout,
 * anything else → 200 "origin:KEY".
 */
public class OriginServer implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;
    private ExecutorService executor;
    private final CountDownLatch stopping = new CountDownLatch(1);

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/items/", exchange -> {
            String key = java.net.URLDecoder.decode(exchange.getRequestURI().getRawPath().substring(7), UTF_8);
            int status = switch (key) {
                case "missing" -> 404;
                case "boom" -> 500;
                default -> 200;
            };
            if (key.equals("slow")) {
                try {
                    stopping.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = ("origin:" + key).getBytes(UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.start();
        String origin = "http://127.0.0.1:" + server.getAddress().getPort() + "/items/{key}";
        return Map.of(
                "ringcache.groups.default.max-bytes", "4M",
                "ringcache.groups.origin.origin", origin,
                "ringcache.groups.origin.load-timeout", "2s",
                "ringcache.groups.tiny.max-bytes", "2K",
                "ringcache.groups.tiny.eviction", "lru2",
                "ringcache.max-value-bytes", "64K");
    }

    @Override
    public void stop() {
        stopping.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
