package io.ringcache.node.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.group.Group;
import io.ringcache.node.group.GroupStats;
import io.ringcache.node.group.InvalidKeyException;
import io.ringcache.node.store.StoredValue;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Group#read}: the answer mapped by the caller, at once for a key this node owns and holds, and each read
 * counted once whichever way it is answered.
 */
class GroupReadTest {

    private TestOrigin origin;
    private TestCluster cluster;

    @BeforeEach
    void start() {
        origin = new TestOrigin(0);
        cluster = TestCluster.start(2, Map.of("ringcache.groups.items.origin", origin.template(),
                "ringcache.groups.plain.max-bytes", "1M"));
    }

    @AfterEach
    void stop() {
        cluster.close();
        origin.close();
    }

    @Test
    void heldKeyOfThisNodeIsAnsweredAtOnceAndCountedAsOneHit() throws Exception {
        Group owner = cluster.group(0, "plain");
        String key = cluster.keyOwnedBy(0, "held");
        owner.put(key, "v1".getBytes(UTF_8), Optional.empty()).get(10, TimeUnit.SECONDS);
        GroupStats before = owner.stats();

        CompletableFuture<String> read = owner.read(key, GroupReadTest::text, "none");

        assertThat(read).isCompletedWithValue("v1");
        GroupStats after = owner.stats();
        assertThat(after.gets() - before.gets()).isEqualTo(1);
        assertThat(after.hits() - before.hits()).isEqualTo(1);
        assertThat(after.misses() - before.misses()).isZero();
    }

    @Test
    void missingKeyOfThisNodeIsNotFoundAndCountedAsOneMiss() throws Exception {
        Group owner = cluster.group(0, "plain");
        String key = cluster.keyOwnedBy(0, "absent");
        GroupStats before = owner.stats();

        assertThat(owner.read(key, GroupReadTest::text, "none").get(10, TimeUnit.SECONDS)).isEqualTo("none");

        GroupStats after = owner.stats();
        assertThat(after.gets() - before.gets()).isEqualTo(1);
        assertThat(after.misses() - before.misses()).isEqualTo(1);
    }

    @Test
    void missOfAReadThroughOwnerLoadsOnceAndCountsOneMiss() throws Exception {
        Group owner = cluster.group(0, "items");
        String key = cluster.keyOwnedBy(0, "loaded");
        GroupStats before = owner.stats();

        assertThat(owner.read(key, GroupReadTest::text, "none").get(10, TimeUnit.SECONDS)).isEqualTo("origin:" + key);
        assertThat(owner.read(key, GroupReadTest::text, "none")).isCompletedWithValue("origin:" + key);

        GroupStats after = owner.stats();
        assertThat(origin.requestsFor(key)).isEqualTo(1);
        assertThat(after.loads() - before.loads()).isEqualTo(1);
        assertThat(after.misses() - before.misses()).isEqualTo(1);
        assertThat(after.hits() - before.hits()).isEqualTo(1);
    }

    @Test
    void keyOfAnotherNodeIsReadFromItsOwnerAndMapped() throws Exception {
        Group owner = cluster.group(0, "plain");
        Group requester = cluster.group(1, "plain");
        String key = cluster.keyOwnedBy(0, "remote");
        owner.put(key, "v2".getBytes(UTF_8), Optional.empty()).get(10, TimeUnit.SECONDS);
        long forwarded = requester.routingStats().forwarded();
        long ownerHits = owner.stats().hits();

        assertThat(requester.read(key, GroupReadTest::text, "none").get(10, TimeUnit.SECONDS)).isEqualTo("v2");
        assertThat(requester.read(cluster.keyOwnedBy(0, "remote-absent"), GroupReadTest::text, "none")
                .get(10, TimeUnit.SECONDS)).isEqualTo("none");

        assertThat(requester.routingStats().forwarded() - forwarded).isEqualTo(2);
        assertThat(owner.stats().hits() - ownerHits).isEqualTo(1);
    }

    @Test
    void invalidKeyIsRefusedBeforeAnythingIsCountedOrForwarded() {
        Group requester = cluster.group(1, "plain");
        GroupStats before = requester.stats();

        assertThatThrownBy(() -> requester.read("", GroupReadTest::text, "none"))
                .isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> requester.read("k".repeat(2000), GroupReadTest::text, "none"))
                .isInstanceOf(InvalidKeyException.class);

        assertThat(requester.stats().gets()).isEqualTo(before.gets());
        assertThat(requester.routingStats().forwarded()).isZero();
    }

    private static String text(StoredValue held) {
        return new String(held.value(), UTF_8);
    }
}
