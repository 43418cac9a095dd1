package io.ringcache.node.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringcache.node.group.Group;
import io.ringcache.node.group.LocalGroup;
import io.ringcache.node.group.Mutation;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.Ping;
import io.ringcache.node.store.StoredValue;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node out of its ring for a moment (readiness flapping) comes back holding copies its hand-off could not deliver,
 * while the member that owned those keys meanwhile took newer writes of them. Until that member hands them back, the
 * returning owner must not serve its older copies, nor increment them (which would refuse the newer writes when they
 * arrive, losing them), nor copies of keys deleted there meanwhile.
 */
class RegainedCopiesTest {

    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** The node that is out of the rings for a moment, node 0, and the other node, which owns its keys meanwhile. */
    private String returning;
    private String meanwhile;
    private int other;
    /** Keys of node 0's, written "10" there before it drops out: one read after its return, one incremented. */
    private String read;
    private String incremented;

    @Test
    void aNodeBackInItsRingAsksWhoHeldItsKeysMeanwhileBeforeServingOrIncrementingThem() throws Exception {
        cluster = TestCluster.start(1, Map.of("ringcache.groups.kv.max-bytes", "8M"));
        try (CuttableLink link = new CuttableLink()) {
            dropOutAndReturn(link, (group, key) ->
                    group.put(key, "20".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS));

            assertThat(cluster.group(0, "kv").get(read).get(5, TimeUnit.SECONDS)).map(b -> new String(b, UTF_8))
                    .as("the newer value, from the member that held the key meanwhile").contains("20");
            assertThat(cluster.group(0, "kv").mutate(incremented, new Mutation.IncrementBy(1))
                    .get(5, TimeUnit.SECONDS).number()).as("counted on from the newer value").isEqualTo(21);

            cluster.node(other).membership().update(List.of(returning, meanwhile));
            cluster.awaitHandoffs();
            assertThat(cluster.group(0, "kv").get(incremented).get(5, TimeUnit.SECONDS))
                    .map(b -> new String(b, UTF_8)).as("the increment survives the hand-back").contains("21");
            assertThat(cluster.group(0, "kv").get(read).get(5, TimeUnit.SECONDS)).map(b -> new String(b, UTF_8))
                    .contains("20");
        }
    }

    @Test
    void aNodeBackInItsRingDropsTheCopiesOfKeysDeletedMeanwhile() throws Exception {
        cluster = TestCluster.start(1, Map.of("ringcache.groups.kv.max-bytes", "8M"));
        try (CuttableLink link = new CuttableLink()) {
            // The other node never received the keys (node 0's hand-off failed): its delete removes nothing there, and
            // is remembered all the same.
            dropOutAndReturn(link, (group, key) -> group.delete(key).get(5, TimeUnit.SECONDS));

            long peeksBefore = cluster.group(other, "kv").routingStats().servedForPeers();
            assertThat(cluster.group(0, "kv").get(read).get(5, TimeUnit.SECONDS))
                    .as("deleted on the member that held the key meanwhile").isEmpty();
            assertThat(cluster.group(other, "kv").routingStats().servedForPeers() - peeksBefore)
                    .as("asked once: its answer told of the delete").isEqualTo(1);
            assertThat(cluster.group(0, "kv").mutate(incremented, new Mutation.IncrementBy(1))
                    .get(5, TimeUnit.SECONDS).number()).as("counted from nothing, as after the delete").isEqualTo(1);

            cluster.node(other).membership().update(List.of(returning, meanwhile));
            cluster.awaitHandoffs();
            assertThat(cluster.group(0, "kv").get(read).get(5, TimeUnit.SECONDS)).isEmpty();
            assertThat(cluster.group(0, "kv").get(incremented).get(5, TimeUnit.SECONDS))
                    .map(b -> new String(b, UTF_8)).contains("1");
        }
    }

