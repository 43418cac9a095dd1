package io.ringcache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ringcache.node.store.EntryCharge;

/**
 * The peer of the throughput benchmark: Caffeine with the store's byte budget and byte charge and nothing
 * else (no expiry, no statistics), maintaining its policy on the calling thread ({@code Runnable::run}).
 */
record BareCaffeine(Cache<String, byte[]> cache) implements CacheUnderTest {

    static BareCaffeine withMaxBytes(long maxBytes) {
        return new BareCaffeine(Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String key, byte[] value) -> Math.toIntExact(EntryCharge.BYTES.charge(key, value)))
                .executor(Runnable::run)
                .build());
    }

    @Override
    public int get(String key) {
        byte[] value = cache.getIfPresent(key);
        return value == null ? MISSING : value.length;
    }

    @Override
    public void put(String key, byte[] value) {
        cache.put(key, value);
    }
}
