package io.ringcache.node.store;

import java.util.Comparator;

/**
 * LRU-K with K=2 and no history of evicted keys. An entry used once waits in probation, an LRU list with
 * no size cap, so any entry that fits the budget is cached. Its second use promotes it to the protected
 * set. Victims come from probation first, oldest first; when probation is empty, the protected entry
 * whose second-to-last use is oldest goes. Uses (reads and writes) are stamped with a logical clock.
 */
final class Lru2Policy implements EvictionPolicy {

    private final NodeList probation = new NodeList();
    private final IndexedHeap<Node> protectedByPreviousUse = new IndexedHeap<>(
            Comparator.comparingLong(n -> n.previousAccess),
            IndexedHeap.POLICY_SLOT);
    private long clock;

    @Override
    public void admitted(Node node) {
        node.probation = true;
        node.lastAccess = ++clock;
        probation.addLast(node);
    }

    @Override
    public void read(Node node) {
        if (node.probation) {
            probation.remove(node);
            rewritten(node);
        } else {
            node.previousAccess = node.lastAccess;
            node.lastAccess = ++clock;
            protectedByPreviousUse.increased(node);
        }
    }

    @Override
    public void rewritten(Node node) {
        node.probation = false;
        node.previousAccess = node.lastAccess;
        node.lastAccess = ++clock;
        protectedByPreviousUse.add(node);
    }

    @Override
    public void detach(Node node) {
        if (node.probation) {
            probation.remove(node);
        } else {
            protectedByPreviousUse.remove(node);
        }
    }

    @Override
    public Node victim() {
        return probation.isEmpty() ? protectedByPreviousUse.peek() : probation.first();
    }
}
