package io.ringcache.node.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * The {@code tinylfu} store: a Caffeine cache bounded by weight (the entry charge; by entry count when
 * the charge is {@link EntryCharge#UNIT}).
 *
 * <p>Caffeine's maintenance (eviction) runs on the calling thread ({@code executor(Runnable::run)}), so a
 * put that no other write overlaps has evicted what it must before it returns. Concurrent writes do not wait
 * for each other: the one that finds Caffeine's maintenance busy leaves its eviction to the thread running
 * it, so the charge can briefly pass the budget (measured in {@code ConcurrentStressTest}); serialising
 * writes (and cleaning up after each) to prevent it cost 13% of put throughput at 1 thread and 26% at 2 in
 * a throw-away measurement recorded in {@code bench/RESULTS.md}. Caffeine weights are {@code int}s, so a
 * charge above {@link Integer#MAX_VALUE} is refused like one above the budget.
 *
 * <p>Expiry is not Caffeine's: measured with {@code bench/jmh.sh}, Caffeine's variable expiry
 * ({@code expireAfter}) halves its read throughput, and it also changes W-TinyLFU's choices (ps.trace at
 * 2,000 entries: 63.56% instead of 70.03% with nothing ever expiring). Instead a read never returns a value
 * past its {@link StoredValue#expiresAtMillis()}, and {@link #expireNow()} removes the values that are due,
 * found in an {@link ExpiryIndex} that holds only the values with a TTL. That batch removal is the one place
 * the store removes values for expiry and tells its {@link ExpiryListener}. Caffeine's eviction listener tells the
 * {@link EvictionListener} of an evicted value, inside Caffeine's removal of it (while it can still be peeked at),
 * once the store has ever held a versioned value ({@link #holdsVersionedValues}).
 *
 * <p>Read path. A get costs Caffeine's own lookup plus one counter increment, a plain write to the reading
 * thread's own cell ({@link ThreadOwnedCounters}). It looks at the value's expiry
 * only once the store has ever held a value with a TTL ({@link #holdsExpiringValues}): a group that never
 * uses TTLs never touches the value object or the clock on a read.
 */
final class CaffeineStore implements Store {

    /** How many due values one step of a sweep, or one put, takes out of the index and the cache. */
    private static final int EXPIRY_BATCH = 1_024;

    private static final VarHandle HOLDS_EXPIRING_VALUES;

    static {
        try {
            HOLDS_EXPIRING_VALUES = MethodHandles.lookup()
                    .findVarHandle(CaffeineStore.class, "holdsExpiringValues", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int HIT = 0;
    private static final int MISS = 1;
    private static final int PUT = 0;
    private static final int EVICTION = 1;
    private static final int EXPIRATION = 2;

    private final Cache<String, StoredValue> cache;
    private final ConcurrentMap<String, StoredValue> entries;
    private final ExpiryIndex expiries = new ExpiryIndex();
    private final long maxCharge;
    /** The largest charge that fits: the budget, or the largest Caffeine weight when that is smaller. */
    private final long largestCharge;
    private final EntryCharge charge;
    private final TimeSource time;

    /** {@link #HIT} and {@link #MISS}: a get bumps one of them. */
    private final ThreadOwnedCounters reads = new ThreadOwnedCounters(2);
    /**
     * {@link #PUT}, {@link #EVICTION} and {@link #EXPIRATION}: bumped by the thread that puts, runs Caffeine's
     * maintenance (a put's own, mostly) or removes a due value.
     */
    private final ThreadOwnedCounters writes = new ThreadOwnedCounters(3);
    private final AtomicReference<ExpiryListener> expiryListener = new AtomicReference<>(ExpiryListener.NONE);
    private final AtomicReference<EvictionListener> evictionListener = new AtomicReference<>(EvictionListener.NONE);
    /**
     * Set, never cleared, before the first versioned value enters the cache: whoever evicts that value found it in the
     * cache, so sees the flag set. Until then an eviction does not read the evicted value, an object no one has
     * touched lately (such a read on every overwrite cost put about a tenth, bench/RESULTS.md, nineteenth session): a
     * store of loaded values only, as the throughput benchmark's, never pays for it. Read by versioned puts and by
     * evictions, never by a get.
     */
    private volatile boolean holdsVersionedValues;
    /**
     * Set, never cleared, before the first value with a TTL enters the cache. A thread that has found such a
     * value in the cache therefore sees it set, so while it is false no value needs an expiry check. Reads need
     * not be volatile for that: Caffeine publishes a value with a release write (a new entry through its
     * {@code ConcurrentHashMap}, a replaced value by {@code setRelease}) and reads it with an acquire read, so
     * whoever reads a value sees what its writer wrote or acquired before putting it. A put with a TTL therefore
     * reads the flag with acquire and sets it with release ({@link #HOLDS_EXPIRING_VALUES}): one that finds it set
     * by another thread passes that write on to the readers of its own value. Everyone else reads it plain; a
     * volatile read would also keep the JIT from moving later reads before it, and plain, 2-thread get measured
     * 1.04 times the volatile's in paired runs (bench/RESULTS.md, twenty-fourth session).
     */
    private boolean holdsExpiringValues;

    CaffeineStore(long maxCharge, EntryCharge charge, TimeSource time) {
        this.maxCharge = maxCharge;
        this.largestCharge = Math.min(maxCharge, Integer.MAX_VALUE);
        this.charge = charge;
        this.time = time;

        // A unit charge makes the budget an entry count, which is what Caffeine's maximumSize is for.
        // Measured on the LIRS traces, Caffeine weighing every entry 1 evicts differently from the same
        // cache bounded by size, up to 5 points of hit rate lower (loop.trace at 100 entries: 2.5% vs 7.4%).
        Caffeine<String, StoredValue> builder = Caffeine.newBuilder()
                .executor(Runnable::run)
                .evictionListener((String key, StoredValue value, RemovalCause cause) -> evicted(key, value, cause));
        this.cache = (charge == EntryCharge.UNIT
                ? builder.maximumSize(maxCharge)
                : builder.maximumWeight(maxCharge)
                        .weigher((String key, StoredValue value) -> (int) charge.charge(key, value.value())))
                .build();
        this.entries = cache.asMap();
    }

    @Override
    public StoredValue get(String key) {
        StoredValue value = cache.getIfPresent(Objects.requireNonNull(key, "key"));
        // Expired entries stay until the next sweep; never hand one out meanwhile.
        if (value == null || (holdsExpiringValues && isExpired(value))) {
            reads.increment(MISS);
            return null;
        }
        reads.increment(HIT);
        return value;
    }

    @Override
    public StoredValue peek(String key) {
        StoredValue value = cache.policy().getIfPresentQuietly(Objects.requireNonNull(key, "key"));
        return value == null || isExpired(value) ? null : value;
    }

    @Override
    public StoredValue peekIncludingExpired(String key) {
        return cache.policy().getIfPresentQuietly(Objects.requireNonNull(key, "key"));
    }

    @Override
    public boolean containsKey(String key) {
        return peek(key) != null;
    }

    @Override
    public void forEachEntry(BiConsumer<String, StoredValue> action) {
        long now = time.nowMillis();
        entries.forEach((key, value) -> {
            if (!value.isExpiredAt(now)) {
                action.accept(key, value);
            }
        });
    }

    @Override
    public void put(String key, byte[] value, long expiresAtMillis, long version) {
        Objects.requireNonNull(key, "key");
        StoredValue stored = StoredValue.of(value, expiresAtMillis, version);
        checkFits(key, value);
        if (holdsExpiringValues) {
            // Make room from what is due before Caffeine evicts live entries for it; bounded so that one
            // put never pays for a whole wave of expiries (the sweeper takes the rest).
            expireBatch(time.nowMillis());
        }
        if (expiresAtMillis != StoredValue.NEVER) {
            if (!(boolean) HOLDS_EXPIRING_VALUES.getAcquire(this)) {
                HOLDS_EXPIRING_VALUES.setRelease(this, true);
            }
            // Indexed before it is in the cache, so whoever takes it out of the cache finds it here.
            expiries.add(key, stored);
        }
        if (version != StoredValue.UNVERSIONED && !holdsVersionedValues) {
            holdsVersionedValues = true;
        }
        // An Object, not a StoredValue: the cast would make the JIT check the replaced value's type, a read of an
        // object no one has touched lately on every overwrite, which cost put at 2 threads about a tenth
        // (bench/RESULTS.md, nineteenth session). It is cast only when the store may have to forget it.
        Object replaced = entries.put(key, stored);
        if (replaced != null && holdsExpiringValues) {
            forget((StoredValue) replaced);
        }
        if (expiresAtMillis != StoredValue.NEVER && stored.isExpiredAt(time.nowMillis())) {
            // Due already: a sweep (or another put's expireBatch) may have taken it from the index after it was
            // added above and before the cache held it, found nothing to remove, and so left it in the cache with no
            // index entry, holding its bytes until a read. That sweep read its clock before this read, so the value
            // is due here too; indexed again (a no-op if it is still indexed), the next sweep removes it. If it left
            // the cache meanwhile, the next sweep finds it gone and drops the entry.
            expiries.add(key, stored);
        }
        writes.increment(PUT);
    }

    /**
     * {@inheritDoc} Caffeine weights are {@code int}s, so a charge above {@link Integer#MAX_VALUE} does not fit. The
     * weigher computes the exact charge of every put, so this computes it only when its upper bound does not fit.
     */
    @Override
    public void checkFits(String key, byte[] value) {
        if (charge.chargeAtMost(key, value) <= largestCharge) {
            return;
        }
        long entryCharge = charge.charge(key, value);
        if (entryCharge > maxCharge) {
            throw new EntryTooLargeException(entryCharge, maxCharge);
        }
        if (entryCharge > Integer.MAX_VALUE) {
            throw new EntryTooLargeException(entryCharge, Integer.MAX_VALUE);
        }
    }

    @Override
    public boolean remove(String key) {
        StoredValue removed = entries.remove(Objects.requireNonNull(key, "key"));
        if (removed == null) {
            return false;
        }
        forget(removed);
        if (isExpired(removed)) {
            writes.increment(EXPIRATION);
            return false;
        }
        return true;
    }

    /** {@inheritDoc} Entries are removed one by one, so a put racing with it is either removed or kept whole. */
    @Override
    public long clear() {
        long now = time.nowMillis();
        long live = 0;
        for (Map.Entry<String, StoredValue> entry : entries.entrySet()) {
            if (entries.remove(entry.getKey(), entry.getValue())) {
                forget(entry.getValue());
                if (!entry.getValue().isExpiredAt(now)) {
                    live++;
                }
            }
        }
        cache.cleanUp();
        return live;
    }

    /**
     * {@inheritDoc} Visits only the values that are due, soonest first, from the {@link ExpiryIndex}; returns at
     * once when none is. A value overwritten or evicted meanwhile is left to what replaced or evicted it.
     */
    @Override
    public void expireNow() {
        long now = time.nowMillis();
        while (expireBatch(now)) {
            // until nothing is due
        }
    }

    @Override
    public void onExpiry(ExpiryListener listener) {
        if (!expiryListener.compareAndSet(ExpiryListener.NONE, Objects.requireNonNull(listener, "listener"))) {
            throw new IllegalStateException("this store already has an expiry listener; a store has one owner");
        }
    }

    @Override
    public void onEviction(EvictionListener listener) {
        if (!evictionListener.compareAndSet(EvictionListener.NONE, Objects.requireNonNull(listener, "listener"))) {
            throw new IllegalStateException("this store already has an eviction listener; a store has one owner");
        }
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
        long hitCount = reads.sum(HIT);
        long missCount = reads.sum(MISS);
        return new StoreStats(hitCount + missCount, hitCount, missCount, writes.sum(PUT), writes.sum(EVICTION),
                writes.sum(EXPIRATION), held, cache.estimatedSize(), expiries.size());
    }

    /** How many values with a TTL the expiry index tracks; for tests. */
    int trackedExpiries() {
        return expiries.size();
    }

    /** Removes up to {@link #EXPIRY_BATCH} values due at {@code now}; returns whether any was due. */
    private boolean expireBatch(long now) {
        List<Map.Entry<String, StoredValue>> due = expiries.takeDue(now, EXPIRY_BATCH);
        ExpiryListener listener = expiryListener.get();
        for (int i = 0; i < due.size(); i++) {
            StoredValue dueValue = due.get(i).getValue();
            try {
                // The listener is told inside the removal, while the value is still visible: whoever looks in the
                // store (peekIncludingExpired) and then at what the listener recorded finds it in one or the other.
                entries.computeIfPresent(due.get(i).getKey(), (key, held) -> {
                    if (held != dueValue) {
                        return held; // overwritten since it was taken from the index: the new value is not due
                    }
                    listener.expiring(key, held);
                    writes.increment(EXPIRATION);
                    return null;
                });
            } catch (Throwable failure) {
                reindex(due.subList(i, due.size()));
                throw failure;
            }
        }
        return !due.isEmpty();
    }

    /**
     * Puts back into the index the values of a batch that a failure (a listener that threw) left in the cache: taken
     * from the index with the batch, they would otherwise stay, expired, until a read happened to find them.
     */
    private void reindex(List<Map.Entry<String, StoredValue>> notExpired) {
        for (Map.Entry<String, StoredValue> entry : notExpired) {
            if (cache.policy().getIfPresentQuietly(entry.getKey()) == entry.getValue()) {
                expiries.add(entry.getKey(), entry.getValue());
            }
        }
    }

    private boolean isExpired(StoredValue value) {
        return value.expiresAtMillis() != StoredValue.NEVER && value.isExpiredAt(time.nowMillis());
    }

    /**
     * Called by Caffeine, under its own locks, for every entry it evicts, before the entry leaves the map: whoever
     * looks in the store (peekIncludingExpired) and then at what the eviction listener recorded finds it in one or the
     * other.
     */
    private void evicted(String key, StoredValue value, RemovalCause cause) {
        if (cause == RemovalCause.SIZE) {
            writes.increment(EVICTION);
            if (holdsVersionedValues && value.version() != StoredValue.UNVERSIONED) {
                evictionListener.get().evicting(key, value);
            }
        }
        forget(value);
    }

    /** Drops {@code value}, which has just left the cache, from the expiry index. */
    private void forget(StoredValue value) {
        // The flag is read after the value was seen in the cache, so it is set if the value has a TTL.
        if (holdsExpiringValues && value.expiresAtMillis() != StoredValue.NEVER) {
            expiries.remove(value);
        }
    }
}
