package io.ringcache.node.group;

import io.ringcache.node.store.TimeSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives writes their versions: a hybrid logical clock. A version is the wall-clock millisecond shifted left by
 * {@value #COUNTER_BITS} bits plus a counter, so versions from different members compare roughly by when the
 * write happened; every version this clock gives is larger than every version it gave or {@linkplain #observe
 * saw} before, so one member's writes of a key are ordered even when its clock steps back or another member's
 * clock runs ahead.
 *
 * <p>Versions decide between two writes of a key that reached different members, which happens when a write's
 * owner did not answer and the next member applied it in its place: the larger version wins wherever the two
 * meet. Two members whose clocks differ by more than the time between two writes of one key can order them
 * wrongly; within one owner they never are.
 */
final class WriteStamps {

    /** Room for 65,536 writes per millisecond before versions run ahead of the clock (and then they still grow). */
    static final int COUNTER_BITS = 16;

    private final TimeSource time;
    private final AtomicLong last = new AtomicLong();

    WriteStamps(TimeSource time) {
        this.time = time;
    }

    /** A version larger than any given or observed before. Never {@code 0}. */
    long next() {
        long physical = time.nowMillis() << COUNTER_BITS;
        return last.accumulateAndGet(physical, (previous, now) -> Math.max(previous + 1, now));
    }

    /** The newest version given or observed so far. */
    long latest() {
        return last.get();
    }

    /** Makes every later {@link #next} larger than {@code version}, a version another member gave. */
    void observe(long version) {
        if (version > last.get()) {
            last.accumulateAndGet(version, Math::max);
        }
    }
}
