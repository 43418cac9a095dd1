package io.ringcache.node.store;

/**
 * One entry of a {@link PolicyStore}. Only {@link #value} may be read without the store's lock: it is
 * volatile and immutable, so a lock-free reader sees a value and its expiry as one pair. Every other
 * field belongs to the thread holding the store's lock: the accounting fields to the store, the link,
 * index and counter fields to the one {@link EvictionPolicy} the store runs.
 */
final class Node {

    final String key;

    /** The current value; replaced as a whole on overwrite. */
    volatile StoredValue value;

    /** The charge of {@link #value}; changes together with it. */
    long charge;

    /** The expiry of {@link #value}, the key of the store's expiry heap. */
    long expiresAtMillis;

    /** Position in the store's expiry heap, or {@link IndexedHeap#ABSENT} when it never expires. */
    int expiryIndex = IndexedHeap.ABSENT;

    /**
     * Whether the node is still in the store. Read events are replayed after the fact, so one may name a
     * node that was evicted or removed meanwhile; the policy must ignore it.
     */
    boolean resident;

    // Policy state: links for list-based policies, a heap position and logical access times.
    Node prev;
    Node next;
    int policyIndex = IndexedHeap.ABSENT;
    long frequency;
    long lastAccess;
    long previousAccess;
    boolean probation;

    Node(String key) {
        this.key = key;
    }
}
