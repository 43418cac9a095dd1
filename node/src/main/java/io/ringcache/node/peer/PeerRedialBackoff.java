package io.ringcache.node.peer;

import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * When one peer may be dialled again: at once, or after a failed dial only once its backoff passes (100 ms, doubling
 * to 5 s, reset by a successful connect), so that calls in between fail at once instead of piling up on a peer that
 * refuses. A failed dial does not back the peer off while a connection to it made after that dial began is open: the
 * peer accepted that connection, so it is not refusing, and a backoff would fail the calls of the failed dial's slot
 * at once while the peer answers on another. A connection made before the dial began proves nothing of the kind (a
 * peer that stopped listening, shutting down, keeps the connections it has): the slot's next dial, refused too,
 * backs the peer off. The only failed dials that do not back a peer off are those under way when it accepted a
 * connection that is still open.
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
    /** Connects made so far; a dial notes the count when it begins, to tell which connects came after it. */
    private long connects;
    /** Per slot, the {@link #connects} count its last connect made; 0 while it has made none. */
    private final long[] connectOfSlot;

    PeerRedialBackoff(int slots, LongSupplier nanoClock) {
        this.connectOfSlot = new long[slots];
        this.nanoClock = nanoClock;
    }

    /** @return the start of a dial that begins now, to hand to {@link #failed} should it fail */
    long dialing() {
        return connects;
    }

    /** The dial of {@code slot} connected: the peer may be dialled again at once. */
    void connected(int slot) {
        backoffMillis = 0;
        connectOfSlot[slot] = ++connects;
    }

    /**
     * The dial that began at {@code dialStart} failed: the peer is backed off, twice as long as last time, unless a
     * slot whose connection is {@code open} now connected after that dial began.
     */
    void failed(long dialStart, IntPredicate open) {
        for (int slot = 0; slot < connectOfSlot.length; slot++) {
            if (connectOfSlot[slot] > dialStart && open.test(slot)) {
                return;
            }
        }
        backoffMillis = backoffMillis == 0 ? FIRST_MILLIS : Math.min(MAX_MILLIS, backoffMillis * 2);
        retryAtNanos = nanoClock.getAsLong() + backoffMillis * 1_000_000;
    }

    /** The nanoseconds left until the peer may be dialled again; 0 or less when it may be now. */
    long nanosToWait() {
        return backoffMillis == 0 ? 0 : retryAtNanos - nanoClock.getAsLong();
    }
}
