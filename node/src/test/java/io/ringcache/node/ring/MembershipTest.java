package io.ringcache.node.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MembershipTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong nanos = new AtomicLong(100 * SECOND);

    private Membership membership(String self, List<String> members) {
        Membership m = new Membership(self, HashRing.of(List.of(), RingHash.XXH3, 16), nanos::get);
        m.update(members);
        return m;
    }

    @Test
    void theLastChangeTellsTheRingsBeforeAndAfterItAndHowLongAgoItHappened() {
        Membership m = membership("a:1", List.of("a:1", "b:1", "c:1"));
        m.update(List.of("a:1", "b:1"));
        Membership.Change last = m.recentChanges().get(0);
        assertThat(last.previous().members()).containsExactly("a:1", "b:1", "c:1");
        assertThat(last.ring()).isSameAs(m.ring());
        assertThat(last.returned()).isFalse();
        assertThat(m.nanosSince(last)).isZero();
        nanos.addAndGet(61 * SECOND);
        assertThat(m.nanosSince(last)).isEqualTo(61 * SECOND);
        assertThat(last.number()).isEqualTo(2);
        assertThat(m.changes()).isEqualTo(2);
    }

    @Test
    void aChangeThatBringsThisNodeBackAmongOthersIsAReturn() {
        Membership m = membership("a:1", List.of("a:1", "b:1"));
        assertThat(m.recentChanges().get(0).returned()).as("a first join").isFalse();
        m.update(List.of("b:1"));
        assertThat(m.recentChanges().get(0).returned()).isFalse();
        m.update(List.of("a:1", "b:1"));
        assertThat(m.recentChanges().get(0).returned()).isTrue();
    }

    @Test
    void aNodeThatJustJoinedTakesItsKeysFromTheRingWithoutIt() {
        Membership m = membership("d:1", List.of("d:1"));
        m.update(List.of("a:1", "b:1", "c:1", "d:1"));
        assertThat(m.recentChanges().get(0).previous().members()).containsExactly("a:1", "b:1", "c:1");
        assertThat(m.recentChanges().get(0).ring().members()).as("the ring it made, with it")
                .containsExactly("a:1", "b:1", "c:1", "d:1");
    }

    @Test
    void beforeAnyChangeThereIsNoneToTell() {
        Membership m = new Membership("a:1", HashRing.of(List.of(), RingHash.XXH3, 16), nanos::get);
        assertThat(m.recentChanges()).isEmpty();
        assertThat(m.numberedRing().change()).isZero();
    }

    @Test
    void aNodeSettlesItsIdUntilARingListsIt() {
        Membership m = membership("fd00::1:7100", List.of("10.0.0.2:7100"));
        m.settleSelf("10.0.0.1:7100");
        assertThat(m.self()).isEqualTo("10.0.0.1:7100");

        m.update(List.of("10.0.0.1:7100", "10.0.0.2:7100"));
        assertThat(m.recentChanges().get(0).previous().members()).as("it just joined").containsExactly("10.0.0.2:7100");
        m.settleSelf("10.0.0.1:7100");
        assertThatThrownBy(() -> m.settleSelf("fd00::1:7100")).isInstanceOf(IllegalStateException.class)
                .hasMessage("this node is already 10.0.0.1:7100 in its ring; it cannot become fd00::1:7100");
        // Leaving the ring does not free the id: the entries it hands off are still filed under it.
        m.leave();
        assertThat(m.ring().members()).containsExactly("10.0.0.2:7100");
        assertThatThrownBy(() -> m.settleSelf("fd00::1:7100")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aNodeInItsInitialRingHasSettledItsId() {
        Membership m = new Membership("a:1", HashRing.of(List.of("a:1"), RingHash.XXH3, 16), nanos::get);
        assertThatThrownBy(() -> m.settleSelf("b:1")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLeavingNodeStaysOutOfEveryLaterRing() {
        Membership m = membership("a:1", List.of("a:1", "b:1"));
        m.leave();
        assertThat(m.isLeaving()).isTrue();
        assertThat(m.ring().members()).containsExactly("b:1");
        m.update(List.of("a:1", "b:1", "c:1"));
        assertThat(m.ring().members()).containsExactly("b:1", "c:1");
        assertThat(m.ring().owner("any")).isNotEqualTo("a:1");
    }

    /**
     * A membership whose clock, read between working out the next ring and swapping it in, runs {@code interleaved}
     * once when armed: what another thread does in that gap.
     */
    private Membership membershipInterleaving(List<String> members, AtomicReference<Runnable> interleaved) {
        return new Membership("a:1", HashRing.of(members, RingHash.XXH3, 16), () -> {
            Runnable r = interleaved.getAndSet(null);
            if (r != null) {
                r.run();
            }
            return nanos.get();
        });
    }

    @Test
    void aDiscoveryUpdateRacingWithLeaveNeverPutsTheLeavingNodeBackInItsRing() {
        AtomicReference<Runnable> interleaved = new AtomicReference<>();
        Membership m = membershipInterleaving(List.of("a:1", "b:1"), interleaved);
        // SIGTERM lands while discovery delivers a ring that still lists this node.
        interleaved.set(m::leave);
        m.update(List.of("a:1", "b:1", "c:1"));

        assertThat(m.isLeaving()).isTrue();
        assertThat(m.ring().members()).containsExactlyInAnyOrder("b:1", "c:1");
    }

    @Test
    void leaveDoesNotUndoAnUpdateThatLandedWhileItWorkedOutItsRing() {
        AtomicReference<Runnable> interleaved = new AtomicReference<>();
        Membership m = membershipInterleaving(List.of("a:1", "b:1"), interleaved);
        // Discovery delivers a new member while leave() swaps its ring in; it will not deliver the same set again.
        interleaved.set(() -> m.update(List.of("a:1", "b:1", "c:1")));
        m.leave();

        assertThat(m.ring().members()).containsExactlyInAnyOrder("b:1", "c:1");
    }

    @Test
    void sameMembersInAnotherOrderIsNoChange() {
        Membership m = membership("a:1", List.of("a:1", "b:1"));
        long before = m.changes();
        m.update(List.of("b:1", "a:1", "b:1"));
        assertThat(m.changes()).isEqualTo(before);
    }

    @Test
    void theNumberedRingIsTheRingWithTheNumberOfTheChangeThatMadeIt() {
        Membership m = new Membership("a:1", HashRing.of(List.of(), RingHash.XXH3, 16), nanos::get);
        assertThat(m.numberedRing().change()).isZero();
        m.update(List.of("a:1", "b:1"));
        m.update(List.of("a:1", "b:1", "c:1"));
        assertThat(m.numberedRing().change()).isEqualTo(2);
        assertThat(m.numberedRing().ring()).isSameAs(m.ring());
    }

    /** The hand-off hears of ring changes as a listener: one that fails before it must not keep it from hearing. */
    @Test
    void aListenerThatThrowsDoesNotKeepTheOthersFromHearingOfTheChange() {
        Membership m = membership("a:1", List.of("a:1"));
        List<List<String>> heard = new ArrayList<>();
        m.onChange((before, after) -> {
            throw new IllegalStateException("failing listener");
        });
        m.onChange((before, after) -> heard.add(after.members()));

        m.update(List.of("a:1", "b:1"));

        assertThat(heard).hasSize(1);
        assertThat(heard.get(0)).containsExactlyInAnyOrder("a:1", "b:1");
        assertThat(m.ring().members()).containsExactlyInAnyOrder("a:1", "b:1");
    }

    @Test
    void theRecentChangesAreTheLastFewNewestFirst() {
        Membership m = membership("a:1", List.of("a:1"));
        List<String> members = new ArrayList<>(List.of("a:1"));
        for (int i = 0; i < Membership.RECENT_CHANGES + 2; i++) {
            members.add("m" + i + ":1");
            m.update(members);
        }
        List<Membership.Change> recent = m.recentChanges();
        assertThat(recent).hasSize(Membership.RECENT_CHANGES);
        assertThat(recent.get(0).number()).isEqualTo(m.changes());
        assertThat(recent.get(Membership.RECENT_CHANGES - 1).number()).isEqualTo(m.changes() - Membership.RECENT_CHANGES + 1);
        assertThat(recent.get(0).previous().members()).doesNotContain("m" + (Membership.RECENT_CHANGES + 1) + ":1")
                .contains("m" + Membership.RECENT_CHANGES + ":1");
        nanos.addAndGet(5 * SECOND);
        assertThat(m.nanosSince(recent.get(0))).isEqualTo(5 * SECOND);
    }
}
