package io.ringcache.bench;

import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.Stores;
import io.ringcache.node.store.TimeSource;

/**
 * The two operations the throughput benchmark times, over a ringcache store or over its peer, a bare Caffeine
 * cache. Both sides pay the same one interface call per operation.
 */
interface CacheUnderTest {

    /** The name of the peer in benchmark parameters and reports. */
    String BARE_CAFFEINE = "caffeine";

    /** The name of {@link CaffeineOfStoredValues}, bare Caffeine holding the store's values. */
    String CAFFEINE_OF_STORED_VALUES = "caffeine-storedvalue";

    /** The value of {@code key}, or {@code null}; the result is returned so that JMH consumes it. */
    Object get(String key);

    /** Stores {@code value} under {@code key}, without expiry. */
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
