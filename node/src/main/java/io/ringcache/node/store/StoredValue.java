package io.ringcache.node.store;

import java.util.Objects;

/**
 * An immutable value with its expiry and version. Stores hand out the instance they hold, so a reader sees
 * the three as one atomic whole even while another thread overwrites the key.
 *
 * <p>A store holds one per entry and a put makes a new one, so its size is paid per entry and per write. A value
 * without expiry, most of a cache's, leaves the expiry field out, as Caffeine's generated nodes leave out the
 * fields of features a cache does not use: 24 bytes instead of 32 with compressed oops and class pointers (a put of the
 * throughput benchmark allocates 167 bytes instead of 174, JMH's {@code -prof gc}, bench/RESULTS.md, twenty-seventh
 * session). Only {@link #expiresAtMillis()} differs between the two kinds; the value and version are read from this
 * class's own final fields.
 */
public abstract sealed class StoredValue permits StoredValue.WithoutExpiry, StoredValue.WithExpiry {

    /** The expiry of a value that does not expire. */
    public static final long NEVER = Long.MAX_VALUE;

    /**
     * The latest expiry that is still a deadline. An explicit deadline beyond it is clamped to it, so asking
     * for the largest time there is (as {@code PXAT 9223372036854775807} does) is not mistaken for no expiry.
     */
    public static final long LATEST_DEADLINE = NEVER - 1;

    /** The version of a value no write gave one: older than every write. */
    public static final long UNVERSIONED = 0;

    private final byte[] value;
    private final long version;

    private StoredValue(byte[] value, long version) {
        this.value = Objects.requireNonNull(value, "value");
        this.version = version;
    }

    /**
     * A value with its expiry and version.
     *
     * @param value the bytes; callers must not modify the array
     * @param expiresAtMillis epoch milliseconds after which the value is gone, or {@link #NEVER}
     * @param version orders the writes of one key across the cluster (a larger version is a later write), given
     *     by the member that applied the write as the key's owner; {@link #UNVERSIONED} for a value loaded from
     *     the origin, which any write replaces
     */
    public static StoredValue of(byte[] value, long expiresAtMillis, long version) {
        return expiresAtMillis == NEVER
                ? new WithoutExpiry(value, version)
                : new WithExpiry(value, expiresAtMillis, version);
    }

    /** An {@link #UNVERSIONED} value. */
    public static StoredValue of(byte[] value, long expiresAtMillis) {
        return of(value, expiresAtMillis, UNVERSIONED);
    }

    /** The bytes; callers must not modify the array. */
    public final byte[] value() {
        return value;
    }

    /** Epoch milliseconds after which the value is gone, or {@link #NEVER}. */
    public abstract long expiresAtMillis();

    /** Orders the writes of one key across the cluster; {@link #UNVERSIONED} for a value no write gave one. */
    public final long version() {
        return version;
    }

    /** Whether the value's time to live has passed at {@code nowMillis}. */
    public final boolean isExpiredAt(long nowMillis) {
        return nowMillis >= expiresAtMillis();
    }

    /** Milliseconds left at {@code nowMillis} ({@code 0} once expired), or {@link #NEVER}. */
    public final long remainingMillisAt(long nowMillis) {
        long expiresAtMillis = expiresAtMillis();
        return expiresAtMillis == NEVER ? NEVER : Math.max(0, expiresAtMillis - nowMillis);
    }

    /** Sizes and numbers only: a value's bytes may be large or secret. */
    @Override
    public final String toString() {
        return "StoredValue[" + value.length + " bytes, expiresAtMillis=" + expiresAtMillis() + ", version=" + version
                + "]";
    }

    static final class WithoutExpiry extends StoredValue {

        private WithoutExpiry(byte[] value, long version) {
            super(value, version);
        }

        @Override
        public long expiresAtMillis() {
            return NEVER;
        }
    }

    static final class WithExpiry extends StoredValue {

        private final long expiresAtMillis;

        private WithExpiry(byte[] value, long expiresAtMillis, long version) {
            super(value, version);
            this.expiresAtMillis = expiresAtMillis;
        }

        @Override
        public long expiresAtMillis() {
            return expiresAtMillis;
        }
    }
}