    /**
     * The member that owned the keys meanwhile wrote them, then evicted them for room: what it tells of them is an
     * eviction, not a delete. The returning node keeps its copy of the very write evicted there, and takes one back
     * arriving later (a backup's copy, a late hand-off), but drops its copy from before that write.
     */
    @Test
    void aNodeBackInItsRingKeepsCopiesOfTheWritesEvictedMeanwhileAndDropsOlderOnes() throws Exception {
        // Room for a few small entries on each node, so that the other node's fillers evict the keys there.
        cluster = TestCluster.start(1, Map.of("ringcache.groups.kv.max-bytes", "1K",
                "ringcache.groups.kv.eviction", "lru"));
        Map<String, Long> evicted = new HashMap<>();
        try (CuttableLink link = new CuttableLink()) {
            dropOutAndReturn(link, (group, key) -> {
                group.put(key, "20".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
                long version = group.local().getHeld(key).version();
                if (key.equals(read)) {
                    // A copy of that write reached node 0 (as a backup's would) before it came back.
                    assertThat(cluster.group(0, "kv").local()
                            .putEntryIfNewer(key, "20".getBytes(UTF_8), StoredValue.NEVER, version)).isTrue();
                }
                evictForRoom(group.local(), key);
                evicted.put(key, version);
            });

            // Here node 0's copy of the second key is its own write from before, older than the one evicted.
            String older = incremented;
            long peeksBefore = cluster.group(other, "kv").routingStats().servedForPeers();
            assertThat(cluster.group(0, "kv").get(read).get(5, TimeUnit.SECONDS)).map(b -> new String(b, UTF_8))
                    .as("its copy of the write evicted meanwhile").contains("20");
            assertThat(cluster.group(0, "kv").get(older).get(5, TimeUnit.SECONDS))
                    .as("its copy from before the write evicted meanwhile").isEmpty();
            assertThat(cluster.group(other, "kv").routingStats().servedForPeers() - peeksBefore)
                    .as("each asked about once").isEqualTo(2);
            assertThat(cluster.group(0, "kv").local().getHeld(read)).isNotNull()
                    .extracting(StoredValue::version).isEqualTo(evicted.get(read));

            // Told as a removal, the eviction would be remembered here as one, and refuse this copy for a minute.
            assertThat(cluster.group(0, "kv").local().acceptHandedOver(older, "20".getBytes(UTF_8),
                    StoredValue.NEVER, evicted.get(older))).as("a late copy of the evicted write").isTrue();
            assertThat(cluster.group(0, "kv").get(older).get(5, TimeUnit.SECONDS))
                    .map(b -> new String(b, UTF_8)).contains("20");
        }
    }

    /** Writes other keys into {@code local} until its store evicts {@code key} for room; bounded. */
    private static void evictForRoom(LocalGroup local, String key) {
        for (int i = 0; i < 100 && local.mainStore().peekIncludingExpired(key) != null; i++) {
            local.putEntry("filler-" + key + "-" + i, new byte[200], StoredValue.NEVER);
        }
        assertThat(local.mainStore().peekIncludingExpired(key)).as("evicted for room").isNull();
    }

    /**
     * Writes "10" under {@link #read} and {@link #incremented} on node 0, which then drops out of both rings with its
     * link to the other node cut, so that its hand-off cannot deliver them; {@code change} is applied to both keys on
     * the other node; node 0 comes back into its own ring (the other node has not heard, so it hands nothing back), and
     * can reach the other node again.
     */
    private void dropOutAndReturn(CuttableLink link, KeyChange change) throws Exception {
        other = cluster.startBehind(link);
        cluster.joinAll();
        returning = cluster.node(0).membership().self();
        meanwhile = cluster.node(other).membership().self();
        read = cluster.keyOwnedBy(0, "read-");
        incremented = cluster.keyOwnedBy(0, "incr-");
        for (String key : List.of(read, incremented)) {
            cluster.group(0, "kv").put(key, "10".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        }

        link.cut();
        cluster.node(0).membership().update(List.of(meanwhile));
        cluster.node(other).membership().update(List.of(meanwhile));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(0).handoffStats().batchesFailed() > 0);
        for (String key : List.of(read, incremented)) {
            change.apply(cluster.group(other, "kv"), key);
        }

        cluster.node(0).membership().update(List.of(returning, meanwhile));
        link.restore();
        // Node 0 dialled the other node in vain while the link was cut, and waits out a backoff before it dials
        // again: until then, it could not ask, and would serve what it holds.
        PeerRequest ping = PeerRequest.newBuilder().setFrom(returning).setPing(Ping.getDefaultInstance()).build();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() ->
                cluster.node(0).peerClient().call(meanwhile, ping, Duration.ofSeconds(1)).get(2, TimeUnit.SECONDS)
                        .hasPong());
    }

    /** What the other node does to a key of node 0's while node 0 is out of the rings. */
    @FunctionalInterface
    private interface KeyChange {
        void apply(Group group, String key) throws Exception;
    }
}
