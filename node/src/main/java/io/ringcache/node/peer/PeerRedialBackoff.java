package io.ringcache.node.peer;

import java.util.function.LongSupplier;

/**
 * When one peer may be dialled again: at once, or after a failed dial only once its backoff passes (100 ms, doubling
 * to 5 s, reset by a successful connect), so that calls in between fail at once instead of piling up on a peer that
 * refuses.
 *
 * <p>Not thread-safe: its peer's pool calls it under the pool's lock.
 */
final class PeerRedialBackoff {

    private static final long FIRST_MILLIS = 100;
    private static final long MAX_MILLIS = 5_000;

    /** The monotonic clock the backoff is timed by: {@link System#nanoTime}, or a test's. */
    private final LongSupplier nanoClock;
    /** The wait after the last failure; 0 while the peer is not backed off (never failed, or connected since). */
    private long backoffMillis;
    /**
     * When the backoff ends, on {@link #nanoClock}; meaningful only while {@link #backoffMillis} is not 0, and
     * compared by difference: {@code nanoTime} may read anything, negative included, and wrap.
     */
    private long retryAtNanos;

    PeerRedialBackoff(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** A dial connected: the peer may be dialled again at once. */
    void connected() {
        backoffMillis = 0;
    }

    /** A dial failed: the peer is backed off, twice as long as last time. */
    void failed() {
        backoffMillis = backoffMillis == 0 ? FIRST_MILLIS : Math.min(MAX_MILLIS, backoffMillis * 2);
        retryAtNanos = nanoClock.getAsLong() + backoffMillis * 1_000_000;
    }

    /** The nanoseconds left until the peer may be dialled again; 0 or less when it may be now. */
    long nanosToWait() {
        return backoffMillis == 0 ? 0 : retryAtNanos - nanoClock.getAsLong();
    }
}
