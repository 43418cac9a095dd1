package io.ringcache.node.discovery;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Fabric8 mock API server in CRUD mode on 127.0.0.1 and a free port, playing the EndpointSlice controller
 * for tests. It can refuse EndpointSlice reads with 403 (a missing Role) and close every open watch from the
 * server side, as an API server does when it restarts or a watch times out.
 */
public final class FakeApiServer implements AutoCloseable {

    public static final String NAMESPACE = "cache";
    static final String SERVICE_ACCOUNT = "system:serviceaccount:cache:demo-node";

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final SliceDispatcher dispatcher = new SliceDispatcher();
    private final KubernetesMockServer server =
            new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    private final KubernetesClient client;

    public FakeApiServer() {
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
    }

    /** The test's own client, playing the EndpointSlice controller; never refused. */
    KubernetesClient client() {
        return client;
    }

    /** A new client for a node under test; the caller closes it. */
    KubernetesClient newNodeClient() {
        return server.createClient();
    }

    public String url() {
        return client.getMasterUrl().toString();
    }

    /** While true, every read (list, watch, get) of EndpointSlices is answered 403 Forbidden, as without the Role. */
    public void forbidSliceReads(boolean forbidden) {
        dispatcher.forbidden = forbidden;
    }

    /** While true, every watch of EndpointSlices is answered 403 Forbidden, as with a Role granting get and list only. */
    void forbidSliceWatches(boolean forbidden) {
        dispatcher.watchForbidden = forbidden;
    }

    /**
     * While true, every new watch of EndpointSlices is accepted and then stays silent: no event, no close, as a
     * watch whose connection died without a reset (the API server's host lost) looks to its client.
     */
    void silenceWatches(boolean silent) {
        dispatcher.watchSilent = silent;
    }

    /** Slice reads refused so far. */
    public int forbiddenReads() {
        return dispatcher.refused.get();
    }

    /** Watch connections opened so far. */
    public int watchesOpened() {
        return dispatcher.watchesOpened.get();
    }

    /** Watch connections open now. */
    int openWatches() {
        return dispatcher.openWatches.size();
    }

    /** Closes every open watch from the server's side; returns how many were open. */
    public int closeOpenWatches() {
        List<WebSocket> open = List.copyOf(dispatcher.openWatches);
        open.forEach(ws -> ws.close(1000, "watch closed by the test server"));
        return open.size();
    }

    /**
     * Ends every open watch as an API server does when the watch's resource version was compacted away: an
     * {@code ERROR} event carrying a {@code 410 Gone} status, then the close. Returns how many were open.
     */
    int expireOpenWatches() {
        List<WebSocket> open = List.copyOf(dispatcher.openWatches);
        String gone = "{\"type\":\"ERROR\",\"object\":" + JSON.asJson(new StatusBuilder().withStatus("Failure")
                .withReason("Expired").withCode(410).withMessage("too old resource version: 1 (42)").build()) + "}";
        for (WebSocket ws : open) {
            ws.send(gone);
            ws.close(1000, "watch expired");
        }
        return open.size();
    }

    /** Creates or replaces a slice in {@link #NAMESPACE}. */
    public void apply(EndpointSlice slice) {
        client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).resource(slice).createOr(s -> s.update());
    }

    public void delete(String sliceName) {
        client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).withName(sliceName).delete();
    }

    /** A slice of {@code service}, its peer port {@code port}, with the given endpoints. */
    public static EndpointSliceBuilder slice(String name, String service, int port, EndpointBuilder... endpoints) {
        EndpointSliceBuilder builder = new EndpointSliceBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .addToLabels(SliceQuery.SERVICE_NAME_LABEL, service).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("peer").withPort(port).withProtocol("TCP").endPort();
        for (EndpointBuilder endpoint : endpoints) {
            builder.addToEndpoints(endpoint.build());
        }
        return builder;
    }

    /** An endpoint with the EndpointSlice controller's three conditions. */
    public static EndpointBuilder endpoint(String ip, boolean ready, boolean terminating) {
        return new EndpointBuilder().withAddresses(ip)
                .withNewConditions().withReady(ready).withServing(ready || terminating).withTerminating(terminating)
                .endConditions();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }

    /** CRUD for everything, except refused slice reads while forbidden; keeps hold of open watches. */
    private static final class SliceDispatcher extends Dispatcher {

        private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
        private final Set<WebSocket> openWatches = ConcurrentHashMap.newKeySet();
        private final AtomicInteger refused = new AtomicInteger();
        private final AtomicInteger watchesOpened = new AtomicInteger();
        private volatile boolean forbidden;
        private volatile boolean watchForbidden;
        private volatile boolean watchSilent;

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            boolean watch = request.getPath().contains("watch=true");
            if ((forbidden || watchForbidden && watch) && request.getMethod().equals("GET")
                    && request.getPath().contains("/endpointslices")) {
                refused.incrementAndGet();
                String verb = watch ? "watch" : "list";
                return new MockResponse().setResponseCode(403).setBody(JSON.asJson(new StatusBuilder()
                        .withStatus("Failure").withReason("Forbidden").withCode(403)
                        .withMessage("endpointslices.discovery.k8s.io is forbidden: User \"" + SERVICE_ACCOUNT
                                + "\" cannot " + verb + " resource \"endpointslices\" in API group \"discovery.k8s.io\""
                                + " in the namespace \"" + NAMESPACE + "\"")
                        .build()));
            }
            if (watchSilent && watch && request.getPath().contains("/endpointslices")) {
                watchesOpened.incrementAndGet();
                return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
                });
            }
            MockResponse response = crud.dispatch(request);
            WebSocketListener listener = response.getWebSocketListener();
            if (listener != null) {
                response.withWebSocketUpgrade(new TrackedWatch(listener));
            }
            return response;
        }

        @Override
        public void shutdown() {
            crud.shutdown();
        }

        /** The CRUD dispatcher's watch, remembered while open so the test can close it. */
        private final class TrackedWatch extends WebSocketListener {

            private final WebSocketListener delegate;

            TrackedWatch(WebSocketListener delegate) {
                this.delegate = delegate;
            }

            @Override
            public void onBeforeAccept(WebSocket webSocket, Response response) {
                delegate.onBeforeAccept(webSocket, response);
            }

            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                openWatches.add(webSocket);
                watchesOpened.incrementAndGet();
                delegate.onOpen(webSocket, response);
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                delegate.onMessage(webSocket, text);
            }

            @Override
            public void onMessage(WebSocket webSocket, ByteString bytes) {
                delegate.onMessage(webSocket, bytes);
            }

            @Override
            public void onMessage(WebSocket webSocket, byte[] bytes) {
                delegate.onMessage(webSocket, bytes);
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                openWatches.remove(webSocket);
                delegate.onClosing(webSocket, code, reason);
            }

            @Override
            public void onClosed(WebSocket webSocket, int code, String reason) {
                openWatches.remove(webSocket);
                delegate.onClosed(webSocket, code, reason);
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                openWatches.remove(webSocket);
                delegate.onFailure(webSocket, t, response);
            }
        }
    }
}
