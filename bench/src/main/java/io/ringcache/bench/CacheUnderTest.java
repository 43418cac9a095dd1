package io.ringcache.bench;

import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.StoredValue;
import io.ringcache.node.store.Stores;
import io.ringcache.node.store.TimeSource;

/**
 * The two operations the throughput benchmark times, over a ringcache store or over its peer, a bare Caffeine
 * cache. Both sides pay the same one interface call per operation, and both read what they return the same way.
 */
interface CacheUnderTest {

    /** The name of the peer in benchmark parameters and reports. */
    String BARE_CAFFEINE = "caffeine";

    /** The name of {@link CaffeineOfStoredValues}, bare Caffeine holding the store's values. */
    String CAFFEINE_OF_STORED_VALUES = "caffeine-storedvalue";

    /** What {@link #get} answers for a key the cache does not hold. */
    int MISSING = -1;

    /**
     * Reads the value of {@code key} as a server does before it replies: through what the cache returns, to the
     * bytes. Returns their length, or {@link #MISSING}. Returning the reference unread would let a cache whose
     * values are one shared, always-cached array skip the memory access every real read makes.
     */
    int get(String key);

    /** What {@link #get} answers for a store's value: the length of its bytes, read through it, or {@link #MISSING}. */
    static int lengthOf(StoredValue value) {
        return value == null ? MISSING : value.value().length;
    }

    /** Stores {@code value} under {@code key}, without expiry; the cache may keep the array. */
    void put(String key, byte[] value);

    /**
     * A cache of {@code maxBytes}, charged {@link EntryCharge#BYTES} per entry.
     *
     * @param name {@value #BARE_CAFFEINE}, {@value #CAFFEINE_OF_STORED_VALUES} or an eviction policy's configuration
     *     name, e.g. {@code lru}
     */
    static CacheUnderTest named(String name, long maxBytes) {
        if (name.equals(BARE_CAFFEINE)) {
            return BareCaffeine.withMaxBytes(maxBytes);
        }
        if (name.equals(CAFFEINE_OF_STORED_VALUES)) {
            return CaffeineOfStoredValues.withMaxBytes(maxBytes);
        }
        return new RingcacheStore(Stores.create(EvictionPolicyName.parse(name), maxBytes, EntryCharge.BYTES,
                TimeSource.SYSTEM));
    }
}
