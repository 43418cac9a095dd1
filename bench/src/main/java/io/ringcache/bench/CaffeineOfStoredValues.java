package io.ringcache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.StoredValue;

/**
 * A second peer: bare Caffeine configured like {@link BareCaffeine}, but holding what the {@code tinylfu} store
 * holds per entry, a {@link StoredValue} allocated by each put. Beside the two others it splits the store's gap
 * to bare Caffeine into what its values cost (this peer against bare Caffeine) and what its own code costs (the
 * store against this peer).
 */
record CaffeineOfStoredValues(Cache<String, StoredValue> cache) implements CacheUnderTest {

    static CaffeineOfStoredValues withMaxBytes(long maxBytes) {
        return new CaffeineOfStoredValues(Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String key, StoredValue value) ->
                        Math.toIntExact(EntryCharge.BYTES.charge(key, value.value())))
                .executor(Runnable::run)
                .build());
    }

    @Override
    public int get(String key) {
        return CacheUnderTest.lengthOf(cache.getIfPresent(key));
    }

    @Override
    public void put(String key, byte[] value) {
        cache.put(key, StoredValue.of(value, StoredValue.NEVER, StoredValue.UNVERSIONED));
    }
}
