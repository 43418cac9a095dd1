package io.ringcache.node.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.ring.HashRing;
import io.ringcache.node.ring.RingHash;
import io.ringcache.node.store.StoredValue;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which held copies a node back in its ring asks about: those from before its return, once each, for a while. */
class RegainedCopiesTest {

    private static final String SELF = "a:1";
    private static final HashRing WITHOUT = HashRing.of(List.of("b:1"), RingHash.XXH3, 16);
    private static final HashRing WITH = HashRing.of(List.of(SELF, "b:1"), RingHash.XXH3, 16);
    private static final StoredValue FROM_BEFORE = new StoredValue(new byte[] {1}, StoredValue.NEVER, 100);
    private static final StoredValue WRITTEN_SINCE = new StoredValue(new byte[] {2}, StoredValue.NEVER, 101);

    private final AtomicLong nanos = new AtomicLong();
    private final RegainedCopies regained = new RegainedCopies(nanos::get);

    @Test
    void aReturnMakesTheCopiesHeldFromBeforeItDoubtfulUntilChecked() {
        regained.onChange(WITHOUT, WITH, SELF, true, 100);

        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).isTrue();
        assertThat(regained.mayBeOlder("k", WRITTEN_SINCE)).as("written since the return").isFalse();
        assertThat(regained.mayBeOlder("k", new StoredValue(new byte[] {3}, StoredValue.NEVER)))
                .as("loaded, unversioned").isTrue();
        regained.checked("k");
        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).isFalse();
        assertThat(regained.mayBeOlder("other", FROM_BEFORE)).isTrue();
    }

    @Test
    void theDoubtEndsAtTheHorizon() {
        regained.onChange(WITHOUT, WITH, SELF, true, 100);
        nanos.addAndGet(RegainedCopies.HORIZON.toNanos());
        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).isFalse();
    }

    @Test
    void onlyAReturnHoldingEntriesCounts() {
        HashRing empty = HashRing.of(List.of(), RingHash.XXH3, 16);
        regained.onChange(empty, WITH, SELF, true, 100);
        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).as("a first join").isFalse();
        regained.onChange(WITHOUT, WITH, SELF, false, 100);
        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).as("nothing held").isFalse();
        regained.onChange(WITH, WITH.withMembers(List.of(SELF, "b:1", "c:1")), SELF, true, 100);
        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).as("never out of the ring").isFalse();
        regained.onChange(WITH, WITHOUT, SELF, true, 100);
        assertThat(regained.mayBeOlder("k", FROM_BEFORE)).as("leaving").isFalse();
    }
}
