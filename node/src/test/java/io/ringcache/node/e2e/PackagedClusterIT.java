package io.ringcache.node.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Three packaged nodes as separate processes on 127.0.0.1, joined by static peers. */
class PackagedClusterIT {

    private static final Duration READY = Duration.ofSeconds(60);
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (NodeProcess node : nodes) {
            node.close();
        }
    }

    private void startCluster(Map<String, String> extra) throws Exception {
        int[][] ports = {NodeProcess.freePorts(), NodeProcess.freePorts(), NodeProcess.freePorts()};
        String peers = "127.0.0.1:" + ports[0][1] + ",127.0.0.1:" + ports[1][1] + ",127.0.0.1:" + ports[2][1];
        for (int i = 0; i < 3; i++) {
            Map<String, String> p = new LinkedHashMap<>(extra);
            p.put("ringcache.discovery", "static");
            p.put("ringcache.self", "127.0.0.1:" + ports[i][1]);
            p.put("ringcache.peers", peers);
            p.put("ringcache.groups.kv.max-bytes", "16M");
            nodes.add(NodeProcess.start("node-" + i, ports[i], p));
        }
        for (NodeProcess node : nodes) {
            node.awaitReady(READY);
        }
    }

    private static String path(String key) {
        return "/v1/groups/kv/keys/" + URLEncoder.encode(key, UTF_8).replace("+", "%20");
    }

    private void writeKeys(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            assertThat(nodes.get(i % 3).put(path("key " + i), ("value-" + i).getBytes(UTF_8)).statusCode())
                    .isEqualTo(204);
        }
    }

    private void assertKeysReadBackThrough(NodeProcess node, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            var response = node.get(path("key " + i));
            assertThat(response.statusCode()).as("key %d through %s", i, node.name).isEqualTo(200);
            assertThat(new String(response.body(), UTF_8)).isEqualTo("value-" + i);
        }
    }

    @Test
    void everyNodeAnswersEveryKeyAndReportsTheSameRing() throws Exception {
        startCluster(Map.of());
        writeKeys(300);
        for (NodeProcess node : nodes) {
            assertKeysReadBackThrough(node, 300);
            String cluster = new String(node.get("/v1/cluster").body(), UTF_8);
            for (NodeProcess member : nodes) {
                assertThat(cluster).contains("\"id\":\"" + member.peer() + "\"");
            }
            assertThat(cluster).doesNotContain("unreachable");
        }
        // Each key lives on one node only: the entries add up to the keys written.
        long entries = 0;
        for (NodeProcess node : nodes) {
            String groups = new String(node.get("/v1/groups").body(), UTF_8);
            entries += Long.parseLong(groups.replaceAll(".*\"name\":\"kv\".*?\"entries\":(\\d+).*", "$1"));
        }
        assertThat(entries).isEqualTo(300);
    }

    @Test
    void aNodeStoppedWithSigtermHandsItsEntriesOffFirst() throws Exception {
        startCluster(Map.of());
        writeKeys(600);
        NodeProcess leaving = nodes.get(1);
        leaving.stop(Duration.ofSeconds(30));
        assertThat(leaving.logText()).contains("hand-off finished");
        assertKeysReadBackThrough(nodes.get(0), 600);
        assertKeysReadBackThrough(nodes.get(2), 600);
    }

    @Test
    void aWriteThePausedOwnerTookFailsAsMaybeAppliedAndIsAppliedWhenItResumes() throws Exception {
        startCluster(Map.of("ringcache.peer-timeout", "500ms"));
        NodeProcess writer = nodes.get(0);
        String key = keyNotOwnedBy(writer);
        NodeProcess owner = nodeWithPeer(ownerOf(writer, key));
        assertThat(writer.put(path(key), "before".getBytes(UTF_8)).statusCode()).isEqualTo(204);

        owner.pause();
        try {
            HttpResponse<byte[]> paused = writer.put(path(key), "while paused".getBytes(UTF_8));
            // The owner's kernel took the request: the write may yet be applied, so no other member applies it.
            assertThat(paused.statusCode()).isEqualTo(504);
            assertThat(new String(paused.body(), UTF_8)).contains("write-outcome-unknown")
                    .contains("the write may or may not have been applied");
        } finally {
            owner.resume();
        }
        // The owner resumes, reads the write it took, and applies it.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> new String(writer.get(path(key)).body(), UTF_8), "while paused"::equals);
        for (NodeProcess node : nodes) {
            assertThat(new String(node.get(path(key)).body(), UTF_8)).as("through %s", node.name).isEqualTo("while paused");
        }
    }

    private String keyNotOwnedBy(NodeProcess node) throws Exception {
        for (int i = 0; i < 1_000; i++) {
            String key = "paused " + i;
            if (!ownerOf(node, key).equals(node.peer())) {
                return key;
            }
        }
        throw new IllegalStateException("every key belongs to " + node.name);
    }

    /** The key's owner in {@code node}'s ring, from {@code GET /v1/cluster/owners/{key}}. */
    private static String ownerOf(NodeProcess node, String key) throws Exception {
        String owners = new String(node.get("/v1/cluster/owners/" + path(key).substring("/v1/groups/kv/keys/".length()))
                .body(), UTF_8);
        return owners.replaceAll(".*\"owners\":\\[\"([^\"]+)\".*", "$1");
    }

    private NodeProcess nodeWithPeer(String member) {
        return nodes.stream().filter(n -> n.peer().equals(member)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node " + member));
    }

    @Test
    void withOneBackupAKilledNodeLosesNoAcknowledgedWrite() throws Exception {
        startCluster(Map.of("ringcache.backups", "1"));
        writeKeys(600);
        nodes.get(2).kill();
        assertKeysReadBackThrough(nodes.get(0), 600);
        assertKeysReadBackThrough(nodes.get(1), 600);
    }
}
