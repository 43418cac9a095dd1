package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.ringcache.node.core.ControlledPreviousOwner;
import io.ringcache.node.hot.HotKeySettings;
import io.ringcache.node.peer.Deadline;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.Transports;
import io.ringcache.node.ring.HashRing;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.ring.RingSettings;
import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.StoredValue;
import io.ringcache.node.store.Stores;
import io.ringcache.node.store.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Right after a ring change, a read-modify-write of a key its new owner does not hold yet first takes the key from
 * its previous owner. The key's requests that reach the new owner meanwhile (the next commands of a pipeline) take
 * effect after it, in the order they came; other keys do not wait. The previous owner here answers when the test
 * lets it, so every request below is sent while the first one still waits.
 */
class PreviousOwnerOrderTest {

    private static final String SELF = "127.0.0.1:1";
    private static final int MAX_FRAME = 1 << 20;
    private static final Mutation INCR = new Mutation.IncrementBy(1);
    /** Long enough that a test's questions to the previous owner never time out, unless it says otherwise. */
    private static final Duration PATIENT = Duration.ofSeconds(10);

    private ControlledPreviousOwner previousOwner;
    private EventLoopGroup loops;
    private PeerClient client;
    private Membership membership;
    private Group group;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        if (previousOwner != null) {
            previousOwner.close();
        }
    }

    /** This node, just joined to the previous owner: every key it owns now was the previous owner's before. */
    private void start(Duration callTimeout) throws Exception {
        previousOwner = ControlledPreviousOwner.start();
        loops = Transports.newEventLoops(1, "new-owner");
        client = new PeerClient(loops, 1, MAX_FRAME, callTimeout);
        membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(List.of(SELF, previousOwner.member()));
        GroupSettings settings = GroupSettings.defaults("kv");
        LocalGroup local = new LocalGroup(settings, Stores.create(EvictionPolicyName.LRU, settings.maxBytes(),
                EntryCharge.BYTES, TimeSource.SYSTEM), null, Limits.DEFAULTS, TimeSource.SYSTEM);
        HotKeySettings noHotKeys = new HotKeySettings(false, HotKeySettings.DEFAULT_THRESHOLD,
                HotKeySettings.DEFAULT_TTL, HotKeySettings.DEFAULT_BUDGET_FRACTION);
        group = new Group(local, new Cluster(membership, client, callTimeout, 0), noHotKeys, TimeSource.SYSTEM, 1_000);
    }

    /** A key this node owns whose value, "10", is still at the previous owner. */
    private String keyStillAtThePreviousOwner(String prefix) {
        String key = ownedHere(prefix);
        previousOwner.holds(key, "10");
        return key;
    }

    private String ownedHere(String prefix) {
        for (int i = 0; ; i++) {
            if (membership.ring().owner(prefix + i).equals(SELF)) {
                return prefix + i;
            }
        }
    }

    private static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(5, TimeUnit.SECONDS);
    }

    private static long number(CompletableFuture<MutationResult> result) throws Exception {
        return done(result).number();
    }

    /** Waits until no key's requests are held back any more (the queue of the last goes just after it finished). */
    private void awaitNoQueue() {
        await().atMost(Duration.ofSeconds(5)).until(() -> group.owner().queuedKeys() == 0);
    }

    private String held(String key) {
        StoredValue value = group.local().mainStore().peek(key);
        return value == null ? null : new String(value.value(), UTF_8);
    }

    @Test
    void aDeleteBehindIncrementsStillTakingTheKeyWaitsForThem() throws Exception {
        start(PATIENT);
        String key = keyStillAtThePreviousOwner("counter-");

        CompletableFuture<MutationResult> first = group.mutate(key, INCR);
        CompletableFuture<MutationResult> second = group.mutate(key, INCR);
        CompletableFuture<Boolean> deleted = group.delete(key);
        CompletableFuture<MutationResult> third = group.mutate(key, INCR);
        boolean deletedBeforeTheAnswer = deleted.isDone();
        previousOwner.answer();

        assertThat(List.<Object>of(number(first), number(second), done(deleted), number(third)))
                .as("INCR, INCR, DEL, INCR").containsExactly(11L, 12L, true, 1L);
        assertThat(deletedBeforeTheAnswer).as("the delete waited for the increments before it").isFalse();
        assertThat(held(key)).isEqualTo("1");
        awaitNoQueue();
    }

    /** A member joining while the key is still on its way here, and leaving it here, does not make it start from 0. */
    @Test
    void anIncrementAfterASecondChangeThatLeftTheKeyHereCountsOnFromThePreviousOwnersValue() throws Exception {
        start(PATIENT);
        List<String> grown = List.of(SELF, previousOwner.member(), "127.0.0.1:3");
        HashRing next = membership.ring().withMembers(grown);
        String key = null;
        for (int i = 0; key == null; i++) {
            if (membership.ring().owner("counter-" + i).equals(SELF) && next.owner("counter-" + i).equals(SELF)) {
                key = "counter-" + i;
            }
        }
        previousOwner.holds(key, "10");
        membership.update(grown);

        CompletableFuture<MutationResult> incremented = group.mutate(key, INCR);
        previousOwner.answer();

        assertThat(number(incremented)).isEqualTo(11);
    }

    @Test
    void aSetBehindAnAppendStillTakingTheKeyWaitsForIt() throws Exception {
        start(PATIENT);
        String key = keyStillAtThePreviousOwner("text-");

        CompletableFuture<MutationResult> appended = group.mutate(key, new Mutation.Append("x".getBytes(UTF_8)));
        CompletableFuture<Void> set = group.put(key, "new".getBytes(UTF_8), Optional.empty());
        previousOwner.answer();

        assertThat(number(appended)).as("the length of 10x").isEqualTo(3);
        done(set);
        assertThat(held(key)).isEqualTo("new");
    }

    @Test
    void aReadBehindAnIncrementStillTakingTheKeySeesItsResult() throws Exception {
        start(PATIENT);
        String key = keyStillAtThePreviousOwner("counter-");

        CompletableFuture<MutationResult> incremented = group.mutate(key, INCR);
        CompletableFuture<Optional<byte[]>> read = group.get(key);
        CompletableFuture<GroupOwner.Served> forwarded = group.owner().serveGet("127.0.0.1:2", key, false);
        previousOwner.answer();

        assertThat(number(incremented)).isEqualTo(11);
        assertThat(done(read)).map(b -> new String(b, UTF_8)).contains("11");
        assertThat(new String(done(forwarded).value().value(), UTF_8)).as("read forwarded by another member")
                .isEqualTo("11");
    }

    @Test
    void aKeyDeletedBehindAnIncrementStillTakingItIsGoneForTheReadsAfterAndStaysGone() throws Exception {
        start(PATIENT);
        String key = keyStillAtThePreviousOwner("counter-");

        CompletableFuture<MutationResult> incremented = group.mutate(key, INCR);
        CompletableFuture<Boolean> deleted = group.delete(key);
        CompletableFuture<Optional<byte[]>> read = group.get(key);
        previousOwner.answer();

        assertThat(number(incremented)).isEqualTo(11);
        assertThat(done(deleted)).isTrue();
        assertThat(done(read)).as("read after the delete").isEmpty();
        assertThat(done(group.get(key))).as("read once everything is answered").isEmpty();
        assertThat(held(key)).isNull();
    }

    @Test
    void aSetBehindAReadStillAskingThePreviousOwnerWaitsForIt() throws Exception {
        start(PATIENT);
        String key = keyStillAtThePreviousOwner("text-");

        CompletableFuture<Optional<byte[]>> read = group.get(key);
        CompletableFuture<Void> set = group.put(key, "new".getBytes(UTF_8), Optional.empty());
        CompletableFuture<Optional<byte[]>> readAfter = group.get(key);
        boolean setBeforeTheAnswer = set.isDone();
        previousOwner.answer();

        assertThat(done(read)).as("the read before the set").map(b -> new String(b, UTF_8)).contains("10");
        done(set);
        assertThat(done(readAfter)).as("the read after the set").map(b -> new String(b, UTF_8)).contains("new");
        assertThat(setBeforeTheAnswer).as("the set waited for the read before it").isFalse();
        assertThat(held(key)).isEqualTo("new");
        awaitNoQueue();
    }

    @Test
    void aDeleteBehindAReadStillAskingThePreviousOwnerRemovesWhatTheReadFound() throws Exception {
        start(PATIENT);
        String key = keyStillAtThePreviousOwner("text-");

        CompletableFuture<GroupOwner.Served> forwarded = group.owner().serveGet("127.0.0.1:2", key, false);
        CompletableFuture<Boolean> deleted = group.owner().write(key, new KeyWrite.Delete(), Deadline.NONE);
        previousOwner.answer();

        assertThat(new String(done(forwarded).value().value(), UTF_8)).as("read forwarded by another member")
                .isEqualTo("10");
        assertThat(done(deleted)).as("the delete removed the value the read found").isTrue();
        assertThat(done(group.get(key))).isEmpty();
        awaitNoQueue();
    }

    @Test
    void otherKeysDoNotWaitForAReadStillAskingThePreviousOwner() throws Exception {
        start(PATIENT);
        String key = keyStillAtThePreviousOwner("text-");
        String other = ownedHere("other-");
        group.put(other, "5".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);

        CompletableFuture<Optional<byte[]>> waiting = group.get(key);
        CompletableFuture<Void> set = group.put(other, "6".getBytes(UTF_8), Optional.empty());
        CompletableFuture<Optional<byte[]>> read = group.get(other);

        assertThat(List.of(set, read)).allMatch(CompletableFuture::isDone);
        assertThat(done(read)).map(b -> new String(b, UTF_8)).contains("6");
        assertThat(waiting).isNotDone();
        previousOwner.answer();
        assertThat(done(waiting)).map(b -> new String(b, UTF_8)).contains("10");
        awaitNoQueue();
    }

    @Test
    void otherKeysDoNotWaitForIt() throws Exception {
        start(PATIENT);
        String key = keyStillAtThePreviousOwner("counter-");
        String other = ownedHere("other-");
        group.put(other, "5".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);

        CompletableFuture<MutationResult> waiting = group.mutate(key, INCR);
        CompletableFuture<Void> set = group.put(other, "6".getBytes(UTF_8), Optional.empty());
        CompletableFuture<Optional<byte[]>> read = group.get(other);
        CompletableFuture<MutationResult> incremented = group.mutate(other, INCR);

        assertThat(List.of(set, read, incremented)).allMatch(CompletableFuture::isDone);
        assertThat(number(incremented)).isEqualTo(7);
        assertThat(waiting).isNotDone();
        previousOwner.answer();
        assertThat(number(waiting)).isEqualTo(11);
    }

    @Test
    void aFlushBehindAnIncrementStillTakingTheKeyClearsWhatTheIncrementWrote() throws Exception {
        start(PATIENT);
        String key = keyStillAtThePreviousOwner("counter-");
        String other = ownedHere("other-");

        CompletableFuture<MutationResult> incremented = group.mutate(key, INCR);
        CompletableFuture<Void> flushed = group.clear();
        CompletableFuture<Optional<byte[]>> read = group.get(key);
        CompletableFuture<Void> set = group.put(other, "after".getBytes(UTF_8), Optional.empty());
        CompletableFuture<MutationResult> incrementedAfter = group.mutate(key, INCR);
        boolean flushedBeforeTheAnswer = flushed.isDone();
        boolean setBeforeTheAnswer = set.isDone();
        previousOwner.answer();

        assertThat(number(incremented)).as("the increment before the flush, on the value before it").isEqualTo(11);
        done(flushed);
        assertThat(done(read)).as("read after the flush").isEmpty();
        done(set);
        assertThat(number(incrementedAfter)).as("the increment after the flush, on nothing").isEqualTo(1);
        assertThat(flushedBeforeTheAnswer).as("the flush waited for the increment before it").isFalse();
        assertThat(setBeforeTheAnswer).as("a write of another key waited for the flush before it").isFalse();
        assertThat(held(key)).isEqualTo("1");
        assertThat(held(other)).as("written after the flush").isEqualTo("after");
        awaitNoQueue();
    }

    @Test
    void aFlushFromAnotherMemberBehindAReadStillAskingThePreviousOwnerComesAfterIt() throws Exception {
        start(PATIENT);
        String key = keyStillAtThePreviousOwner("text-");

        CompletableFuture<Optional<byte[]>> read = group.get(key);
        CompletableFuture<Void> flushed = group.clearHere(StoredValue.UNVERSIONED, Deadline.NONE);
        CompletableFuture<Boolean> deleted = group.delete(key);
        previousOwner.answer();

        assertThat(done(read)).map(b -> new String(b, UTF_8)).contains("10");
        done(flushed);
        assertThat(done(deleted)).as("nothing left to delete after the flush").isFalse();
        assertThat(done(group.get(key))).as("the previous owner's older value does not come back").isEmpty();
        awaitNoQueue();
    }

    @Test
    void aFlushWithNothingHeldBackClearsAtOnce() throws Exception {
        start(PATIENT);
        String key = ownedHere("plain-");
        group.put(key, "5".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);

        assertThat(group.clearHere(StoredValue.UNVERSIONED, Deadline.NONE)).isDone();
        assertThat(held(key)).isNull();
        assertThat(group.put(key, "6".getBytes(UTF_8), Optional.empty())).as("nothing held back").isDone();
    }

    @Test
    void aForwardedFlushWhoseDeadlinePassedWhileItWaitedForItsTurnIsNotApplied() throws Exception {
        start(PATIENT);
        String key = keyStillAtThePreviousOwner("counter-");

        CompletableFuture<MutationResult> incremented = group.mutate(key, INCR);
        CompletableFuture<Void> flushed = group.clearHere(StoredValue.UNVERSIONED, Deadline.inMillis(0));
        CompletableFuture<MutationResult> incrementedAfter = group.mutate(key, INCR);
        previousOwner.answer();

        assertThat(number(incremented)).isEqualTo(11);
        assertThatThrownBy(() -> done(flushed)).hasCauseInstanceOf(DeadlinePassedException.class);
        assertThat(number(incrementedAfter)).as("not cleared").isEqualTo(12);
        awaitNoQueue();
    }

    @Test
    void aPreviousOwnerThatNeverAnswersHoldsTheKeyBackOnlyUntilItsCallTimesOut() throws Exception {
        start(Duration.ofMillis(300));
        String key = keyStillAtThePreviousOwner("counter-");

        CompletableFuture<MutationResult> incremented = group.mutate(key, INCR);
        CompletableFuture<Boolean> deleted = group.delete(key);

        // Unanswered, the previous owner counts as one without the key (as for reads): the increment starts from 0.
        assertThat(number(incremented)).isEqualTo(1);
        assertThat(done(deleted)).isTrue();
        assertThat(held(key)).isNull();
        awaitNoQueue();
        assertThat(group.put(key, "later".getBytes(UTF_8), Optional.empty())).as("nothing holds the key back any more")
                .isDone();
    }

    @Test
    void aForwardedWriteWhoseDeadlinePassedWhileItWaitedForItsTurnIsNotApplied() throws Exception {
        start(PATIENT);
        String key = keyStillAtThePreviousOwner("counter-");

        CompletableFuture<MutationResult> incremented = group.mutate(key, INCR);
        CompletableFuture<Boolean> deleted = group.owner().write(key, new KeyWrite.Delete(), Deadline.inMillis(0));
        previousOwner.answer();

        assertThat(number(incremented)).isEqualTo(11);
        assertThatThrownBy(() -> done(deleted)).hasCauseInstanceOf(DeadlinePassedException.class);
        assertThat(held(key)).isEqualTo("11");
        awaitNoQueue();
    }

    @Test
    void aForwardedIncrementWhoseDeadlinePassedWhileItWaitedBehindAReadIsNotApplied() throws Exception {
        start(PATIENT);
        String key = keyStillAtThePreviousOwner("counter-");

        CompletableFuture<Optional<byte[]>> read = group.get(key);
        CompletableFuture<MutationResult> incremented = group.owner().mutate(key, INCR, Deadline.inMillis(0));
        previousOwner.answer();

        assertThat(done(read)).map(b -> new String(b, UTF_8)).contains("10");
        // The read took the key, so the increment's own look finds it here and has nothing to wait for: it must
        // still not apply, its sender having been told it may or may not have.
        assertThatThrownBy(() -> done(incremented)).hasCauseInstanceOf(DeadlinePassedException.class);
        assertThat(held(key)).isEqualTo("10");
        awaitNoQueue();
    }

    @Test
    void aForwardedIncrementWhoseDeadlinePassedWhileItWaitedBehindAnotherIsNotApplied() throws Exception {
        start(PATIENT);
        String key = keyStillAtThePreviousOwner("counter-");

        CompletableFuture<MutationResult> first = group.mutate(key, INCR);
        CompletableFuture<MutationResult> late = group.owner().mutate(key, INCR, Deadline.inMillis(0));
        previousOwner.answer();

        assertThat(number(first)).isEqualTo(11);
        assertThatThrownBy(() -> done(late)).hasCauseInstanceOf(DeadlinePassedException.class);
        assertThat(held(key)).isEqualTo("11");
        awaitNoQueue();
    }
}
