package io.ringcache.node.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code tinylfu} store: a Caffeine cache bounded by weight (the entry charge; by entry count when
 * the charge is {@link EntryCharge#UNIT}) with a per-entry expiry taken from
 * {@link StoredValue#expiresAtMillis()}.
 *
 * <p>Caffeine's maintenance (eviction, expiry) runs on the calling thread ({@code executor(Runnable::run)}),
 * so a put has evicted what it must before it returns. Caffeine's clock is the store's {@link TimeSource},
 * so a test clock drives expiry. Caffeine weights are {@code int}s, so a charge above
 * {@link Integer#MAX_VALUE} is refused like one above the budget.
 */
final class CaffeineStore implements Store {

    private static final long NANOS_PER_MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    private final Cache<String, StoredValue> cache;
    private final long maxCharge;
    private final EntryCharge charge;
    private final TimeSource time;

    private final LongAdder gets = new LongAdder();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder expirations = new LongAdder();

    CaffeineStore(long maxCharge, EntryCharge charge, TimeSource time) {
        this.maxCharge = maxCharge;
        this.charge = charge;
        this.time = time;

        // A unit charge makes the budget an entry count, which is what Caffeine's maximumSize is for.
        // Measured on the LIRS traces, Caffeine weighing every entry 1 evicts differently from the same
        // cache bounded by size, up to 5 points of hit rate lower (loop.trace at 100 entries: 2.5% vs 7.4%).
        Caffeine<String, StoredValue> builder = charge == EntryCharge.UNIT
                ? Caffeine.newBuilder().maximumSize(maxCharge).expireAfter(new ExpiresAt())
                : Caffeine.newBuilder().maximumWeight(maxCharge)
                        .weigher((String key, StoredValue value) -> (int) charge.charge(key, value.value()))
                        .expireAfter(new ExpiresAt());
        this.cache = builder
                .ticker(() -> time.nowMillis() * NANOS_PER_MILLI)
                .executor(Runnable::run)
                .evictionListener((String key, StoredValue value, RemovalCause cause) -> count(cause))
                .build();
    }

    @Override
    public StoredValue get(String key) {
        Objects.requireNonNull(key, "key");
        gets.increment();
        StoredValue value = cache.getIfPresent(key);
        // Caffeine drops expired entries lazily; never hand one out even if it is still held.
        if (value == null || value.isExpiredAt(time.nowMillis())) {
            misses.increment();
            return null;
        }
        hits.increment();
        return value;
    }

    @Override
    public boolean containsKey(String key) {
        StoredValue value = cache.policy().getIfPresentQuietly(Objects.requireNonNull(key, "key"));
        return value != null && !value.isExpiredAt(time.nowMillis());
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
        cache.put(key, stored);
        puts.increment();
    }

    @Override
    public boolean remove(String key) {
        Objects.requireNonNull(key, "key");
        StoredValue removed = cache.asMap().remove(key);
        return removed != null && !removed.isExpiredAt(time.nowMillis());
    }

    /**
     * {@inheritDoc} Caffeine's timer wheel is coarse: an entry is swept within about a second
     * (2<sup>30</sup> ns) after its expiry. Reads are exact regardless.
     */
    @Override
    public void expireNow() {
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
        return new StoreStats(gets.sum(), hits.sum(), misses.sum(), puts.sum(), evictions.sum(),
                expirations.sum(), held, cache.estimatedSize());
    }

    private void count(RemovalCause cause) {
        if (cause == RemovalCause.EXPIRED) {
            expirations.increment();
        } else if (cause == RemovalCause.SIZE) {
            evictions.increment();
        }
    }

    /** Each entry lives until its own absolute expiry, measured on the store's clock. */
    private static final class ExpiresAt implements Expiry<String, StoredValue> {

        @Override
        public long expireAfterCreate(String key, StoredValue value, long currentTimeNanos) {
            long remainingMillis = value.remainingMillisAt(currentTimeNanos / NANOS_PER_MILLI);
            return remainingMillis == StoredValue.NEVER
                    ? Long.MAX_VALUE
                    : TimeUnit.MILLISECONDS.toNanos(remainingMillis);
        }

        @Override
        public long expireAfterUpdate(String key, StoredValue value, long currentTimeNanos,
                                      long currentDurationNanos) {
            return expireAfterCreate(key, value, currentTimeNanos);
        }

        @Override
        public long expireAfterRead(String key, StoredValue value, long currentTimeNanos,
                                    long currentDurationNanos) {
            return currentDurationNanos;
        }
    }
}
