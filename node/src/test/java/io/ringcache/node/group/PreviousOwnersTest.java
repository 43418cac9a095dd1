package io.ringcache.node.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.peer.PeerNoAnswerException;
import io.ringcache.node.peer.PeerUnavailableException;
import io.ringcache.node.ring.HashRing;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.ring.RingHash;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A new owner's miss asks the key's previous owner for a minute after the ring change, and after that for as
 * long as that owner says it still has entries to hand over.
 */
class PreviousOwnersTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong nanos = new AtomicLong(100 * SECOND);
    private final Membership membership = new Membership("c:1", HashRing.of(List.of(), RingHash.XXH3, 16), nanos::get);
    private final List<String> asked = new ArrayList<>();
    private volatile boolean stillHandingOff = true;
    private volatile boolean answers = true;
    /** What a call that gets no answer fails with. */
    private volatile RuntimeException noAnswer = new IllegalStateException("no answer");
    private final PreviousOwners owners = new PreviousOwners(membership, (member, key) -> {
        asked.add(member);
        PreviousOwners.Answer nothingHeld = new PreviousOwners.Answer(PreviousHolder.Held.NOTHING, stillHandingOff);
        return answers ? CompletableFuture.completedFuture(nothingHeld) : CompletableFuture.failedFuture(noAnswer);
    });

    /** This node joins a ring of a and b; returns a key it owns now, which b owned before. */
    private String joinAndPickAKeyFromB() {
        membership.update(List.of("c:1"));
        membership.update(List.of("a:1", "b:1", "c:1"));
        HashRing before = HashRing.of(List.of("a:1", "b:1"), RingHash.XXH3, 16);
        for (int i = 0; ; i++) {
            String key = "k" + i;
            if (membership.ring().owner(key).equals("c:1") && before.owner(key).equals("b:1")) {
                return key;
            }
        }
    }

    /** This node joins a ring of a and b, then b leaves; returns a key this node owns now, which b owned before. */
    private String leaveOfBAndPickAKeyItGaveThisNode() {
        membership.update(List.of("c:1"));
        membership.update(List.of("a:1", "b:1", "c:1"));
        membership.update(List.of("a:1", "c:1"));
        HashRing before = HashRing.of(List.of("a:1", "b:1", "c:1"), RingHash.XXH3, 16);
        for (int i = 0; ; i++) {
            String key = "k" + i;
            if (before.owner(key).equals("b:1") && membership.ring().owner(key).equals("c:1")) {
                return key;
            }
        }
    }

    private void miss(String key) throws Exception {
        owners.of(key).fetch(key).get(1, TimeUnit.SECONDS);
    }

    @Test
    void withinAMinuteOfTheChangeEveryMissAsksThePreviousOwner() throws Exception {
        String key = joinAndPickAKeyFromB();
        stillHandingOff = false;
        miss(key);
        miss(key);
        assertThat(asked).containsExactly("b:1", "b:1");
    }

    @Test
    void afterThatThePreviousOwnerIsAskedWhileItSaysItStillHandsOff() throws Exception {
        String key = joinAndPickAKeyFromB();
        nanos.addAndGet(61 * SECOND);
        miss(key);
        miss(key);
        assertThat(asked).containsExactly("b:1", "b:1");

        stillHandingOff = false;
        miss(key);
        assertThat(owners.of(key)).as("it said it has handed everything over").isNull();
        assertThat(asked).hasSize(3);
    }

    @Test
    void aPreviousOwnerThatDoesNotAnswerAfterTheMinuteIsAskedNoMore() throws Exception {
        String key = joinAndPickAKeyFromB();
        nanos.addAndGet(61 * SECOND);
        answers = false;
        assertThat(owners.of(key).fetch(key)).isCompletedExceptionally();
        assertThat(owners.of(key)).isNull();
    }

    /**
     * A previous owner that has left the ring and cannot be reached (crashed; its address may swallow packets) hands
     * nothing over: within the minute too, it is asked once, not on every miss of its keys.
     */
    @Test
    void aPreviousOwnerThatLeftTheRingAndCannotBeReachedIsAskedNoMoreWithinTheMinute() throws Exception {
        String key = leaveOfBAndPickAKeyItGaveThisNode();
        answers = false;
        noAnswer = new PeerUnavailableException("peer b:1 did not connect within 2000 ms");

        assertThat(owners.of(key).fetch(key)).isCompletedExceptionally();
        assertThat(owners.of(key)).as("b left and is gone").isNull();
        assertThat(asked).containsExactly("b:1");
    }

    /** One that left and took the call without answering in time may only be busy handing over: it is asked again. */
    @Test
    void aPreviousOwnerThatLeftTheRingAndAnswersTooLateIsAskedAgainWithinTheMinute() throws Exception {
        String key = leaveOfBAndPickAKeyItGaveThisNode();
        answers = false;
        noAnswer = new PeerNoAnswerException("peer b:1 did not answer within 2000 ms");

        assertThat(owners.of(key).fetch(key)).isCompletedExceptionally();
        assertThat(owners.of(key)).as("still asked").isNotNull();
    }

    /** One still in the ring may only be slow for a moment: it is asked on every miss of the minute. */
    @Test
    void aPreviousOwnerStillInTheRingThatCannotBeReachedIsAskedAgainWithinTheMinute() throws Exception {
        String key = joinAndPickAKeyFromB();
        answers = false;
        noAnswer = new PeerUnavailableException("peer b:1 did not connect within 2000 ms");

        assertThat(owners.of(key).fetch(key)).isCompletedExceptionally();
        assertThat(owners.of(key).fetch(key)).isCompletedExceptionally();
        assertThat(asked).containsExactly("b:1", "b:1");
    }

    @Test
    void whatItLearnedAfterOneChangeDoesNotCountForTheNext() throws Exception {
        String key = joinAndPickAKeyFromB();
        nanos.addAndGet(61 * SECOND);
        stillHandingOff = false;
        miss(key);
        assertThat(owners.of(key)).isNull();

        membership.update(List.of("a:1", "c:1"));
        nanos.addAndGet(61 * SECOND);
        HashRing before = HashRing.of(List.of("a:1", "b:1", "c:1"), RingHash.XXH3, 16);
        String fromB = null;
        for (int i = 0; fromB == null; i++) {
            fromB = before.owner("j" + i).equals("b:1") ? "j" + i : null;
        }
        assertThat(owners.of(fromB)).as("b is asked again after the next change").isNotNull();
    }

    @Test
    void nobodyIsAskedBeforeAnyChangeNorByANodeThatStartedAlone() {
        assertThat(owners.of("any")).isNull();
        membership.update(List.of("c:1"));
        assertThat(owners.of("any")).as("nothing was anywhere before").isNull();
    }

    /**
     * A second member joining while the first join's entries still move leaves this node the owner of the keys it
     * took, and those keys still on their way from their owner before: it is still asked.
     */
    @Test
    void aChangeThatLeavesTheKeyHereStillAsksTheOwnerTheChangeBeforeTookItFrom() throws Exception {
        String key = joinTwiceAndPickAKeyTheFirstJoinTookFromB();
        miss(key);
        assertThat(asked).containsExactly("b:1");

        // Once b says it has handed everything over, after the minute, it is asked no more for that change's keys.
        nanos.addAndGet(61 * SECOND);
        stillHandingOff = false;
        miss(key);
        assertThat(owners.of(key)).isNull();
    }

    /** Looking back costs every miss a ring lookup per change: a change before the last counts for ten minutes. */
    @Test
    void aChangeBeforeTheLastIsLookedAtForTenMinutesOnly() throws Exception {
        String key = joinTwiceAndPickAKeyTheFirstJoinTookFromB();
        nanos.addAndGet(9 * 60 * SECOND);
        miss(key);
        assertThat(asked).as("b still hands off").containsExactly("b:1");

        nanos.addAndGet(2 * 60 * SECOND);
        assertThat(owners.of(key)).isNull();
    }

    /** This node joins a and b, then d joins; returns a key b owned before, this node after both joins. */
    private String joinTwiceAndPickAKeyTheFirstJoinTookFromB() {
        membership.update(List.of("c:1"));
        membership.update(List.of("a:1", "b:1", "c:1"));
        membership.update(List.of("a:1", "b:1", "c:1", "d:1"));
        HashRing first = HashRing.of(List.of("a:1", "b:1"), RingHash.XXH3, 16);
        HashRing second = HashRing.of(List.of("a:1", "b:1", "c:1"), RingHash.XXH3, 16);
        for (int i = 0; ; i++) {
            String key = "k" + i;
            if (membership.ring().owner(key).equals("c:1") && second.owner(key).equals("c:1")
                    && first.owner(key).equals("b:1")) {
                return key;
            }
        }
    }

    /** Only the last {@value Membership#RECENT_CHANGES} changes are looked at. */
    @Test
    void aKeyThatCameBeforeTheRecentChangesIsAskedOfNobody() {
        membership.update(List.of("c:1"));
        membership.update(List.of("a:1", "b:1", "c:1"));
        HashRing first = HashRing.of(List.of("a:1", "b:1"), RingHash.XXH3, 16);
        List<String> members = new ArrayList<>(List.of("a:1", "b:1", "c:1"));
        for (int i = 0; i < Membership.RECENT_CHANGES; i++) {
            members.add("x" + i + ":1");
            membership.update(members);
        }
        int checked = 0;
        for (int i = 0; i < 1_000; i++) {
            String key = "k" + i;
            if (membership.ring().owner(key).equals("c:1") && first.owner(key).equals("b:1")) {
                assertThat(owners.of(key)).as(key).isNull();
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }
}
