package io.ringcache.node.store;

/**
 * Told of each entry a {@link Store} removes because its time to live passed, so that its owner can remember
 * what the entry was (a versioned value's version, say) after the store has let go of it.
 *
 * <p>The store calls it just before the entry leaves, on whichever thread removes it (the sweep, a put making
 * room, a read that found the entry expired) and while holding the store's locks: it must be quick, must not
 * throw and must not change the store. Entries removed on request ({@link Store#remove}, {@link Store#clear}),
 * replaced by a put or evicted for room are not expirations and are not told (an eviction goes to the store's
 * {@link EvictionListener}).
 */
@FunctionalInterface
public interface ExpiryListener {

    /** The listener of a store nobody asked to hear from. */
    ExpiryListener NONE = (key, value) -> { };

    /** {@code value}, held under {@code key}, is expired and about to be removed. */
    void expiring(String key, StoredValue value);
}
