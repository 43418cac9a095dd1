package io.ringcache.node.store;

/**
 * Told of each versioned entry a {@link Store} evicts to make room, so that its owner can remember the version of a
 * write after the store has let go of it (an older copy of the key arriving later must not bring the key back).
 *
 * <p>Only values with a version ({@link StoredValue#version()} other than {@link StoredValue#UNVERSIONED}) are told:
 * nothing compares a value loaded from the origin, and an evicted value is an object no one has touched lately, so a
 * store that has never held a versioned value does not even read it to ask. The store calls it just before the entry
 * leaves, on whichever thread evicts it (a put making room; for {@code tinylfu}, whichever thread runs Caffeine's
 * maintenance) and while holding the store's locks: it must be quick, must not throw and must not change the store.
 * Entries removed on request ({@link Store#remove}, {@link Store#clear}), replaced by a put or expired are not
 * evictions and are not told.
 */
@FunctionalInterface
public interface EvictionListener {

    /** The listener of a store nobody asked to hear from. */
    EvictionListener NONE = (key, value) -> { };

    /** {@code value}, held under {@code key} with a version, is evicted and about to be removed. */
    void evicting(String key, StoredValue value);
}
