package io.ringcache.node.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.ringcache.node.handoff.HandoffStats;
import io.ringcache.node.peer.proto.Entry;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.peer.proto.Transfer;
import io.ringcache.node.ring.HashRing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Members see ring changes at different moments: an entry handed to a member whose own ring gives its key to
 * another is not left there, where no request for it goes.
 */
class HandoffRingFlappingTest {

    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void anEntryHandedToAMemberWhoseRingGivesItToAnotherReachesThatOwner() throws Exception {
        cluster = TestCluster.start(3, Map.of("ringcache.groups.kv.max-bytes", "8M"));
        int joining = cluster.startOnPeerPort(0);
        String n0 = cluster.node(0).membership().self();
        String n1 = cluster.node(1).membership().self();
        String n2 = cluster.node(2).membership().self();
        String n3 = cluster.node(joining).membership().self();
        HashRing before = cluster.node(0).membership().ring();
        HashRing withJoined = before.withMembers(List.of(n0, n1, n2, n3));
        HashRing withoutLeaving = before.withMembers(List.of(n1, n2));
        HashRing after = before.withMembers(List.of(n1, n2, n3));
        // Keys node 0 owns now; node 0, leaving before it hears of node 3, hands them to node 1; node 1, which has
        // heard of node 3 but not yet of node 0 leaving, gives them to node 3, as does the ring everyone ends with.
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < 40; i++) {
            String key = "key-" + i;
            if (before.owner(key).equals(n0) && withoutLeaving.owner(key).equals(n1)
                    && withJoined.owner(key).equals(n3) && after.owner(key).equals(n3)) {
                keys.add(key);
            }
        }
        for (String key : keys) {
            cluster.group(0, "kv").put(key, ("value-" + key).getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        }

        // Node 3 joins; every member but node 0 hears of it.
        for (int i = 1; i <= joining; i++) {
            cluster.node(i).membership().update(withJoined.members());
            assertThat(cluster.node(i).awaitHandoff(Duration.ofSeconds(10))).isTrue();
        }
        // Node 0 is asked to stop before it hears of node 3: it hands its keys to node 1.
        long passesBefore = cluster.node(0).handoffStats().passesCompleted();
        cluster.node(0).membership().leave();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            HandoffStats s = cluster.node(0).handoffStats();
            return s.passesCompleted() > passesBefore || s.entriesPending() > 0;
        });
        // Then everyone hears of both changes.
        cluster.node(0).membership().update(after.members());
        assertThat(cluster.stopGracefully(0)).as("node 0 handed everything over").isTrue();
        cluster.awaitHandoffs();

        for (String key : keys) {
            assertThat(cluster.group(joining, "kv").local().mainStore().containsKey(key)).as("%s on its owner", key)
                    .isTrue();
            assertThat(cluster.group(1, "kv").get(key).get(5, TimeUnit.SECONDS)).as(key)
                    .map(b -> new String(b, UTF_8)).contains("value-" + key);
        }
        assertThat(cluster.entriesHeld("kv")).as("each key lives on its owner only").isEqualTo(keys.size());
        assertThat(cluster.node(1).peerService().entriesHandedOverRefused()).isGreaterThanOrEqualTo(keys.size());
        assertThat(cluster.node(1).peerService().entriesHandedOverKept()).isZero();
        assertThat(cluster.node(0).handoffStats().entriesRefused()).isGreaterThanOrEqualTo(keys.size());
        assertThat(cluster.node(0).handoffStats().entriesSent()).isEqualTo(keys.size());
    }

    @Test
    void onlyASenderThatKeepsRefusedEntriesIsRefusedAny() throws Exception {
        cluster = TestCluster.start(2, Map.of("ringcache.groups.kv.max-bytes", "8M"));
        String notOwned = cluster.keyOwnedBy(0, "not-owned-");
        String owned = cluster.keyOwnedBy(1, "owned-");

        PeerResponse fromNewer = transfer(true, notOwned, owned);
        assertThat(fromNewer.getAck().getRefusedList()).containsExactly(0);
        assertThat(cluster.group(1, "kv").local().mainStore().containsKey(notOwned)).isFalse();
        assertThat(cluster.group(1, "kv").local().mainStore().containsKey(owned)).isTrue();

        // A node from before Transfer.keeps_refused drops whatever its Ack does not list as kept: it is refused nothing.
        PeerResponse fromOlder = transfer(false, notOwned);
        assertThat(fromOlder.hasAck()).isTrue();
        assertThat(fromOlder.getAck().getRefusedList()).isEmpty();
        assertThat(cluster.group(1, "kv").local().mainStore().containsKey(notOwned)).isTrue();
    }

    private PeerResponse transfer(boolean keepsRefused, String... keys) throws Exception {
        Transfer.Builder transfer = Transfer.newBuilder().setKeepsRefused(keepsRefused);
        for (String key : keys) {
            transfer.addEntries(Entry.newBuilder().setGroup("kv").setKey(key).setValue(ByteString.copyFromUtf8("v"))
                    .setVersion(7));
        }
        return cluster.node(0).peerClient().call(cluster.node(1).membership().self(),
                PeerRequest.newBuilder().setFrom(cluster.node(0).membership().self()).setTransfer(transfer).build(),
                Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aNewOwnerThatHasNotHeardOfTheChangeYetRefusesTheEntriesUntilItHas() throws Exception {
        cluster = TestCluster.start(2, Map.of("ringcache.groups.kv.max-bytes", "8M"));
        // The new node's ring does not list it yet.
        UnlistedJoiner joiner = UnlistedJoiner.start(cluster);
        int joining = joiner.index();
        List<String> with = joiner.with();
        List<String> keys = joiner.keysMovingFromMemberZero(cluster, 50);
        for (String key : keys) {
            cluster.group(0, "kv").put(key, ("value-" + key).getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        }

        // Node 0 hears that the new node joined before the new node itself does.
        cluster.node(0).membership().update(with);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.node(0).handoffStats().entriesRefused() >= keys.size());
        assertThat(cluster.node(0).awaitHandoff(Duration.ZERO)).as("still handing off").isFalse();
        for (String key : keys) {
            assertThat(cluster.group(joining, "kv").local().mainStore().containsKey(key)).as(key).isFalse();
            assertThat(cluster.group(0, "kv").local().mainStore().containsKey(key)).as(key).isTrue();
        }

        cluster.node(joining).membership().update(with);
        cluster.node(1).membership().update(with);
        assertThat(cluster.node(0).awaitHandoff(Duration.ofSeconds(30))).isTrue();
        for (String key : keys) {
            assertThat(cluster.group(joining, "kv").local().mainStore().containsKey(key)).as(key).isTrue();
            assertThat(cluster.group(0, "kv").local().mainStore().containsKey(key)).as(key).isFalse();
        }
    }
}
