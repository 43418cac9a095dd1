package io.ringcache.node.store;

/**
 * An immutable value with its expiry. Stores hand out the instance they hold, so a reader sees the
 * value and its expiry as one atomic pair even while another thread overwrites the key.
 *
 * @param value the bytes; callers must not modify the array
 * @param expiresAtMillis epoch milliseconds after which the value is gone, or {@link #NEVER}
 */
public record StoredValue(byte[] value, long expiresAtMillis) {

    /** The expiry of a value that does not expire. */
    public static final long NEVER = Long.MAX_VALUE;

    public StoredValue {
        if (value == null) {
            throw new NullPointerException("value");
        }
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
