package io.ringcache.node.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringcache.node.group.Group;
import io.ringcache.node.store.StoredValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A write whose owner does not answer is applied by the key's next member, which hands it to the owner once
 * the owner answers again: the owner then no longer serves the value it held before.
 */
class StandInHintsTest {

    private TestCluster cluster;
    private CuttableLink link;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (link != null) {
            link.close();
        }
    }

    /** Nodes 0 and 1, and node 2 reached only through the link; returns a key node 2 owns. */
    private String startWithOwnerBehindLink(String backups) throws Exception {
        return startWithOwnerBehindLink(Map.of("ringcache.backups", backups));
    }

    /** As {@link #startWithOwnerBehindLink(String)}, with more settings for every node. */
    private String startWithOwnerBehindLink(Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>(settings);
        all.put("ringcache.groups.kv.max-bytes", "8M");
        all.put("ringcache.peer-timeout", "300ms");
        cluster = TestCluster.start(2, all);
        link = new CuttableLink();
        cluster.startBehind(link);
        cluster.joinAll();
        return cluster.keyOwnedBy(2, "k-");
    }

    private Group kv(int node) {
        return cluster.group(node, "kv");
    }

    private String heldBy(int node, String key) {
        StoredValue v = kv(node).local().mainStore().peek(key);
        return v == null ? null : new String(v.value(), UTF_8);
    }

    private String read(int node, String key) throws Exception {
        return kv(node).get(key).get(5, TimeUnit.SECONDS).map(b -> new String(b, UTF_8)).orElse(null);
    }

    private int standIn(String key) {
        return cluster.indexOf(cluster.node(0).membership().ring().owners(key, 2).get(1));
    }

    @Test
    void aWriteMadeWhileTheOwnerDidNotAnswerReachesItWhenItAnswersAgain() throws Exception {
        String key = startWithOwnerBehindLink("0");
        kv(0).put(key, "old".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        assertThat(heldBy(2, key)).isEqualTo("old");

        link.cut();
        kv(0).put(key, "new".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        int standIn = standIn(key);
        assertThat(heldBy(standIn, key)).as("applied by the next member").isEqualTo("new");
        assertThat(heldBy(2, key)).as("the owner did not get it").isEqualTo("old");
        assertThat(kv(standIn).routingStats().hintsPending()).isEqualTo(1);
        assertThat(read(1, key)).as("while the owner is silent, reads go to the next member").isEqualTo("new");

        link.restore();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heldBy(2, key)).isEqualTo("new"));
        assertThat(read(0, key)).isEqualTo("new");
        assertThat(read(1, key)).isEqualTo("new");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(kv(standIn).routingStats().hintsPending()).isZero();
            assertThat(kv(standIn).routingStats().hintsDelivered()).isEqualTo(1);
            assertThat(heldBy(standIn, key)).as("without backups, the next member lets its copy go").isNull();
        });
    }

    @Test
    void aWriteMadeWhileTheOwnerDidNotAnswerDropsEveryHotCopyOfTheOlderValue() throws Exception {
        String key = startWithOwnerBehindLink(Map.of("ringcache.hot-keys.threshold", "5",
                "ringcache.hot-keys.ttl", "30s"));
        kv(0).put(key, "old".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        readUntilCopied(0, key);
        readUntilCopied(1, key);

        // Only the silent owner knows who holds copies: the member standing in for it drops them everywhere.
        link.cut();
        kv(1).put(key, "new".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        assertThat(read(0, key)).isEqualTo("new");
        assertThat(read(1, key)).isEqualTo("new");
        assertThat(kv(0).routingStats().hotCopiesHeld()).isZero();
        assertThat(kv(1).routingStats().hotCopiesHeld()).isZero();
    }

    @Test
    void aMemberServingInTheSilentOwnersPlaceHandsOutNoHotCopyTheOwnerCouldNotInvalidate() throws Exception {
        String key = startWithOwnerBehindLink(Map.of("ringcache.backups", "1", "ringcache.hot-keys.threshold", "5",
                "ringcache.hot-keys.ttl", "30s"));
        int standIn = standIn(key);
        int requester = 1 - standIn;
        kv(requester).put(key, "old".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);

        // While the owner is silent, the requester's reads are served by the next member (the key's backup).
        link.cut();
        for (int i = 0; i < 100; i++) {
            assertThat(read(requester, key)).isEqualTo("old");
        }

        // Once the owner answers again, a write goes to it; it knows no holder but those it handed copies to.
        link.restore();
        String probe = cluster.keyOwnedBy(2, "probe-");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            long unreachable = kv(requester).routingStats().ownersUnreachable();
            kv(requester).put(probe, "p".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
            assertThat(kv(requester).routingStats().ownersUnreachable()).isEqualTo(unreachable);
        });
        long unreachable = kv(requester).routingStats().ownersUnreachable();
        kv(requester).put(key, "new".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        assertThat(kv(requester).routingStats().ownersUnreachable()).as("written on the owner").isEqualTo(unreachable);
        assertThat(read(requester, key)).isEqualTo("new");
    }

    /** Reads {@code key} through {@code node} until that node keeps a hot copy of it (bounded). */
    private void readUntilCopied(int node, String key) throws Exception {
        for (int i = 0; i < 100 && kv(node).routingStats().hotCopiesHeld() == 0; i++) {
            read(node, key);
        }
        assertThat(kv(node).routingStats().hotCopiesHeld()).as("node %d holds a hot copy", node).isEqualTo(1);
    }

    @Test
    void aDeleteMadeWhileTheOwnerDidNotAnswerReachesItWhenItAnswersAgain() throws Exception {
        String key = startWithOwnerBehindLink("0");
        kv(0).put(key, "old".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);

        link.cut();
        kv(1).delete(key).get(5, TimeUnit.SECONDS);
        assertThat(heldBy(2, key)).isEqualTo("old");

        link.restore();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heldBy(2, key)).isNull());
        assertThat(read(0, key)).isNull();
        assertThat(read(1, key)).isNull();
    }

    @Test
    void aWriteOnTheOwnerAfterItAnswersAgainIsNotUndoneByTheOlderHint() throws Exception {
        String key = startWithOwnerBehindLink("0");
        kv(0).put(key, "old".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        link.cut();
        kv(0).put(key, "while silent".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        long writtenAt = System.currentTimeMillis();
        // Versions order writes by their members' clocks: the next write comes at a later millisecond.
        await().until(() -> System.currentTimeMillis() > writtenAt);

        link.restore();
        kv(1).put(key, "newest".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        int standIn = standIn(key);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(kv(standIn).routingStats().hintsPending()).isZero());
        assertThat(heldBy(2, key)).isEqualTo("newest");
        assertThat(read(0, key)).isEqualTo("newest");
    }

    @Test
    void withABackupTheDeliveredWriteReachesTheOwnersBackupsToo() throws Exception {
        String key = startWithOwnerBehindLink("1");
        kv(0).put(key, "old".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        int backup = standIn(key);
        assertThat(heldBy(backup, key)).isEqualTo("old");

        link.cut();
        kv(0).put(key, "new".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        link.restore();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heldBy(2, key)).isEqualTo("new"));
        assertThat(heldBy(backup, key)).as("the next member is the key's backup: it keeps its copy").isEqualTo("new");
        assertThat(kv(backup).routingStats().hintsPending()).isZero();
    }

    @Test
    void aRingChangeWhileTheHintWaitsDoesNotDropTheStandInsCopy() throws Exception {
        cluster = TestCluster.start(3, Map.of("ringcache.groups.kv.max-bytes", "8M", "ringcache.backups", "0",
                "ringcache.peer-timeout", "300ms"));
        link = new CuttableLink();
        int owner = cluster.startBehind(link);
        cluster.joinAll();
        // The join's hand-off passes finish first: the key's stand-in owned it before the owner joined, so a pass of
        // that join running late (a loaded machine) would find the stand-in's copy below and send it to the owner,
        // which cannot take it while cut off, and the wait for hand-offs further down would not end.
        cluster.awaitHandoffs();
        String key = cluster.keyOwnedBy(owner, "k-");
        kv(0).put(key, "old".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);

        link.cut();
        int standIn = standIn(key);
        kv(standIn).put(key, "new".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        // A member that is neither the key's owner nor its stand-in leaves: the key keeps its owner, and the
        // stand-in's hand-off pass finds the copy of a key it does not own.
        cluster.kill(cluster.otherThan(owner, standIn));
        cluster.joinAll();
        cluster.awaitHandoffs();
        assertThat(cluster.ownerOf(key)).isEqualTo(owner);

        link.restore();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(kv(standIn).routingStats().hintsPending()).isZero());
        assertThat(heldBy(owner, key)).as("the acknowledged write, not a delete").isEqualTo("new");
        assertThat(read(standIn, key)).isEqualTo("new");
    }

    @Test
    void aHintTheOwnerRefusesIsDroppedWithTheStandInsCopy() throws Exception {
        cluster = TestCluster.start(2, Map.of("ringcache.groups.kv.max-bytes", "8M", "ringcache.backups", "0",
                "ringcache.peer-timeout", "300ms"));
        link = new CuttableLink();
        // The owner's budget is smaller than the value the stand-in will take in its place.
        int owner = cluster.startBehind(link, Map.of("ringcache.groups.kv.max-bytes", "64K"));
        cluster.joinAll();
        String key = cluster.keyOwnedBy(owner, "k-");

        link.cut();
        kv(0).put(key, new byte[100_000], Optional.empty()).get(5, TimeUnit.SECONDS);
        int standIn = standIn(key);
        assertThat(kv(standIn).local().mainStore().peek(key)).isNotNull();

        link.restore();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(kv(standIn).routingStats().hintsDropped())
                .as("hints dropped; %s", kv(standIn).routingStats()).isEqualTo(1));
        assertThat(kv(standIn).routingStats().hintsPending()).isZero();
        assertThat(kv(standIn).local().mainStore().peek(key))
                .as("a copy of a key the stand-in does not own outlives no hint").isNull();
    }

    @Test
    void aGracefulStopWaitsUntilItsHintsReachTheirOwners() throws Exception {
        String key = startWithOwnerBehindLink(Map.of("ringcache.backups", "0", "ringcache.shutdown.grace", "10s"));
        link.cut();
        kv(0).put(key, "acknowledged".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        int standIn = standIn(key);
        assertThat(kv(standIn).routingStats().hintsPending()).isEqualTo(1);

        // SIGTERM reaches the stand-in; its hand-off has nothing to send (the owner is still in the ring), but the
        // write it acknowledged lives only here until its hint is delivered, a moment later when the owner answers.
        // The owner answers again only once the stop has begun (the stand-in is leaving), so the hint is still
        // pending when the stop starts, whatever the machine's speed.
        CompletableFuture<Void> ownerAnswersAgain = CompletableFuture.runAsync(() -> {
            await().atMost(Duration.ofSeconds(5)).until(() -> cluster.node(standIn).membership().isLeaving());
            try {
                link.restore();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(cluster.stopGracefully(standIn)).isTrue();
        ownerAnswersAgain.get(5, TimeUnit.SECONDS);

        assertThat(heldBy(2, key)).as("the owner has the write the stopped stand-in acknowledged").isEqualTo("acknowledged");
    }

    @Test
    void aGracefulStopWhoseHintsFindTheirOwnerSilentSaysSoAfterTheGracePeriod() throws Exception {
        String key = startWithOwnerBehindLink(Map.of("ringcache.backups", "0", "ringcache.shutdown.grace", "1s"));
        link.cut();
        kv(0).put(key, "acknowledged".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        int standIn = standIn(key);

        long started = System.nanoTime();
        assertThat(cluster.stopGracefully(standIn)).as("a write only the stopped node held is lost").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(cluster.node(standIn).hintsPending()).isEqualTo(1);
    }

    @Test
    void aHintWaitsWhileTheOwnerStaysSilentAndIsDroppedWhenTheOwnerLeavesTheRing() throws Exception {
        String key = startWithOwnerBehindLink("0");
        link.cut();
        kv(0).put(key, "v".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        int standIn = standIn(key);
        // Several delivery rounds (200 ms apart) find the owner silent: the hint stays.
        long until = System.currentTimeMillis() + 1_000;
        await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > until);
        assertThat(kv(standIn).routingStats().hintsPending()).isEqualTo(1);
        assertThat(kv(standIn).routingStats().hintsDelivered()).isZero();

        cluster.kill(2);
        cluster.joinAll();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(kv(standIn).routingStats().hintsPending()).isZero());
        assertThat(read(0, key)).as("the key's new owner has the write").isEqualTo("v");
        assertThat(read(1, key)).isEqualTo("v");
    }
}
