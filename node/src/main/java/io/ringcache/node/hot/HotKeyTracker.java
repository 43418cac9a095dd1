package io.ringcache.node.hot;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import net.openhft.hashing.LongHashFunction;

/**
 * Estimates each key's request rate on its owner with a count-min sketch, not a map of every key ever seen:
 * memory is fixed ({@value #DEPTH} rows of {@value #WIDTH} counters per window) whatever the key space.
 *
 * <p>Time is cut into one-second windows. A key's rate is its count in the current window plus the previous
 * window's count weighted by the part of it still inside the last second (a sliding-window estimate), so a
 * key does not lose its hotness at every window boundary. A count-min sketch only over-estimates, and only
 * through collisions: an owner forwarded R requests/s adds about R / {@value #WIDTH} to each row's count of a
 * cold key, 3 at 100,000 requests/s, and a cold key passes the threshold only if every one of the
 * {@value #DEPTH} rows does. That keeps thresholds far below the default accurate (measured in
 * {@code HotKeyTrackerTest}: at a threshold of 5, 0.15% of keys read once pass it while 100,000 others are
 * counted in the same second; with 8,192 counters a row, 98% did). A key wrongly taken for hot costs a
 * short-lived copy on its reader and a holder record here. A window's sketch is 512 KiB, allocated by the first
 * request counted in it: a group no peer asks holds none.
 *
 * <p>Thread-safe without locks: counters are atomic, and the window is rotated by a compare-and-set of an
 * immutable window object; an increment that races with a rotation lands in the window just retired, a
 * harmless undercount of one.
 */
public final class HotKeyTracker {

    private static final int DEPTH = 4;
    private static final int WIDTH = 32_768;
    private static final long WINDOW_NANOS = 1_000_000_000L;
    private static final LongHashFunction HASH = LongHashFunction.xx3(0x5eed_cafe_f00dL);

    private final long thresholdPerSecond;
    private final LongSupplier nanoClock;
    private final AtomicReference<Window> window = new AtomicReference<>();

    /**
     * @param thresholdPerSecond requests per second above which a key is hot
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime} in production)
     */
    public HotKeyTracker(long thresholdPerSecond, LongSupplier nanoClock) {
        this.thresholdPerSecond = thresholdPerSecond;
        this.nanoClock = nanoClock;
    }

    /** Counts one request for {@code key} and says whether the key is hot now. */
    public boolean recordAndCheck(String key) {
        long now = nanoClock.getAsLong();
        Window w = current(now);
        long h = HASH.hashChars(key);
        int h1 = (int) h;
        int h2 = (int) (h >>> 32);
        int estimate = Integer.MAX_VALUE;
        for (int row = 0; row < DEPTH; row++) {
            estimate = Math.min(estimate, w.counts.incrementAndGet(slot(row, h1, h2)));
        }
        if (estimate > thresholdPerSecond || w.previousCounts == null) {
            return estimate > thresholdPerSecond;
        }
        int previousEstimate = Integer.MAX_VALUE;
        for (int row = 0; row < DEPTH; row++) {
            previousEstimate = Math.min(previousEstimate, w.previousCounts.get(slot(row, h1, h2)));
        }
        double previousShareStillInside = 1.0 - (double) (now - w.startNanos) / WINDOW_NANOS;
        return estimate + previousEstimate * previousShareStillInside > thresholdPerSecond;
    }

    /** Row {@code row}'s counter for a key hashed to {@code h1, h2} (Kirsch-Mitzenmacher double hashing). */
    private static int slot(int row, int h1, int h2) {
        return row * WIDTH + ((h1 + row * h2) & (WIDTH - 1));
    }

    private Window current(long now) {
        while (true) {
            Window w = window.get();
            Window next;
            if (w == null) {
                next = new Window(now, null);
            } else {
                long age = now - w.startNanos;
                if (age < WINDOW_NANOS) {
                    return w;
                }
                // Windows stay aligned to whole seconds from the first one. The window just ended becomes the
                // previous one; after a silence longer than a window, there is none.
                next = new Window(now - age % WINDOW_NANOS, age < 2 * WINDOW_NANOS ? w.counts : null);
            }
            if (window.compareAndSet(w, next)) {
                return next;
            }
        }
    }

    /** One second of counts, and the counts of the second before it ({@code null} if that was silent). */
    private static final class Window {
        final long startNanos;
        final AtomicIntegerArray counts = new AtomicIntegerArray(DEPTH * WIDTH);
        final AtomicIntegerArray previousCounts;

        Window(long startNanos, AtomicIntegerArray previousCounts) {
            this.startNanos = startNanos;
            this.previousCounts = previousCounts;
        }
    }
}
