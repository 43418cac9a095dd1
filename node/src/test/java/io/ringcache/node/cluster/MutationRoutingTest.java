package io.ringcache.node.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ringcache.node.group.Group;
import io.ringcache.node.group.Mutation;
import io.ringcache.node.group.MutationResult;
import io.ringcache.node.group.WriteOutcomeUnknownException;
import io.ringcache.node.peer.PeerNoAnswerException;
import io.ringcache.node.peer.PeerUnavailableException;
import io.ringcache.node.store.StoredValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A read-modify-write (INCR, APPEND, SETNX, ...) runs where the key's value is: on its owner, else on one of its
 * backups, never on a member that holds no copy; and one its member was sent but did not answer is never sent to
 * another, which could apply it a second time.
 */
class MutationRoutingTest {

    private static final Mutation INCR = new Mutation.IncrementBy(1);

    private TestCluster cluster;
    private CuttableLink link;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (link != null) {
            link.close();
        }
    }

    /** Nodes 0 and 1, and node 2 reached only through the link; returns a key node 2 owns, holding "1000". */
    private String startWithOwnerBehindLink(int backups) throws Exception {
        cluster = TestCluster.start(2, Map.of("ringcache.groups.kv.max-bytes", "8M",
                "ringcache.backups", Integer.toString(backups), "ringcache.peer-timeout", "300ms"));
        link = new CuttableLink();
        cluster.startBehind(link);
        cluster.joinAll();
        String key = cluster.keyOwnedBy(2, "counter-");
        kv(0).put(key, "1000".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        return key;
    }

    private Group kv(int node) {
        return cluster.group(node, "kv");
    }

    private String heldBy(int node, String key) {
        StoredValue v = kv(node).local().mainStore().peek(key);
        return v == null ? null : new String(v.value(), UTF_8);
    }

    /** The key's next member after its owner: its backup, when there is one. */
    private int nextMember(String key) {
        return cluster.indexOf(cluster.node(0).membership().ring().owners(key, 2).get(1));
    }

    /** The member that is neither node 2 nor {@code key}'s next member. */
    private int bystander(String key) {
        return cluster.otherThan(2, nextMember(key));
    }

    private long incr(int node, String key) throws Exception {
        MutationResult result = kv(node).mutate(key, INCR).get(5, TimeUnit.SECONDS);
        return result.number();
    }

    @Test
    void anIncrTheOwnerWasSentAndDidNotAnswerFailsAndIsAppliedNowhereElse() throws Exception {
        String key = startWithOwnerBehindLink(0);
        int requester = bystander(key);

        // A long pause of the owner: it takes the request and answers nothing.
        link.hold();
        assertThatThrownBy(() -> incr(requester, key))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(WriteOutcomeUnknownException.class)
                .hasMessageEndingWith("; the write may or may not have been applied");
        assertThat(heldBy(nextMember(key), key)).as("the next member holds no copy and was not asked").isNull();
        assertThat(kv(nextMember(key)).holdsHintFor(key)).isFalse();
        assertThat(kv(requester).routingStats().writesOutcomeUnknown()).isEqualTo(1);

        // The owner resumes and applies the request it took: once, to the value it holds.
        link.release();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heldBy(2, key)).isEqualTo("1001"));
        assertThat(incr(requester, key)).isEqualTo(1002);
        assertThat(heldBy(nextMember(key), key)).isNull();
    }

    @Test
    void withoutBackupsAnIncrWhoseOwnerIsDownFailsRatherThanStartFromNothingOnAnotherMember() throws Exception {
        String key = startWithOwnerBehindLink(0);
        int requester = bystander(key);

        link.cut();
        assertThatThrownBy(() -> incr(requester, key))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PeerUnavailableException.class)
                .isNotInstanceOf(PeerNoAnswerException.class)
                .hasMessageContaining("no member holding key of group 'kv' could be reached to change it");
        assertThat(heldBy(nextMember(key), key)).isNull();
        assertThat(kv(nextMember(key)).holdsHintFor(key)).isFalse();

        // No hint replaces the owner's value with "1" when it is back.
        link.restore();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(incr(requester, key)).isEqualTo(1001));
        assertThat(heldBy(2, key)).isEqualTo("1001");
    }

    @Test
    void withABackupAnIncrTheOwnerDidNotAnswerIsAppliedOnceNotAgainOnTheBackup() throws Exception {
        String key = startWithOwnerBehindLink(1);
        int backup = nextMember(key);
        int requester = bystander(key);
        assertThat(heldBy(backup, key)).isEqualTo("1000");

        link.hold();
        assertThatThrownBy(() -> incr(requester, key))
                .cause().isInstanceOf(WriteOutcomeUnknownException.class);
        assertThat(heldBy(backup, key)).as("not applied on the backup in the owner's place").isEqualTo("1000");

        link.release();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(heldBy(2, key)).isEqualTo("1001");
            assertThat(heldBy(backup, key)).as("the owner's copy of its one INCR").isEqualTo("1001");
        });
    }

    @Test
    void withABackupAnIncrWhoseOwnerIsDownRunsOnTheBackupsCopyAndReachesTheOwner() throws Exception {
        String key = startWithOwnerBehindLink(1);
        int backup = nextMember(key);
        int requester = bystander(key);

        link.cut();
        assertThat(incr(requester, key)).isEqualTo(1001);
        assertThat(heldBy(backup, key)).isEqualTo("1001");
        assertThat(kv(backup).holdsHintFor(key)).isTrue();

        link.restore();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heldBy(2, key)).isEqualTo("1001"));
        assertThat(incr(requester, key)).isEqualTo(1002);
    }

    @Test
    void aMemberThatHoldsNoCopyOfTheKeyInItsRingRefusesAnIncrInsteadOfStartingFromNothing() throws Exception {
        cluster = TestCluster.start(2, Map.of("ringcache.groups.kv.max-bytes", "8M"));
        String a = cluster.node(0).membership().self();
        String b = cluster.node(1).membership().self();
        // Node 0 believes node 1 owns every key; node 1 believes node 0 does (rings differ while members change).
        cluster.node(0).membership().update(List.of(b));
        cluster.node(1).membership().update(List.of(a));
        cluster.awaitHandoffs();
        kv(0).local().put("visits", "41".getBytes(UTF_8), Optional.empty());

        assertThatThrownBy(() -> incr(0, "visits"))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PeerUnavailableException.class)
                .hasMessageContaining(b + " neither owns nor backs up the key in its ring");
        assertThat(heldBy(1, "visits")).isNull();
        assertThat(kv(1).holdsHintFor("visits")).isFalse();
        assertThat(heldBy(0, "visits")).isEqualTo("41");
    }
}
