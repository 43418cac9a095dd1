package io.ringcache.node.store;

import java.util.function.BiConsumer;

/**
 * One group's bounded local memory on one node: keys to {@link StoredValue}s, evicting by a policy
 * when the total {@linkplain EntryCharge charge} would pass {@link #maxCharge()}, and dropping
 * entries whose time to live has passed.
 *
 * <p>Contract shared by every policy:
 * <ul>
 *   <li>After every operation returns, {@link StoreStats#charge()} is at most {@link #maxCharge()};
 *       an overwrite with a larger value evicts other entries first. The policy stores hold this at every
 *       instant. The {@code tinylfu} store holds it whenever no write overlaps: Caffeine evicts for a write
 *       in maintenance that runs just after it, so while writes run concurrently the charge can briefly pass
 *       the budget by the writes not yet maintained, as bare Caffeine does.</li>
 *   <li>An entry whose charge is larger than {@link #maxCharge()} is refused with
 *       {@link EntryTooLargeException}; the store is left unchanged (an older value of the key stays).</li>
 *   <li>An expired entry is never returned (only {@link #peekIncludingExpired}, for comparing versions, shows
 *       one), and expired entries are removed actively by {@link #expireNow()}, without waiting for a read.
 *       Each entry removed for expiry is told to the store's {@link ExpiryListener} before it leaves.</li>
 *   <li>Each entry with a version (not {@link StoredValue#UNVERSIONED}) evicted to make room is told to the store's
 *       {@link EvictionListener} before it leaves; an evicted unversioned entry is told to nobody.</li>
 *   <li>All methods are safe to call from any number of threads; reads take no store-wide lock.</li>
 * </ul>
 * Keys and values are never {@code null}; passing {@code null} throws {@link NullPointerException}.
 */
public interface Store {

    /** The value of {@code key}, or {@code null} when it is absent or expired. Counts a get and a hit or miss. */
    StoredValue get(String key);

    /**
     * The live value of {@code key}, or {@code null}; unlike {@link #get}, it counts nothing and is not a use
     * of the key for eviction.
     */
    StoredValue peek(String key);

    /**
     * The value held for {@code key} even if its time to live has passed, as long as the store has not removed
     * it yet; {@code null} when none is held. For comparing versions, never for serving: a reader must not see
     * an expired value. Counts nothing and is not a use of the key for eviction.
     */
    StoredValue peekIncludingExpired(String key);

    /**
     * Whether a live (unexpired) entry is held for {@code key}. Unlike {@link #get}, it counts nothing and
     * does not count as a use of the key for eviction.
     */
    boolean containsKey(String key);

    /**
     * Checks that an entry of {@code key} and {@code value} fits this store's budget, as {@link #put} checks it,
     * without storing anything: for writes of several entries that must be refused whole or not at all.
     *
     * @throws EntryTooLargeException when it does not fit
     */
    void checkFits(String key, byte[] value);

    /**
     * Stores {@code value} under {@code key}, replacing any older value, evicting other entries as needed.
     *
     * @param expiresAtMillis wall-clock expiry in epoch milliseconds, or {@link StoredValue#NEVER}
     * @param version the value's {@link StoredValue#version()}, kept for whoever compares writes
     * @throws EntryTooLargeException when the entry's charge exceeds {@link #maxCharge()}; nothing changes
     */
    void put(String key, byte[] value, long expiresAtMillis, long version);

    /** As {@link #put(String, byte[], long, long)} for an {@link StoredValue#UNVERSIONED} value. */
    default void put(String key, byte[] value, long expiresAtMillis) {
        put(key, value, expiresAtMillis, StoredValue.UNVERSIONED);
    }

    /**
     * Calls {@code action} with every live entry, for moving entries to other nodes. Weakly consistent: an
     * entry written or removed during the walk may or may not be seen, none is seen twice. Like
     * {@link #containsKey}, it counts nothing and is not a use of any key for eviction.
     */
    void forEachEntry(BiConsumer<String, StoredValue> action);

    /** Removes {@code key}; returns whether a live (unexpired) entry was removed. */
    boolean remove(String key);

    /**
     * Removes every entry. Neither an eviction nor an expiration is counted; writes that race with it may
     * survive it or not, each as a whole.
     *
     * @return the number of live (unexpired) entries removed
     */
    long clear();

    /**
     * Removes every entry whose expiry has passed, counting each as an expiration; called periodically by
     * an {@link ExpirySweeper}. Costs time in proportion to the entries that are due, not to the entries held:
     * every store keeps the entries that have a TTL ordered by expiry, apart from those that have none.
     */
    void expireNow();

    /**
     * Sets the one listener told of every entry this store removes for expiry, from then on (see
     * {@link ExpiryListener} for when and on which thread). Until it is set, expirations are told to nobody.
     *
     * @throws IllegalStateException when a listener was set already: the store has one owner
     */
    void onExpiry(ExpiryListener listener);

    /**
     * Sets the one listener told of every versioned entry this store evicts to make room, from then on (see
     * {@link EvictionListener} for when and on which thread). Until it is set, evictions are told to nobody.
     *
     * @throws IllegalStateException when a listener was set already: the store has one owner
     */
    void onEviction(EvictionListener listener);

    /** The budget, in the units of this store's {@link EntryCharge} (bytes in production). */
    long maxCharge();

    /** The eviction policy this store runs. */
    EvictionPolicyName policy();

    /** A consistent-enough snapshot of the counters (each counter is exact; they are read one by one). */
    StoreStats stats();
}
