package io.ringcache.node.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriteStampsTest {

    private final AtomicLong clock = new AtomicLong(1_000_000L);
    private final WriteStamps stamps = new WriteStamps(clock::get);

    @Test
    void versionsFollowTheClockAndGrowWithinOneMillisecond() {
        long first = stamps.next();
        long second = stamps.next();
        assertThat(first).isEqualTo(1_000_000L << WriteStamps.COUNTER_BITS);
        assertThat(second).isEqualTo(first + 1);
        clock.addAndGet(5);
        assertThat(stamps.next()).isEqualTo(1_000_005L << WriteStamps.COUNTER_BITS);
    }

    @Test
    void versionsKeepGrowingWhenTheClockStepsBack() {
        long before = stamps.next();
        clock.addAndGet(-60_000);
        assertThat(stamps.next()).isGreaterThan(before);
    }

    @Test
    void aVersionSeenFromAMemberWhoseClockRunsAheadIsPassedByTheNextOne() {
        long ahead = (clock.get() + 10_000) << WriteStamps.COUNTER_BITS;
        stamps.observe(ahead);
        assertThat(stamps.next()).isEqualTo(ahead + 1);
        stamps.observe(1);
        assertThat(stamps.next()).as("an older version changes nothing").isEqualTo(ahead + 2);
    }

    @Test
    void versionsAreNeverTheUnversionedZero() {
        WriteStamps atEpoch = new WriteStamps(() -> 0L);
        assertThat(atEpoch.next()).isPositive();
    }
}
