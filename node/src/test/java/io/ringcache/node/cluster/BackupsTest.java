package io.ringcache.node.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringcache.node.group.Mutation;
import io.ringcache.node.store.StoredValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With backups, every acknowledged write survives the sudden loss of one node. */
class BackupsTest {

    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void writesLiveOnTheOwnerAndTheNextMember() throws Exception {
        cluster = TestCluster.start(3, Map.of("ringcache.groups.kv.max-bytes", "8M", "ringcache.backups", "1"));
        String key = cluster.keyOwnedBy(0, "k-");
        cluster.group(1, "kv").put(key, "v".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        List<String> owners = cluster.node(0).membership().ring().owners(key, 2);
        for (int node = 0; node < 3; node++) {
            boolean holds = cluster.group(node, "kv").local().mainStore().containsKey(key);
            assertThat(holds).as("node %d holds the key", node)
                    .isEqualTo(owners.contains(cluster.node(node).membership().self()));
        }
        cluster.group(2, "kv").delete(key).get(5, TimeUnit.SECONDS);
        for (int node = 0; node < 3; node++) {
            assertThat(cluster.group(node, "kv").local().mainStore().containsKey(key)).isFalse();
        }
    }

    /**
     * A backup out of reach when a write is copied to it (the write is acknowledged all the same) gets the copy once it
     * is back, writes and deletes alike: losing the owner then loses neither.
     */
    @Test
    void aCopyTheBackupMissedIsSentAgainOnceItIsBack() throws Exception {
        cluster = TestCluster.start(1, Map.of("ringcache.groups.kv.max-bytes", "8M", "ringcache.backups", "1"));
        try (CuttableLink link = new CuttableLink()) {
            int backup = cluster.startBehind(link);
            cluster.joinAll();
            String written = cluster.keyOwnedBy(0, "written-");
            String deleted = cluster.keyOwnedBy(0, "deleted-");
            cluster.group(0, "kv").put(deleted, "old".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
            assertThat(cluster.group(backup, "kv").local().mainStore().containsKey(deleted)).isTrue();

            link.cut();
            cluster.group(0, "kv").put(written, "new".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
            cluster.group(0, "kv").delete(deleted).get(5, TimeUnit.SECONDS);
            assertThat(cluster.group(0, "kv").routingStats().backupFailures()).isEqualTo(2);
            assertThat(cluster.group(0, "kv").routingStats().backupRepairsPending()).isEqualTo(2);
            assertThat(cluster.group(backup, "kv").local().mainStore().containsKey(written)).isFalse();

            link.restore();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> cluster.group(0, "kv").routingStats().backupRepairsPending() == 0);
            assertThat(cluster.group(0, "kv").routingStats().backupCopiesRepaired()).isEqualTo(2);

            cluster.kill(0);
            cluster.joinAll();
            assertThat(cluster.group(backup, "kv").get(written).get(5, TimeUnit.SECONDS))
                    .map(b -> new String(b, UTF_8)).contains("new");
            assertThat(cluster.group(backup, "kv").get(deleted).get(5, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void aMutationWhoseValueExpiresAsItIsWrittenStillReplacesTheBackupsOlderCopy() throws Exception {
        // Every reading of this clock is a millisecond after the last: a value written to live 1 ms has expired by
        // the time anyone looks at the key again, as happens on a real clock when a millisecond ends in between.
        AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        cluster = TestCluster.start(2, Map.of("ringcache.groups.kv.max-bytes", "8M", "ringcache.backups", "1"),
                clock::incrementAndGet);
        String key = cluster.keyOwnedBy(0, "k-");
        cluster.group(0, "kv").put(key, "old".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        assertThat(cluster.group(1, "kv").local().mainStore().peek(key)).isNotNull();

        cluster.group(0, "kv").mutate(key, new Mutation.Set("new".getBytes(UTF_8), Mutation.SetCondition.ALWAYS,
                Mutation.ExpiryMode.AFTER_MILLIS, 1, false)).get(5, TimeUnit.SECONDS);
        StoredValue backupCopy = cluster.group(1, "kv").local().mainStore().peek(key);
        assertThat(backupCopy == null ? null : new String(backupCopy.value(), UTF_8))
                .as("the backup no longer holds the value the acknowledged write replaced").isNull();
    }

    @Test
    void withTwoBackupsLosingTwoNodesWithoutWarningLosesNoAcknowledgedWrite() throws Exception {
        cluster = TestCluster.start(4, Map.of("ringcache.groups.kv.max-bytes", "8M", "ringcache.backups", "2"));
        int keys = 500;
        writeKeys(4, keys);
        long copies = 0;
        for (int node = 0; node < 4; node++) {
            copies += cluster.group(node, "kv").local().mainStore().stats().entries();
        }
        assertThat(copies).as("each key on its owner and the next two members").isEqualTo(3L * keys);

        cluster.kill(1);
        cluster.kill(2);

        for (int reader : new int[] {0, 3}) {
            for (int i = 0; i < keys; i++) {
                assertThat(cluster.group(reader, "kv").get("key-" + i).get(5, TimeUnit.SECONDS))
                        .as("key-%d through node %d", i, reader).map(b -> new String(b, UTF_8)).contains("value-" + i);
            }
        }
    }

    @Test
    void whenTheRingDropsALostNodeEveryKeyGetsItsSecondCopyBack() throws Exception {
        cluster = TestCluster.start(4, Map.of("ringcache.groups.kv.max-bytes", "8M", "ringcache.backups", "1"));
        int keys = 1_000;
        writeKeys(4, keys);

        // Lost without warning, then dropped from every ring, as Kubernetes discovery would.
        cluster.kill(2);
        cluster.joinAll();
        cluster.awaitHandoffs();

        for (int i = 0; i < keys; i++) {
            String key = "key-" + i;
            for (String member : cluster.node(0).membership().ring().owners(key, 2)) {
                assertThat(cluster.group(cluster.indexOf(member), "kv").local().mainStore().peek(key))
                        .as("%s on %s", key, member).isNotNull()
                        .extracting(v -> new String(v.value(), UTF_8)).isEqualTo("value-" + i);
            }
            assertThat(cluster.group(3, "kv").get(key).get(5, TimeUnit.SECONDS)).map(b -> new String(b, UTF_8))
                    .contains("value-" + i);
        }
    }

    @Test
    void losingOneNodeWithoutWarningLosesNoAcknowledgedWrite() throws Exception {
        cluster = TestCluster.start(3, Map.of("ringcache.groups.kv.max-bytes", "16M", "ringcache.backups", "1"));
        int keys = 2_000;
        writeKeys(3, keys);

        cluster.kill(1);

        for (int reader : new int[] {0, 2}) {
            for (int i = 0; i < keys; i++) {
                Optional<byte[]> value = cluster.group(reader, "kv").get("key-" + i).get(5, TimeUnit.SECONDS);
                assertThat(value).as("key-%d through node %d", i, reader)
                        .map(b -> new String(b, UTF_8)).contains("value-" + i);
            }
        }
    }

    /**
     * Writes {@code key-i} = {@code value-i} for each i below {@code keys}, through the first {@code nodes} nodes in
     * turn, and waits for every acknowledgement.
     */
    private void writeKeys(int nodes, int keys) throws Exception {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            writes.add(cluster.group(i % nodes, "kv").put("key-" + i, ("value-" + i).getBytes(UTF_8), Optional.empty()));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }
}
