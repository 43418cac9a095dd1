package io.ringcache.node.store;

import java.util.Comparator;

/**
 * Least frequently used first, ties to the least recently used (in-cache LFU). The frequency counts the
 * reads and writes of a key while it is resident and starts again from one when it is added anew.
 * Kept as a min-heap keyed by (frequency, logical time of last use): every use only raises a key.
 */
final class LfuPolicy implements EvictionPolicy {

    private final IndexedHeap<Node> byUse = new IndexedHeap<>(
            Comparator.<Node>comparingLong(n -> n.frequency).thenComparingLong(n -> n.lastAccess),
            IndexedHeap.POLICY_SLOT);
    /** Logical time: one tick per use, so recency ties never happen. */
    private long clock;

    @Override
    public void admitted(Node node) {
        node.frequency = 1;
        node.lastAccess = ++clock;
        byUse.add(node);
    }

    @Override
    public void read(Node node) {
        node.frequency++;
        node.lastAccess = ++clock;
        byUse.increased(node);
    }

    @Override
    public void rewritten(Node node) {
        node.frequency++;
        node.lastAccess = ++clock;
        byUse.add(node);
    }

    @Override
    public void detach(Node node) {
        byUse.remove(node);
    }

    @Override
    public Node victim() {
        return byUse.peek();
    }
}
