package io.ringcache.node.hot;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.StoredValue;
import io.ringcache.node.store.TimeSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * On a requester: short-lived copies of other owners' hot keys, bounded in bytes, so a hot key is read
 * here instead of crossing the network every time.
 *
 * <p>A copy is correct only until its owner writes the key; the owner then sends an invalidation, and
 * acknowledges the write only after this node dropped the copy. The one race left is a copy still in
 * flight when the invalidation arrives: the requester notes the key's invalidation epoch before asking
 * ({@link #epochOf}) and keeps the answer only if no invalidation of that key (or of its stripe) came
 * in meanwhile ({@link #offer}). Every copy is also dropped when the ring changes, because the key's
 * new owner does not know about it.
 */
public final class HotTier {

    private static final int STRIPES = 1024;

    private final Cache<String, Copy> copies;
    /** The wall clock the values' own expiries are read on. */
    private final TimeSource time;
    /**
     * The monotonic clock a copy's life is timed on, as the owner times how long it remembers the copy's holder
     * ({@link HotCopyHolders}): on the wall clock, a step back would keep copies past the owner's memory of them, so
     * a write would no longer invalidate them.
     */
    private final LongSupplier nanoClock;
    private final long copyTtlNanos;
    private final AtomicLongArray invalidationEpochs = new AtomicLongArray(STRIPES);

    private final LongAdder hits = new LongAdder();
    private final LongAdder copiesKept = new LongAdder();
    private final LongAdder invalidationsReceived = new LongAdder();

    /**
     * @param maxBytes the tier's budget; each copy is charged like a store entry
     * @param ttl how long a copy is kept at most
     */
    public HotTier(long maxBytes, Duration ttl, TimeSource time) {
        this(maxBytes, ttl, time, System::nanoTime);
    }

    HotTier(long maxBytes, Duration ttl, TimeSource time, LongSupplier nanoClock) {
        this.time = time;
        this.nanoClock = nanoClock;
        this.copyTtlNanos = ttl.toNanos();
        this.copies = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String key, Copy c) -> (int) Math.min(Integer.MAX_VALUE,
                        EntryCharge.BYTES.charge(key, c.value().value())))
                .executor(Runnable::run)
                .build();
    }

    /**
     * The copy of {@code key}, or {@code null} when there is none, it expired, or it was kept its time. The value
     * carries the owner's expiry, not the copy's shorter life, so a TTL read through a copy is the key's TTL.
     */
    public StoredValue get(String key) {
        Copy copy = copies.getIfPresent(key);
        if (copy == null) {
            return null;
        }
        StoredValue value = copy.value();
        if (nanoClock.getAsLong() - copy.keptUntilNanos() >= 0
                || value.expiresAtMillis() != StoredValue.NEVER && value.isExpiredAt(time.nowMillis())) {
            copies.asMap().remove(key, copy);
            return null;
        }
        hits.increment();
        return value;
    }

    /** The invalidation epoch of {@code key}, to pass to {@link #offer} with the answer of a request sent now. */
    public long epochOf(String key) {
        return invalidationEpochs.get(stripe(key));
    }

    /** The time to pass to {@link #offer} with the answer of a request sent now, on the tier's monotonic clock. */
    public long askedAt() {
        return nanoClock.getAsLong();
    }

    /**
     * Keeps a copy of {@code key} for the hot-key TTL counted from {@code askedAt} (or until
     * {@code expiresAtMillis}, if sooner), unless an invalidation of its stripe arrived since {@code epoch} was
     * read. Counted from the asking, not the answer: the owner remembers this node as a holder from before it
     * answered, for the TTL and a margin, so however slowly the answer travelled, the copy is gone before the
     * owner forgets to invalidate it.
     */
    public void offer(String key, byte[] value, long expiresAtMillis, long epoch, long askedAt) {
        Copy copy = new Copy(StoredValue.of(value, expiresAtMillis), askedAt + copyTtlNanos);
        int stripe = stripe(key);
        copies.put(key, copy);
        // Checked after the put: an invalidation that raced with it bumped the epoch first or removes the copy after.
        if (invalidationEpochs.get(stripe) != epoch) {
            copies.asMap().remove(key, copy);
            return;
        }
        copiesKept.increment();
    }

    /** Drops the copy of {@code key}: its owner wrote or deleted it. */
    public void invalidate(String key) {
        invalidationsReceived.increment();
        drop(key);
    }

    /**
     * Drops the copy of {@code key} as this node sends its owner a write of it, and refuses copies of answers to
     * reads sent before: a read this node serves after sending the write, before the owner's invalidation comes
     * (a pipelined {@code SET k v} then {@code GET k}), must not find the value the write replaces.
     */
    public void dropBeforeWrite(String key) {
        drop(key);
    }

    private void drop(String key) {
        invalidationEpochs.incrementAndGet(stripe(key));
        copies.invalidate(key);
    }

    /** Drops every copy: the ring changed, so owners no longer know who holds what. */
    public void clear() {
        for (int i = 0; i < STRIPES; i++) {
            invalidationEpochs.incrementAndGet(i);
        }
        copies.invalidateAll();
    }

    /** Reads answered from a copy. */
    public long hits() {
        return hits.sum();
    }

    /** Copies held now. */
    public long copiesHeld() {
        copies.cleanUp();
        return copies.estimatedSize();
    }

    /** Invalidations received from owners. */
    public long invalidationsReceived() {
        return invalidationsReceived.sum();
    }

    /** Copies taken since start. */
    public long copiesKept() {
        return copiesKept.sum();
    }

    /** A copy of an owner's value, with its expiry there, kept here until {@code keptUntilNanos} at most. */
    private record Copy(StoredValue value, long keptUntilNanos) {
    }

    private static int stripe(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
