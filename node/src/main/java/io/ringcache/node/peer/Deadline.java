package io.ringcache.node.peer;

import java.util.concurrent.TimeUnit;

/**
 * When the sender of a request stops waiting for its answer, on this node's monotonic clock: the request's
 * {@code timeout_millis} counted from when this node read it. Time the request spent on the wire or waiting to be
 * read is not counted (the two nodes' clocks are never compared), so the receiver's deadline is never earlier than
 * the sender's. A receiver does not start to apply a write whose deadline passed: the sender has given up on it,
 * and a write applied now would be one its sender was told may or may not have happened.
 */
public final class Deadline {

    /** For a request that carries no deadline ({@code timeout_millis} 0): it never passes. */
    public static final Deadline NONE = new Deadline(0, false);

    private final long atNanos;
    private final boolean bounded;

    private Deadline(long atNanos, boolean bounded) {
        this.atNanos = atNanos;
        this.bounded = bounded;
    }

    /** The deadline {@code millis} from now; 0 or less has passed already. */
    public static Deadline inMillis(long millis) {
        return new Deadline(nanoTimeIn(millis), true);
    }

    /**
     * {@link System#nanoTime()} {@code millis} from now (0 or less: now), for a deadline that is only ever compared
     * by difference ({@code now - deadline >= 0}). The milliseconds are counted in nanoseconds up to
     * {@link Long#MAX_VALUE} (292 years) and no further: a call may wait two configured timeouts of up to
     * {@code Durations.MAX} each, more nanoseconds than a long holds, and multiplied out they wrapped around to a
     * deadline in the past, failing the call at once. The sum with {@code nanoTime()} may wrap too, which is
     * harmless: a difference of two {@code nanoTime()} values is right across the wrap for anything up to
     * {@link Long#MAX_VALUE} apart.
     */
    static long nanoTimeIn(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
    }

    /** The deadline of a request read now that carries {@code timeoutMillis}: {@link #NONE} for 0. */
    static Deadline ofRequest(int timeoutMillis) {
        return timeoutMillis == 0 ? NONE : inMillis(Integer.toUnsignedLong(timeoutMillis));
    }

    public boolean passed() {
        return bounded && System.nanoTime() - atNanos >= 0;
    }

    @Override
    public String toString() {
        return bounded ? "in " + (atNanos - System.nanoTime()) / 1_000_000 + " ms" : "none";
    }
}
