package io.ringcache.node.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringcache.node.group.LocalGroup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A new owner remembers a delete for {@link LocalGroup#RECENT_REMOVAL_MEMORY} only: an older value of the key that
 * is still on its way there (refused while the rings differed, and kept by its sender to offer again) must not
 * arrive after the delete is forgotten, or the deleted key comes back.
 */
class HandoffAfterDeleteTest {

    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void anEntryHeldLongerThanItsNewOwnerRemembersDeletesIsGivenUpRatherThanBringingADeletedKeyBack()
            throws Exception {
        // The nodes' wall clock moves only when this test says so: the removal memory is read from it.
        AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        cluster = TestCluster.start(2, Map.of("ringcache.groups.kv.max-bytes", "8M"), clock::get);
        // The new node's ring does not list it yet: it refuses its keys.
        UnlistedJoiner joiner = UnlistedJoiner.start(cluster);
        int joining = joiner.index();
        List<String> with = joiner.with();
        List<String> keys = joiner.keysMovingFromMemberZero(cluster, 20);
        for (String key : keys) {
            cluster.group(0, "kv").put(key, ("old-" + key).getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        }
        cluster.node(0).membership().update(with);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.node(0).handoffStats().entriesRefused() >= keys.size());

        // A client deletes the keys through a member that already routes them to the new node.
        cluster.node(1).membership().update(with);
        for (String key : keys) {
            cluster.group(1, "kv").delete(key).get(5, TimeUnit.SECONDS);
            assertThat(cluster.group(0, "kv").local().mainStore().containsKey(key))
                    .as("%s still held, and owed, by its sender", key).isTrue();
        }
        // The new owner forgets the deletes; only then do the rings agree, and the sender offers the keys again.
        clock.addAndGet(LocalGroup.RECENT_REMOVAL_MEMORY.plusSeconds(1).toMillis());
        cluster.node(joining).membership().update(with);
        assertThat(cluster.node(0).awaitHandoff(Duration.ofSeconds(30))).isTrue();
        assertThat(cluster.node(0).handoffStats().entriesGivenUp()).as("given up, not offered again")
                .isEqualTo(keys.size());

        for (String key : keys) {
            assertThat(cluster.group(joining, "kv").local().mainStore().containsKey(key))
                    .as("%s not brought back on its owner", key).isFalse();
            assertThat(cluster.group(0, "kv").local().mainStore().containsKey(key))
                    .as("%s not left on its sender", key).isFalse();
            assertThat(cluster.group(1, "kv").get(key).get(5, TimeUnit.SECONDS)).as("%s stays deleted", key).isEmpty();
        }
    }

    @Test
    void anEntryNotOfferedYetIsStillSentHoweverLongTheHandOffTakesToReachIt() throws Exception {
        AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        // Small, slow batches: the pass takes a few seconds to reach its last entries.
        cluster = TestCluster.start(1, Map.of("ringcache.groups.kv.max-bytes", "8M",
                "ringcache.handoff.batch-bytes", "1K", "ringcache.handoff.bytes-per-second", "4K"), clock::get);
        UnlistedJoiner joiner = UnlistedJoiner.start(cluster);
        int joining = joiner.index();
        List<String> with = joiner.with();
        List<String> keys = joiner.keysMovingFromMemberZero(cluster, 40);
        for (String key : keys) {
            cluster.group(0, "kv").put(key, new byte[200], Optional.empty()).get(5, TimeUnit.SECONDS);
        }
        cluster.node(joining).membership().update(with);
        cluster.node(0).membership().update(with);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(0).handoffStats().entriesSent() > 0);

        // The entries still waiting for their first offer are owed for longer than new owners remember deletes.
        clock.addAndGet(LocalGroup.RECENT_REMOVAL_MEMORY.plusSeconds(1).toMillis());
        assertThat(cluster.node(0).awaitHandoff(Duration.ofSeconds(30))).isTrue();

        assertThat(cluster.node(0).handoffStats().entriesGivenUp()).isZero();
        for (String key : keys) {
            assertThat(cluster.group(joining, "kv").local().mainStore().containsKey(key)).as(key).isTrue();
        }
    }
}
