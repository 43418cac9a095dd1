package io.ringcache.node.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The values with a time to live that a {@link CaffeineStore} holds, soonest expiry first, so that a sweep
 * visits only what is due instead of scanning every entry; values without a TTL are never in it.
 *
 * <p>Design note: who may touch what. Any thread may call any method; each takes {@link #lock} for a few
 * heap operations and calls out to nothing while holding it, so it may be called from inside Caffeine's
 * eviction listener (which runs under Caffeine's own locks) without any lock-order cycle. An entry is
 * named by the identity of its {@link StoredValue}: every put makes a new one, so a value names exactly one
 * write of one key, and a stale removal (of a value already overwritten) can never hit a newer write.
 * The store adds a value before it enters the cache and removes it once it has left (overwrite, removal,
 * eviction, expiry), so every value with a TTL that the cache holds is in the index.
 */
final class ExpiryIndex {

    /** One value with a TTL and where it sits in the heap. */
    private static final class Entry {
        final String key;
        final StoredValue value;
        final long expiresAtMillis;
        int heapIndex = IndexedHeap.ABSENT;

        Entry(String key, StoredValue value) {
            this.key = key;
            this.value = value;
            this.expiresAtMillis = value.expiresAtMillis();
        }
    }

    private static final IndexedHeap.Slot<Entry> HEAP_SLOT = new IndexedHeap.Slot<>() {
        @Override
        public int get(Entry entry) {
            return entry.heapIndex;
        }

        @Override
        public void set(Entry entry, int index) {
            entry.heapIndex = index;
        }
    };

    private final ReentrantLock lock = new ReentrantLock();
    private final IndexedHeap<Entry> bySoonestExpiry =
            new IndexedHeap<>(Comparator.comparingLong(e -> e.expiresAtMillis), HEAP_SLOT);
    private final Map<StoredValue, Entry> byValue = new IdentityHashMap<>();
    /** The soonest expiry held, so that a sweep with nothing due returns without the lock. */
    private volatile long soonestExpiryMillis = StoredValue.NEVER;

    /** Adds {@code value} (which must have a TTL) of {@code key}; adding the same instance twice has no effect. */
    void add(String key, StoredValue value) {
        lock.lock();
        try {
            if (!byValue.containsKey(value)) {
                Entry entry = new Entry(key, value);
                byValue.put(value, entry);
                bySoonestExpiry.add(entry);
                noteSoonestExpiry();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes {@code value} if it is in the index; a value that is not (never added, already due) is ignored. */
    void remove(StoredValue value) {
        lock.lock();
        try {
            Entry entry = byValue.remove(value);
            if (entry != null) {
                bySoonestExpiry.remove(entry);
                noteSoonestExpiry();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes out and returns up to {@code max} entries whose expiry is at or before {@code nowMillis}, soonest
     * first, as key-value pairs. Returns an empty list, without locking, when nothing is due.
     */
    List<Map.Entry<String, StoredValue>> takeDue(long nowMillis, int max) {
        if (nowMillis < soonestExpiryMillis) {
            return List.of();
        }
        List<Map.Entry<String, StoredValue>> due = new ArrayList<>();
        lock.lock();
        try {
            Entry soonest;
            while (due.size() < max && (soonest = bySoonestExpiry.peek()) != null
                    && soonest.expiresAtMillis <= nowMillis) {
                bySoonestExpiry.remove(soonest);
                byValue.remove(soonest.value);
                due.add(Map.entry(soonest.key, soonest.value));
            }
            noteSoonestExpiry();
        } finally {
            lock.unlock();
        }
        return due;
    }

    /** How many values the index holds. */
    int size() {
        lock.lock();
        try {
            return bySoonestExpiry.size();
        } finally {
            lock.unlock();
        }
    }

    private void noteSoonestExpiry() {
        Entry soonest = bySoonestExpiry.peek();
        soonestExpiryMillis = soonest == null ? StoredValue.NEVER : soonest.expiresAtMillis;
    }
}
