package io.ringcache.node.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.ring.HashRing;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.ring.RingHash;
import io.ringcache.node.store.StoredValue;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which held copies a node back in its ring asks about: those from before its return, until answered, for a while. */
class RegainedCopiesTest {

    private static final String SELF = "a:1";
    private static final List<String> WITH = List.of(SELF, "b:1");
    private static final List<String> WITHOUT = List.of("b:1");
    private static final StoredValue FROM_BEFORE = StoredValue.of(new byte[] {1}, StoredValue.NEVER, 100);
    private static final StoredValue WRITTEN_SINCE = StoredValue.of(new byte[] {2}, StoredValue.NEVER, 101);

    private final AtomicLong nanos = new AtomicLong();
    private final Membership membership = new Membership(SELF, HashRing.of(List.of(), RingHash.XXH3, 16), nanos::get);
    private final AtomicLong held = new AtomicLong(1);
    private final RegainedCopies regained = new RegainedCopies(membership, () -> 100, held::get);

    @Test
    void aReturnMakesTheCopiesHeldFromBeforeItDoubtfulUntilSettled() {
        membership.update(WITH);
        membership.update(WITHOUT);
        membership.update(WITH);

        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).isTrue();
        assertThat(regained.mayBeOlder("k", WRITTEN_SINCE)).as("written since the return").isFalse();
        assertThat(regained.mayBeOlder("k", StoredValue.of(new byte[] {3}, StoredValue.NEVER)))
                .as("loaded, unversioned").isTrue();
        regained.settled("k", regained.current());
        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).isFalse();
        assertThat(regained.mayBeOlder("other", FROM_BEFORE)).isTrue();
    }

    /** An answer to a question asked before the latest return settles nothing: the key may have moved again since. */
    @Test
    void anAnswerToAQuestionAskedBeforeTheLatestReturnSettlesNothing() {
        membership.update(WITH);
        membership.update(WITHOUT);
        membership.update(WITH);
        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).isTrue();
        Object asked = regained.current();
        membership.update(WITHOUT);
        membership.update(WITH);
        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).isTrue();

        regained.settled("k", asked);

        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).isTrue();
    }

    @Test
    void theDoubtEndsAtTheHorizon() {
        membership.update(WITH);
        membership.update(WITHOUT);
        membership.update(WITH);
        nanos.addAndGet(RegainedCopies.HORIZON.toNanos());
        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).isFalse();
    }

    /** Requests route by the new ring before the change's listeners run: the first look notices the return itself. */
    @Test
    void theReturnCountsFromTheMomentItsRingIsInPlace() {
        membership.update(WITH);
        membership.update(WITHOUT);
        AtomicBoolean doubtedAsTheRingChanged = new AtomicBoolean();
        membership.onChange((before, after) -> doubtedAsTheRingChanged.set(regained.mayBeOlder("k", FROM_BEFORE)));
        membership.update(WITH);
        assertThat(doubtedAsTheRingChanged).isTrue();
    }

    @Test
    void aReturnHoldingNothingDoubtsNothing() {
        held.set(0);
        membership.update(WITH);
        membership.update(WITHOUT);
        membership.update(WITH);
        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).isFalse();
    }

    @Test
    void aFirstJoinOrAChangeThatKeepsThisNodeInIsNoReturn() {
        membership.update(WITH);
        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).as("a first join").isFalse();
        membership.update(List.of(SELF, "b:1", "c:1"));
        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).as("never out of the ring").isFalse();
        membership.update(WITHOUT);
        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).as("out").isFalse();
    }
}
