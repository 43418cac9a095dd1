package io.ringcache.node.hot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HotKeyTrackerTest {

    private static final long MS = 1_000_000L;
    private final AtomicLong nanos = new AtomicLong(5_000 * MS);
    private final HotKeyTracker tracker = new HotKeyTracker(10, nanos::get);

    private boolean hitTimes(String key, int times) {
        boolean hot = false;
        for (int i = 0; i < times; i++) {
            hot = tracker.recordAndCheck(key);
        }
        return hot;
    }

    @Test
    void keyBecomesHotOnlyAboveTheThresholdPerSecond() {
        assertThat(hitTimes("k", 10)).isFalse();
        assertThat(tracker.recordAndCheck("k")).isTrue();
        assertThat(tracker.recordAndCheck("other")).isFalse();
    }

    @Test
    void previousSecondCountsForThePartOfItStillInsideTheLastSecond() {
        hitTimes("k", 10);
        nanos.addAndGet(1_100 * MS);
        // 10 requests a second ago, 90% of that window still inside the sliding second: 9 + 2 > 10.
        assertThat(tracker.recordAndCheck("k")).isFalse();
        assertThat(tracker.recordAndCheck("k")).isTrue();
    }

    @Test
    void hotnessFadesWhenRequestsStop() {
        assertThat(hitTimes("k", 50)).isTrue();
        nanos.addAndGet(2_500 * MS);
        assertThat(tracker.recordAndCheck("k")).isFalse();
    }

    @Test
    void manyColdKeysDoNotMakeAnotherKeyHot() {
        for (int i = 0; i < 50_000; i++) {
            tracker.recordAndCheck("cold-" + i);
        }
        assertThat(tracker.recordAndCheck("fresh")).isFalse();
    }

    /** A threshold as low as 5 needs a wide sketch: here an owner is forwarded 110,000 requests in a second. */
    @Test
    void atALowThresholdFewColdKeysPassUnderHeavyTraffic() {
        HotKeyTracker lowThreshold = new HotKeyTracker(5, nanos::get);
        for (int i = 0; i < 100_000; i++) {
            lowThreshold.recordAndCheck("cold-" + i);
        }
        int falselyHot = 0;
        for (int i = 0; i < 10_000; i++) {
            if (lowThreshold.recordAndCheck("fresh-" + i)) {
                falselyHot++;
            }
        }
        // 15 of 10,000 with 32,768 counters a row; with 8,192 a row, 9,828 were.
        assertThat(falselyHot).isLessThanOrEqualTo(50);
    }
}
