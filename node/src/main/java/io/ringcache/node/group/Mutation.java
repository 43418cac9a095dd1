package io.ringcache.node.group;

import java.util.Objects;

/**
 * A read-modify-write of one key, as data: the front end describes it, the key's owner applies it atomically
 * ({@link Group#mutate}), so two clients incrementing the same key through different nodes never lose an
 * update. Every field is a primitive, an enum or a byte array, so a mutation can travel between nodes as it is.
 *
 * <p>Expiry is given as an {@link ExpiryMode} and a number of milliseconds. Relative times
 * ({@link ExpiryMode#AFTER_MILLIS}) are turned into a deadline on the owner's clock when applied; absolute
 * ones ({@link ExpiryMode#AT_MILLIS}) are epoch milliseconds. A deadline that has already passed removes the
 * key, as Redis does.
 */
public sealed interface Mutation {

    /** How a mutation sets the expiry of the value it writes. */
    enum ExpiryMode {
        /** The group's default TTL, if it has one; otherwise no expiry. */
        GROUP_DEFAULT,
        /** The expiry the key has now (for a new key: the group's default TTL). */
        KEEP,
        /** No expiry. */
        NONE,
        /** Expires {@code expiryMillis} after the mutation is applied; zero or less removes the key. */
        AFTER_MILLIS,
        /** Expires at {@code expiryMillis}, epoch milliseconds; a time already passed removes the key. */
        AT_MILLIS
    }

    /** Whether a {@link Set} applies, given what the key holds. */
    enum SetCondition {
        ALWAYS,
        /** Only when the key holds no value (Redis {@code NX}). */
        IF_ABSENT,
        /** Only when the key holds a value (Redis {@code XX}). */
        IF_PRESENT
    }

    /** Whether an {@link Expire} applies, given the key's current expiry. A key without one counts as never expiring. */
    enum ExpireCondition {
        ALWAYS,
        /** Only when the key has no expiry (Redis {@code NX}). */
        IF_NO_EXPIRY,
        /** Only when the key has an expiry (Redis {@code XX}). */
        IF_HAS_EXPIRY,
        /** Only when the new expiry is later than the current one (Redis {@code GT}). */
        IF_LATER,
        /** Only when the new expiry is sooner than the current one (Redis {@code LT}). */
        IF_SOONER,
        /** Only when the key has an expiry and the new one is sooner (Redis {@code XX LT}). */
        IF_HAS_EXPIRY_AND_SOONER
    }

    /**
     * Stores {@code value} if {@code condition} holds. Result: {@link MutationResult#applied()} says whether it
     * was stored; {@link MutationResult#value()} is the value held before (whether or not it applied) when
     * {@code returnOld}, else {@code null}.
     *
     * @param expiry any mode
     */
    record Set(byte[] value, SetCondition condition, ExpiryMode expiry, long expiryMillis, boolean returnOld)
            implements Mutation {
        public Set {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(expiry, "expiry");
        }
    }

    /**
     * Adds {@code delta} to the key's value read as a decimal integer (a missing key counts as 0) and stores
     * the sum in decimal, keeping the key's expiry. Result: {@link MutationResult#number()} is the sum. Fails
     * with {@link MutationRefusedException} when the value is not a canonical 64-bit decimal integer or the sum
     * would overflow; the value is then unchanged.
     */
    record IncrementBy(long delta) implements Mutation {
    }

    /**
     * Appends {@code suffix} to the key's value (a missing key counts as empty), keeping its expiry. Result:
     * {@link MutationResult#number()} is the new length. Fails with {@link ValueTooLargeException} when the
     * result would pass the value limit; the value is then unchanged.
     */
    record Append(byte[] suffix) implements Mutation {
        public Append {
            Objects.requireNonNull(suffix, "suffix");
        }
    }

    /**
     * Gives an existing key a new expiry if {@code condition} holds. Result: {@link MutationResult#applied()}
     * says whether the key existed and the condition held (a deadline already passed then removes the key and
     * still counts as applied).
     *
     * @param expiry {@link ExpiryMode#AFTER_MILLIS} or {@link ExpiryMode#AT_MILLIS}
     */
    record Expire(ExpiryMode expiry, long expiryMillis, ExpireCondition condition) implements Mutation {
        public Expire {
            Objects.requireNonNull(condition, "condition");
            if (expiry != ExpiryMode.AFTER_MILLIS && expiry != ExpiryMode.AT_MILLIS) {
                throw new IllegalArgumentException("Expire takes AFTER_MILLIS or AT_MILLIS, not " + expiry);
            }
        }
    }

    /** Removes the key's expiry. Result: {@link MutationResult#applied()} says whether it had one. */
    record Persist() implements Mutation {
    }

    /** Removes the key. Result: {@link MutationResult#value()} is the value it held, or {@code null}. */
    record GetAndDelete() implements Mutation {
    }

    /**
     * Returns the key's value and changes its expiry. Result: {@link MutationResult#value()} is the value (read
     * before a past deadline removed it), or {@code null} for a missing key, which stays missing.
     *
     * @param expiry {@link ExpiryMode#KEEP} (only read), {@link ExpiryMode#NONE} (persist),
     *     {@link ExpiryMode#AFTER_MILLIS} or {@link ExpiryMode#AT_MILLIS}
     */
    record GetAndExpire(ExpiryMode expiry, long expiryMillis) implements Mutation {
        public GetAndExpire {
            Objects.requireNonNull(expiry, "expiry");
            if (expiry == ExpiryMode.GROUP_DEFAULT) {
                throw new IllegalArgumentException("GetAndExpire does not take GROUP_DEFAULT");
            }
        }
    }
}
