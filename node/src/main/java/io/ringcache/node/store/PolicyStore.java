package io.ringcache.node.store;

import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * A {@link Store} that evicts by a classic {@link EvictionPolicy} (LRU, LFU, FIFO, LRU-2) and bounds the
 * total charge exactly.
 *
 * <p>Design note: who may touch what.
 * <ul>
 *   <li>{@link #entries} (a {@link ConcurrentHashMap}) is read by any thread without a lock; it is
 *       changed only under {@link #lock}. A reader finds a {@link Node} and reads its volatile
 *       {@link Node#value}, whose value and expiry form one immutable pair.</li>
 *   <li>A read hit does not touch the policy. It is offered to the lossy striped {@link ReadBuffer} and
 *       replayed into the policy later, in batches, by whoever holds the lock. A reader that finds its
 *       stripe full takes the lock only with {@code tryLock}, drains, and replays its own event; if the
 *       lock is busy the event is dropped. Reads therefore never wait on a lock, except a read that
 *       finds an expired entry, which removes it under the lock.</li>
 *   <li>Writes ({@code put}, {@code remove}, {@code expireNow}) take {@link #lock}, first replay the
 *       buffered reads (so the policy has seen every read that happened before the write), then act.
 *       The policy, the expiry heap, every non-volatile {@link Node} field and the charge accounting
 *       belong to the lock holder, and only it calls the {@link ExpiryListener} and the
 *       {@link EvictionListener}.</li>
 *   <li>The counters that {@link #stats()} reports are either {@link ThreadOwnedCounters} (read path) or
 *       volatile fields written only by the lock holder, so they can be read at any time. The held
 *       charge is written once per operation, after eviction made room, so no reader ever sees it
 *       above {@link #maxCharge}.</li>
 * </ul>
 */
final class PolicyStore implements Store {

    private static final int HIT = 0;
    private static final int MISS = 1;

    private final EvictionPolicyName policyName;
    private final EvictionPolicy policy;
    private final long maxCharge;
    private final EntryCharge charge;
    private final TimeSource time;

    private final ConcurrentHashMap<String, Node> entries = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final ReadBuffer readBuffer = new ReadBuffer();
    /** Nodes that expire, soonest first; nodes that never expire are not in it. */
    private final IndexedHeap<Node> expiries =
            new IndexedHeap<>(Comparator.comparingLong(n -> n.expiresAtMillis), IndexedHeap.EXPIRY_SLOT);

    /** {@link #HIT} and {@link #MISS}: a get bumps one of them. */
    private final ThreadOwnedCounters reads = new ThreadOwnedCounters(2);
    private final AtomicReference<ExpiryListener> expiryListener = new AtomicReference<>(ExpiryListener.NONE);
    private final AtomicReference<EvictionListener> evictionListener = new AtomicReference<>(EvictionListener.NONE);
    /**
     * Whether a versioned value was ever put, so that an eviction may have to be told; belongs to the lock holder.
     * Until then an eviction does not read its victim's value, an object no one has touched lately (such a read on
     * every overwrite cost the {@code tinylfu} put about a tenth, bench/RESULTS.md, nineteenth session): a store of
     * loaded values only, as the throughput benchmark's, never pays for it.
     */
    private boolean holdsVersionedValues;
    private volatile long puts;
    private volatile long evictions;
    private volatile long expirations;
    private volatile long chargeHeld;
    private volatile long entryCount;
    /** The size of {@link #expiries}, readable without the lock. */
    private volatile long expiringCount;
    /** The soonest expiry in {@link #expiries}, so {@link #expireNow()} can skip the lock when nothing is due. */
    private volatile long soonestExpiryMillis = StoredValue.NEVER;

    PolicyStore(EvictionPolicyName policyName, EvictionPolicy policy, long maxCharge, EntryCharge charge,
                TimeSource time) {
        this.policyName = policyName;
        this.policy = policy;
        this.maxCharge = maxCharge;
        this.charge = charge;
        this.time = time;
    }

    @Override
    public StoredValue get(String key) {
        Objects.requireNonNull(key, "key");
        Node node = entries.get(key);
        StoredValue value = node == null ? null : node.value;
        if (value == null) {
            reads.increment(MISS);
            return null;
        }
        if (value.isExpiredAt(time.nowMillis())) {
            reads.increment(MISS);
            expire(node, value);
            return null;
        }
        reads.increment(HIT);
        recordRead(node);
        return value;
    }

    @Override
    public StoredValue peek(String key) {
        Node node = entries.get(Objects.requireNonNull(key, "key"));
        StoredValue value = node == null ? null : node.value;
        return value == null || value.isExpiredAt(time.nowMillis()) ? null : value;
    }

    @Override
    public StoredValue peekIncludingExpired(String key) {
        Node node = entries.get(Objects.requireNonNull(key, "key"));
        return node == null ? null : node.value;
    }

    @Override
    public boolean containsKey(String key) {
        return peek(key) != null;
    }

    @Override
    public void forEachEntry(BiConsumer<String, StoredValue> action) {
        long now = time.nowMillis();
        entries.forEach((key, node) -> {
            StoredValue value = node.value;
            if (!value.isExpiredAt(now)) {
                action.accept(key, value);
            }
        });
    }

    @Override
    public void put(String key, byte[] value, long expiresAtMillis, long version) {
        Objects.requireNonNull(key, "key");
        StoredValue stored = StoredValue.of(value, expiresAtMillis, version);
        long newCharge = chargeWithinBudget(key, value);
        lock.lock();
        try {
            replayReads();
            if (version != StoredValue.UNVERSIONED) {
                holdsVersionedValues = true;
            }
            // Expired entries go before any live entry is evicted to make room.
            expireDue(time.nowMillis());
            Node node = entries.get(key);
            long oldCharge = 0;
            if (node != null) {
                // Detached, the key cannot be picked as its own victim below.
                policy.detach(node);
                leaveExpiries(node);
                oldCharge = node.charge;
            }
            long held = chargeHeld - oldCharge;
            while (held + newCharge > maxCharge) {
                Node victim = policy.victim();
                held -= victim.charge;
                policy.detach(victim);
                tellEviction(victim);
                drop(victim);
                evictions++;
            }
            if (node == null) {
                node = new Node(key);
                node.value = stored;
                node.resident = true;
                entries.put(key, node);
                entryCount++;
                policy.admitted(node);
            } else {
                node.value = stored;
                policy.rewritten(node);
            }
            node.charge = newCharge;
            node.expiresAtMillis = expiresAtMillis;
            if (expiresAtMillis != StoredValue.NEVER) {
                expiries.add(node);
                noteSoonestExpiry();
            }
            chargeHeld = held + newCharge;
            puts++;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean remove(String key) {
        Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            replayReads();
            Node node = entries.get(key);
            if (node == null) {
                return false;
            }
            boolean live = !node.value.isExpiredAt(time.nowMillis());
            policy.detach(node);
            drop(node);
            if (!live) {
                expirations++;
            }
            return live;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long clear() {
        lock.lock();
        try {
            replayReads();
            long now = time.nowMillis();
            long live = 0;
            for (Node node : entries.values()) {
                if (!node.value.isExpiredAt(now)) {
                    live++;
                }
                policy.detach(node);
                drop(node);
            }
            return live;
        } finally {
            lock.unlock();
        }
    }

    /** {@inheritDoc} Returns at once, without the lock, when the soonest expiry has not come yet. */
    @Override
    public void expireNow() {
        long now = time.nowMillis();
        if (now < soonestExpiryMillis) {
            return;
        }
        lock.lock();
        try {
            replayReads();
            expireDue(now);
        } finally {
            lock.unlock();
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
    public void checkFits(String key, byte[] value) {
        chargeWithinBudget(key, value);
    }

    /** The entry's charge; throws {@link EntryTooLargeException} when it is above the budget. */
    private long chargeWithinBudget(String key, byte[] value) {
        long entryCharge = charge.charge(key, value);
        if (entryCharge > maxCharge) {
            throw new EntryTooLargeException(entryCharge, maxCharge);
        }
        return entryCharge;
    }

    @Override
    public long maxCharge() {
        return maxCharge;
    }

    @Override
    public EvictionPolicyName policy() {
        return policyName;
    }

    @Override
    public StoreStats stats() {
        // Gets are hits + misses by definition, not a third counter: read one by one while reads run, three
        // counters would not add up.
        long hitCount = reads.sum(HIT);
        long missCount = reads.sum(MISS);
        return new StoreStats(hitCount + missCount, hitCount, missCount, puts, evictions, expirations,
                chargeHeld, entryCount, expiringCount);
    }

    private void recordRead(Node node) {
        if (!policy.ordersByReads()) {
            return;
        }
        if (readBuffer.offer(node) == ReadBuffer.Offer.FULL && lock.tryLock()) {
            try {
                replayReads();
                replayRead(node);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Removes {@code node} if it still holds the expired {@code value} a lock-free read found. */
    private void expire(Node node, StoredValue value) {
        lock.lock();
        try {
            replayReads();
            // Another thread may have removed the node or overwritten it with a fresh value meanwhile.
            if (node.resident && node.value == value) {
                dropExpired(node);
            }
        } finally {
            lock.unlock();
        }
    }

    private void expireDue(long now) {
        Node soonest;
        while ((soonest = expiries.peek()) != null && soonest.expiresAtMillis <= now) {
            dropExpired(soonest);
        }
    }

    /**
     * The one place entries leave for expiry. The listener is told first, while the entry is still in
     * {@link #entries}: whoever looks in the store (peekIncludingExpired) and then at what the listener recorded
     * finds it in one or the other.
     */
    private void dropExpired(Node node) {
        expiryListener.get().expiring(node.key, node.value);
        policy.detach(node);
        drop(node);
        expirations++;
    }

    /**
     * Tells the eviction listener of {@code victim}, still in {@link #entries}, if its value has a version: whoever
     * looks in the store (peekIncludingExpired) and then at what the listener recorded finds it in one or the other.
     */
    private void tellEviction(Node victim) {
        if (holdsVersionedValues) {
            StoredValue value = victim.value;
            if (value.version() != StoredValue.UNVERSIONED) {
                evictionListener.get().evicting(victim.key, value);
            }
        }
    }

    private void replayReads() {
        readBuffer.drainTo(this::replayRead);
    }

    private void replayRead(Node node) {
        // A buffered event may name a node that was evicted or removed after it was read.
        if (node.resident) {
            policy.read(node);
        }
    }

    /** Takes a node that the policy no longer holds out of the store and its accounting. */
    private void drop(Node node) {
        entries.remove(node.key, node);
        leaveExpiries(node);
        node.resident = false;
        chargeHeld -= node.charge;
        entryCount--;
    }

    private void leaveExpiries(Node node) {
        if (expiries.contains(node)) {
            expiries.remove(node);
            noteSoonestExpiry();
        }
    }

    /** Keeps the lock-free views of {@link #expiries}, its soonest expiry and its size, current after a change. */
    private void noteSoonestExpiry() {
        Node soonest = expiries.peek();
        soonestExpiryMillis = soonest == null ? StoredValue.NEVER : soonest.expiresAtMillis;
        expiringCount = expiries.size();
    }
}
