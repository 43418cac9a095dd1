package io.ringcache.node.discovery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between retries: {@code initial}, doubling up to {@code max}, each with up to 20% taken off at random
 * so that nodes that failed together (a Role deleted, an API server restarted) do not retry together.
 * Not thread-safe: one retry loop owns it.
 */
public final class Backoff {

    private static final double JITTER = 0.2;

    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, was " + initial + " and " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = initialMillis;
    }

    /** The delay before the next attempt; the one after will be twice as long, up to the maximum. */
    public long nextMillis() {
        long delay = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return delay - (long) (delay * JITTER * ThreadLocalRandom.current().nextDouble());
    }

    /** Starts again from the initial delay, after a success. */
    public void reset() {
        nextMillis = initialMillis;
    }

    public long maxMillis() {
        return maxMillis;
    }
}
