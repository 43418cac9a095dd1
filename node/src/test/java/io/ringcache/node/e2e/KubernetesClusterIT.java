package io.ringcache.node.e2e;

import static io.ringcache.node.discovery.FakeApiServer.endpoint;
import static io.ringcache.node.discovery.FakeApiServer.slice;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringcache.node.discovery.FakeApiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three packaged nodes in Kubernetes mode, pointed at a Fabric8 mock API server in this JVM; the test plays
 * the EndpointSlice controller (one slice per node, since every node listens on 127.0.0.1 with its own port).
 */
class KubernetesClusterIT {

    private static final String SERVICE = "demo-peers";
    private static final Duration SOON = Duration.ofSeconds(20);
    private static final Pattern MEMBER = Pattern.compile("\\{\"id\":\"([^\"]+)\",\"state\":\"([a-z]+)\"");

    private FakeApiServer api;
    private final List<NodeProcess> nodes = new ArrayList<>();

    @BeforeEach
    void startApiServer() {
        api = new FakeApiServer();
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (NodeProcess node : nodes) {
            node.close();
        }
        api.close();
    }

    private void startNodes(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("ringcache.discovery", "kubernetes");
            p.put("ringcache.discovery.service", SERVICE);
            p.put("ringcache.groups.kv.max-bytes", "16M");
            p.put("quarkus.kubernetes-client.api-server-url", api.url());
            p.put("kubernetes.auth.tryKubeConfig", "false");
            p.put("kubernetes.auth.tryServiceAccount", "false");
            nodes.add(NodeProcess.start("k8s-node-" + i, NodeProcess.freePorts(), p,
                    Map.of("POD_IP", "127.0.0.1", "POD_NAMESPACE", FakeApiServer.NAMESPACE)));
        }
        for (NodeProcess node : nodes) {
            node.awaitLive(Duration.ofSeconds(60));
        }
    }

    /** Node {@code i}'s own slice: its endpoint with the given conditions, on its peer port. */
    private void publish(int i, boolean ready, boolean terminating) {
        api.apply(slice(SERVICE + "-" + i, SERVICE, nodes.get(i).peerPort, endpoint("127.0.0.1", ready, terminating))
                .build());
    }

    /** The ring members node {@code node} reports in {@code GET /v1/cluster}. */
    private List<String> ringOf(NodeProcess node) throws Exception {
        Matcher m = MEMBER.matcher(new String(node.get("/v1/cluster").body(), UTF_8));
        List<String> members = new ArrayList<>();
        while (m.find()) {
            members.add(m.group(1));
        }
        return members;
    }

    private String[] peersOf(int... indexes) {
        String[] peers = new String[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            peers[i] = nodes.get(indexes[i]).peer();
        }
        return peers;
    }

    private void awaitRing(NodeProcess node, String... members) {
        await().atMost(SOON).untilAsserted(() -> assertThat(ringOf(node)).containsExactlyInAnyOrder(members));
    }

    private int readyStatus(NodeProcess node) throws Exception {
        return node.get("/q/health/ready").statusCode();
    }

    @Test
    void ringsFollowTheEndpointSlicesAndDataFollowsTheRing() throws Exception {
        startNodes(3);
        publish(0, true, false);
        publish(1, true, false);
        publish(2, false, false);
        for (NodeProcess node : nodes) {
            awaitRing(node, peersOf(0, 1));
        }
        await().atMost(SOON).untilAsserted(() -> assertThat(readyStatus(nodes.get(0))).isEqualTo(200));
        assertThat(readyStatus(nodes.get(2))).as("a node whose endpoint is not ready yet serves, outside the ring")
                .isEqualTo(200);

        publish(2, true, false);
        for (NodeProcess node : nodes) {
            awaitRing(node, peersOf(0, 1, 2));
        }
        await().atMost(SOON).untilAsserted(() -> assertThat(readyStatus(nodes.get(2))).isEqualTo(200));

        int keys = 300;
        for (int i = 0; i < keys; i++) {
            assertThat(nodes.get(i % 3).put("/v1/groups/kv/keys/key-" + i, ("value-" + i).getBytes(UTF_8)).statusCode())
                    .isEqualTo(204);
        }

        // Node 1 starts terminating: it leaves every ring, its own included, and its entries move to their new owners.
        publish(1, false, true);
        for (NodeProcess node : nodes) {
            awaitRing(node, peersOf(0, 2));
        }
        api.delete(SERVICE + "-1");
        nodes.get(1).stop(Duration.ofSeconds(30));

        for (int i = 0; i < keys; i++) {
            for (int reader : new int[] {0, 2}) {
                var response = nodes.get(reader).get("/v1/groups/kv/keys/key-" + i);
                assertThat(response.statusCode()).as("key-%d through node %d", i, reader).isEqualTo(200);
                assertThat(new String(response.body(), UTF_8)).isEqualTo("value-" + i);
            }
        }
    }

    /**
     * As on a real cluster, where the Service does not publish not-ready addresses: the EndpointSlice controller
     * lists a pod's endpoint as ready only once the kubelet has seen its readiness probe pass. So a node must be
     * ready before it is in the ring, or no node ever is.
     */
    @Test
    void aStartingNodeIsReadyBeforeItsOwnEndpointIsThenJoinsTheRing() throws Exception {
        startNodes(2);
        publish(0, false, false);
        publish(1, false, false);
        for (NodeProcess node : nodes) {
            await().atMost(SOON).untilAsserted(() -> assertThat(readyStatus(node)).isEqualTo(200));
            assertThat(ringOf(node)).isEmpty();
        }

        // The kubelet sees node 0's probe pass: its endpoint turns ready and it is the ring.
        publish(0, true, false);
        for (NodeProcess node : nodes) {
            awaitRing(node, peersOf(0));
        }
        // Node 1 is ready while outside the ring: it serves by asking the owner.
        assertThat(nodes.get(1).put("/v1/groups/kv/keys/early", "written-through-1".getBytes(UTF_8)).statusCode())
                .isEqualTo(204);
        assertThat(new String(nodes.get(0).get("/v1/groups/kv/keys/early").body(), UTF_8)).isEqualTo("written-through-1");

        publish(1, true, false);
        for (NodeProcess node : nodes) {
            awaitRing(node, peersOf(0, 1));
        }
        for (NodeProcess node : nodes) {
            assertThat(readyStatus(node)).isEqualTo(200);
            assertThat(new String(node.get("/v1/groups/kv/keys/early").body(), UTF_8)).isEqualTo("written-through-1");
        }

        // The API server ends every watch (as when it restarts): each node lists again, watches again, and the
        // new watch carries the next change.
        int opened = api.watchesOpened();
        assertThat(api.closeOpenWatches()).isEqualTo(2);
        await().atMost(SOON).until(() -> api.watchesOpened() >= opened + 2);
        publish(1, false, true);
        for (NodeProcess node : nodes) {
            awaitRing(node, peersOf(0));
        }
    }

    @Test
    void withoutPermissionANodeSaysWhatIsMissingStaysNotReadyAndRecovers() throws Exception {
        api.forbidSliceReads(true);
        startNodes(1);
        publish(0, true, false);
        await().atMost(SOON).untilAsserted(() ->
                assertThat(nodes.get(0).logText()).contains("endpointslices").contains("forbidden"));
        assertThat(readyStatus(nodes.get(0))).isEqualTo(503);
        // Let the node retry a few times: still one clear line, no stack traces.
        await().atMost(SOON).until(() -> api.forbiddenReads() >= 3);
        assertThat(nodes.get(0).logText().lines().filter(line -> line.contains(" ERROR ")))
                .singleElement().asString()
                .contains("needs get, list and watch on endpointslices.discovery.k8s.io in namespace 'cache'");
        assertThat(nodes.get(0).logText()).doesNotContain("\tat io.fabric8");

        api.forbidSliceReads(false);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(readyStatus(nodes.get(0))).isEqualTo(200));
        assertThat(ringOf(nodes.get(0))).containsExactly(nodes.get(0).peer());
    }
}
