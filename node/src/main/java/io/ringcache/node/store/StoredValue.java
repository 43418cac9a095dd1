package io.ringcache.node.store;

/**
 * An immutable value with its expiry and version. Stores hand out the instance they hold, so a reader sees
 * the three as one atomic whole even while another thread overwrites the key.
 *
 * @param value the bytes; callers must not modify the array
 * @param expiresAtMillis epoch milliseconds after which the value is gone, or {@link #NEVER}
 * @param version orders the writes of one key across the cluster (a larger version is a later write), given
 *     by the member that applied the write as the key's owner; {@link #UNVERSIONED} for a value loaded from
 *     the origin, which any write replaces
 */
public record StoredValue(byte[] value, long expiresAtMillis, long version) {

    /** The expiry of a value that does not expire. */
    public static final long NEVER = Long.MAX_VALUE;

    /**
     * The latest expiry that is still a deadline. An explicit deadline beyond it is clamped to it, so asking
     * for the largest time there is (as {@code PXAT 9223372036854775807} does) is not mistaken for no expiry.
     */
    public static final long LATEST_DEADLINE = NEVER - 1;

    /** The version of a value no write gave one: older than every write. */
    public static final long UNVERSIONED = 0;

    public StoredValue {
        if (value == null) {
            throw new NullPointerException("value");
        }
    }

    /** An {@link #UNVERSIONED} value. */
    public StoredValue(byte[] value, long expiresAtMillis) {
        this(value, expiresAtMillis, UNVERSIONED);
    }

    /** Whether the value's time to live has passed at {@code nowMillis}. */
    public boolean isExpiredAt(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    /** Milliseconds left at {@code nowMillis} ({@code 0} once expired), or {@link #NEVER}. */
    public long remainingMillisAt(long nowMillis) {
        return expiresAtMillis == NEVER ? NEVER : Math.max(0, expiresAtMillis - nowMillis);
    }
}
