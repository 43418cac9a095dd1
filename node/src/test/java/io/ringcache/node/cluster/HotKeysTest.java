package io.ringcache.node.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ringcache.node.group.Group;
import io.ringcache.node.store.StoredValue;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hot keys: owners mark them, requesters keep copies, and a write invalidates every copy before it is acknowledged. */
class HotKeysTest {

    private TestCluster cluster;

    @BeforeEach
    void start() {
        cluster = TestCluster.start(3, Map.of(
                "ringcache.groups.kv.max-bytes", "4M",
                "ringcache.hot-keys.threshold", "5",
                "ringcache.hot-keys.ttl", "30s"));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static String read(Group group, String key) throws Exception {
        return group.get(key).get(5, TimeUnit.SECONDS).map(b -> new String(b, UTF_8)).orElse(null);
    }

    private void write(int node, String key, String value) throws Exception {
        cluster.group(node, "kv").put(key, value.getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
    }

    /** Reads {@code key} through {@code node} until it is served from that node's hot tier (bounded). */
    private void readUntilCopied(int node, String key) throws Exception {
        Group group = cluster.group(node, "kv");
        for (int i = 0; i < 100 && group.routingStats().hotCopiesHeld() == 0; i++) {
            read(group, key);
        }
        assertThat(group.routingStats().hotCopiesHeld()).isEqualTo(1);
    }

    @Test
    void anEntryReadFromACopyHasTheKeysOwnExpiry() throws Exception {
        String forever = cluster.keyOwnedBy(0, "forever-");
        String hour = cluster.keyOwnedBy(0, "hour-");
        write(0, forever, "v");
        cluster.group(0, "kv").put(hour, "v".getBytes(UTF_8), Optional.of(Duration.ofHours(1))).get(5, TimeUnit.SECONDS);
        long hourExpiry = cluster.group(0, "kv").local().mainStore().peek(hour).expiresAtMillis();
        readUntilCopied(1, forever);
        for (int i = 0; i < 100 && cluster.group(1, "kv").routingStats().hotCopiesHeld() < 2; i++) {
            read(cluster.group(1, "kv"), hour);
        }
        assertThat(cluster.group(1, "kv").routingStats().hotCopiesHeld()).isEqualTo(2);

        long hits = cluster.group(1, "kv").routingStats().hotHits();
        assertThat(cluster.group(1, "kv").getEntry(forever).get(5, TimeUnit.SECONDS).orElseThrow().expiresAtMillis())
                .isEqualTo(StoredValue.NEVER);
        assertThat(cluster.group(1, "kv").getEntry(hour).get(5, TimeUnit.SECONDS).orElseThrow().expiresAtMillis())
                .isEqualTo(hourExpiry);
        assertThat(cluster.group(1, "kv").routingStats().hotHits()).as("both answered from copies")
                .isEqualTo(hits + 2);
    }

    @Test
    void hotKeyIsServedFromACopyWithoutAskingTheOwner() throws Exception {
        String key = cluster.keyOwnedBy(0, "hot-");
        write(0, key, "v1");
        readUntilCopied(1, key);

        Group reader = cluster.group(1, "kv");
        long forwardedBefore = reader.routingStats().forwarded();
        for (int i = 0; i < 50; i++) {
            assertThat(read(reader, key)).isEqualTo("v1");
        }
        assertThat(reader.routingStats().forwarded()).isEqualTo(forwardedBefore);
        assertThat(reader.routingStats().hotHits()).isGreaterThanOrEqualTo(50);
        assertThat(cluster.group(0, "kv").routingStats().hotKeysWithCopiesOut()).isEqualTo(1);
    }

    /** The owner's counters: a read of a hot key it does not hold is one get and one miss, however it is served. */
    @Test
    void eachReadOfAHotKeyTheOwnerDoesNotHoldCountsOneMiss() throws Exception {
        String key = cluster.keyOwnedBy(0, "hot-missing-");
        Group owner = cluster.group(0, "kv");
        long getsBefore = owner.stats().gets();
        long missesBefore = owner.stats().misses();
        for (int i = 0; i < 20; i++) {
            assertThat(read(cluster.group(1, "kv"), key)).isNull();
        }

        assertThat(owner.stats().gets() - getsBefore).isEqualTo(20);
        assertThat(owner.stats().misses() - missesBefore).isEqualTo(20);
    }

    @Test
    void writeInvalidatesHotCopiesBeforeAcknowledging() throws Exception {
        String key = cluster.keyOwnedBy(0, "hot-");
        write(0, key, "old");
        readUntilCopied(1, key);
        readUntilCopied(2, key);

        // The write enters through a copy holder; once it is acknowledged, no node may return the old value.
        write(2, key, "new");
        for (int node = 0; node < 3; node++) {
            assertThat(read(cluster.group(node, "kv"), key)).isEqualTo("new");
        }
        assertThat(cluster.group(0, "kv").routingStats().invalidationsSent()).isEqualTo(2);
        assertThat(cluster.group(1, "kv").routingStats().invalidationsReceived()).isEqualTo(1);

        readUntilCopied(1, key);
        cluster.group(0, "kv").delete(key).get(5, TimeUnit.SECONDS);
        assertThat(read(cluster.group(1, "kv"), key)).isNull();
    }

    @Test
    void aWriteWaitsForTheInvalidationAnEarlierWriteOfTheKeySentAndIsStillWaitingFor() throws Exception {
        try (CuttableLink link = new CuttableLink()) {
            int holder = cluster.startBehind(link);
            cluster.joinAll();
            String key = cluster.keyOwnedBy(0, "hot-");
            write(0, key, "v0");
            readUntilCopied(holder, key);
            Group owner = cluster.group(0, "kv");
            long sent = owner.routingStats().invalidationsSent();

            link.hold();
            CompletableFuture<Void> first = owner.put(key, "v1".getBytes(UTF_8), Optional.empty());
            await().atMost(Duration.ofSeconds(5)).until(() -> owner.routingStats().invalidationsSent() == sent + 1);
            // The copy holder has not heard of the first write yet, so the second must not be acknowledged either.
            CompletableFuture<Void> second = owner.put(key, "v2".getBytes(UTF_8), Optional.empty());
            assertThatThrownBy(() -> second.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(first).isNotDone();

            link.release();
            first.get(5, TimeUnit.SECONDS);
            second.get(5, TimeUnit.SECONDS);
            assertThat(read(cluster.group(holder, "kv"), key)).isEqualTo("v2");
            assertThat(owner.routingStats().invalidationFailures()).isZero();
        }
    }

    @Test
    void ringChangeDropsCopiesBecauseTheNewOwnerDoesNotKnowThem() throws Exception {
        String key = cluster.keyOwnedBy(0, "hot-");
        write(0, key, "v1");
        readUntilCopied(1, key);
        cluster.addNode();
        assertThat(cluster.group(1, "kv").routingStats().hotCopiesHeld()).isZero();
    }
}
