package io.ringcache.node.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * The {@code tinylfu} store: a Caffeine cache bounded by weight (the entry charge; by entry count when
 * the charge is {@link EntryCharge#UNIT}).
 *
 * <p>Caffeine's maintenance (eviction) runs on the calling thread ({@code executor(Runnable::run)}), so a
 * put has evicted what it must before it returns. Caffeine weights are {@code int}s, so a charge above
 * {@link Integer#MAX_VALUE} is refused like one above the budget.
 *
 * <p>Expiry is not Caffeine's: measured with {@code bench/jmh.sh}, Caffeine's variable expiry
 * ({@code expireAfter}) halves its read throughput, and it also changes W-TinyLFU's choices (ps.trace at
 * 2,000 entries: 63.56% instead of 70.03% with nothing ever expiring). Instead a read never returns a value
 * past its {@link StoredValue#expiresAtMillis()}, and {@link #expireNow()} removes expired entries by a scan,
 * done only once the store has held a value with a TTL.
 */
final class CaffeineStore implements Store {

    private final Cache<String, StoredValue> cache;
    private final long maxCharge;
    private final EntryCharge charge;
    private final TimeSource time;

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder expirations = new LongAdder();
    /** Set by the first put with a TTL; until then {@link #expireNow()} has nothing to scan for. */
    private volatile boolean holdsExpiringValues;

    CaffeineStore(long maxCharge, EntryCharge charge, TimeSource time) {
        this.maxCharge = maxCharge;
        this.charge = charge;
        this.time = time;

        // A unit charge makes the budget an entry count, which is what Caffeine's maximumSize is for.
        // Measured on the LIRS traces, Caffeine weighing every entry 1 evicts differently from the same
        // cache bounded by size, up to 5 points of hit rate lower (loop.trace at 100 entries: 2.5% vs 7.4%).
        Caffeine<String, StoredValue> builder = Caffeine.newBuilder()
                .executor(Runnable::run)
                .evictionListener((String key, StoredValue value, RemovalCause cause) -> count(cause));
        this.cache = (charge == EntryCharge.UNIT
                ? builder.maximumSize(maxCharge)
                : builder.maximumWeight(maxCharge)
                        .weigher((String key, StoredValue value) -> (int) charge.charge(key, value.value())))
                .build();
    }

    @Override
    public StoredValue get(String key) {
        Objects.requireNonNull(key, "key");
        StoredValue value = cache.getIfPresent(key);
        // Expired entries stay until the next sweep; never hand one out meanwhile.
        if (value == null || (value.expiresAtMillis() != StoredValue.NEVER && value.isExpiredAt(time.nowMillis()))) {
            misses.increment();
            return null;
        }
        hits.increment();
        return value;
    }

    @Override
    public StoredValue peek(String key) {
        StoredValue value = cache.policy().getIfPresentQuietly(Objects.requireNonNull(key, "key"));
        return value == null || value.isExpiredAt(time.nowMillis()) ? null : value;
    }

    @Override
    public boolean containsKey(String key) {
        return peek(key) != null;
    }

    @Override
    public void forEachEntry(BiConsumer<String, StoredValue> action) {
        long now = time.nowMillis();
        cache.asMap().forEach((key, value) -> {
            if (!value.isExpiredAt(now)) {
                action.accept(key, value);
            }
        });
    }

    @Override
    public void put(String key, byte[] value, long expiresAtMillis) {
        Objects.requireNonNull(key, "key");
        StoredValue stored = new StoredValue(value, expiresAtMillis);
        long entryCharge = charge.charge(key, value);
        if (entryCharge > maxCharge) {
            throw new EntryTooLargeException(entryCharge, maxCharge);
        }
        if (entryCharge > Integer.MAX_VALUE) {
            throw new EntryTooLargeException(entryCharge, Integer.MAX_VALUE);
        }
        if (expiresAtMillis != StoredValue.NEVER) {
            holdsExpiringValues = true;
        }
        cache.put(key, stored);
        puts.increment();
    }

    @Override
    public boolean remove(String key) {
        Objects.requireNonNull(key, "key");
        StoredValue removed = cache.asMap().remove(key);
        if (removed == null) {
            return false;
        }
        if (removed.isExpiredAt(time.nowMillis())) {
            expirations.increment();
            return false;
        }
        return true;
    }

    /** {@inheritDoc} Entries are removed one by one, so a put racing with it is either removed or kept whole. */
    @Override
    public long clear() {
        long now = time.nowMillis();
        long live = 0;
        ConcurrentMap<String, StoredValue> map = cache.asMap();
        for (Map.Entry<String, StoredValue> entry : map.entrySet()) {
            if (map.remove(entry.getKey(), entry.getValue()) && !entry.getValue().isExpiredAt(now)) {
                live++;
            }
        }
        cache.cleanUp();
        return live;
    }

    /**
     * {@inheritDoc} Scans every entry, so it costs time in proportion to the entries held; stores that never
     * held a value with a TTL skip it. An entry overwritten during the scan is left alone.
     */
    @Override
    public void expireNow() {
        if (!holdsExpiringValues) {
            return;
        }
        long now = time.nowMillis();
        ConcurrentMap<String, StoredValue> map = cache.asMap();
        for (Map.Entry<String, StoredValue> entry : map.entrySet()) {
            StoredValue value = entry.getValue();
            if (value.isExpiredAt(now) && map.remove(entry.getKey(), value)) {
                expirations.increment();
            }
        }
        cache.cleanUp();
    }

    @Override
    public long maxCharge() {
        return maxCharge;
    }

    @Override
    public EvictionPolicyName policy() {
        return EvictionPolicyName.TINYLFU;
    }

    /** {@inheritDoc} Runs Caffeine's pending maintenance first, so the charge and entry count are exact. */
    @Override
    public StoreStats stats() {
        cache.cleanUp();
        long held = charge == EntryCharge.UNIT
                ? cache.estimatedSize()
                : cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
        long hitCount = hits.sum();
        long missCount = misses.sum();
        return new StoreStats(hitCount + missCount, hitCount, missCount, puts.sum(), evictions.sum(),
                expirations.sum(), held, cache.estimatedSize());
    }

    private void count(RemovalCause cause) {
        if (cause == RemovalCause.SIZE) {
            evictions.increment();
        }
    }
}
