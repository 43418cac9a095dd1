package io.ringcache.node.discovery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ListMetaBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceListBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An API server on 127.0.0.1 that answers every list of EndpointSlices with the slices it was last given and
 * accepts every watch request without ever answering it, as one whose host was lost between a list and the
 * watch's handshake looks to its client. The fake has no CRUD mode: a watch that never starts needs a server
 * that holds the request, which the Fabric8 mock server cannot do without blocking its event loop.
 */
final class UnansweredWatchApiServer implements AutoCloseable {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "unanswered-watch-api-server");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger lists = new AtomicInteger();
    private final AtomicInteger watches = new AtomicInteger();
    private volatile List<EndpointSlice> slices = List.of();

    UnansweredWatchApiServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(handlers);
        server.createContext("/", this::answer);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** What every later list returns. */
    void list(EndpointSlice... slices) {
        this.slices = List.of(slices);
    }

    int lists() {
        return lists.get();
    }

    int watches() {
        return watches.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestURI().getQuery() != null && exchange.getRequestURI().getQuery().contains("watch=true")) {
                watches.incrementAndGet();
                closed.await(30, TimeUnit.SECONDS);
                return;
            }
            lists.incrementAndGet();
            byte[] body = JSON.asJson(new EndpointSliceListBuilder().withMetadata(new ListMetaBuilder().withResourceVersion("1").build())
                    .withItems(slices).build()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}
