package io.ringcache.node.store;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A binary min-heap of {@link Node}s that stores each node's position in the node itself, so removing or
 * re-ordering an arbitrary node costs O(log n) instead of a linear search. Not thread-safe: used under
 * the owning store's lock.
 */
final class IndexedHeap {

    /** The position of a node that is in no heap. */
    static final int ABSENT = -1;

    /** Where a heap keeps its position inside a node; a node can sit in two heaps through two slots. */
    interface Slot {
        int get(Node node);

        void set(Node node, int index);
    }

    /** The slot of the one heap an {@link EvictionPolicy} may keep. */
    static final Slot POLICY_SLOT = new Slot() {
        @Override
        public int get(Node node) {
            return node.policyIndex;
        }

        @Override
        public void set(Node node, int index) {
            node.policyIndex = index;
        }
    };

    /** The slot of a store's expiry heap. */
    static final Slot EXPIRY_SLOT = new Slot() {
        @Override
        public int get(Node node) {
            return node.expiryIndex;
        }

        @Override
        public void set(Node node, int index) {
            node.expiryIndex = index;
        }
    };

    private final Comparator<Node> order;
    private final Slot slot;
    private Node[] nodes = new Node[16];
    private int size;

    IndexedHeap(Comparator<Node> order, Slot slot) {
        this.order = order;
        this.slot = slot;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean contains(Node node) {
        return slot.get(node) != ABSENT;
    }

    /** The least node, or {@code null} when empty. */
    Node peek() {
        return size == 0 ? null : nodes[0];
    }

    void add(Node node) {
        if (size == nodes.length) {
            nodes = Arrays.copyOf(nodes, size * 2);
        }
        nodes[size] = node;
        slot.set(node, size);
        size++;
        siftUp(size - 1);
    }

    /** Removes {@code node}, which must be in this heap. */
    void remove(Node node) {
        int index = slot.get(node);
        slot.set(node, ABSENT);
        size--;
        if (index == size) {
            nodes[size] = null;
            return;
        }
        Node last = nodes[size];
        nodes[size] = null;
        place(last, index);
        siftDown(index);
        siftUp(slot.get(last));
    }

    /** Restores the order after {@code node}'s key grew (for example its access count or time). */
    void increased(Node node) {
        siftDown(slot.get(node));
    }

    private void siftUp(int index) {
        Node node = nodes[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (order.compare(node, nodes[parent]) >= 0) {
                break;
            }
            place(nodes[parent], index);
            index = parent;
        }
        place(node, index);
    }

    private void siftDown(int index) {
        Node node = nodes[index];
        while (true) {
            int child = 2 * index + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && order.compare(nodes[child + 1], nodes[child]) < 0) {
                child++;
            }
            if (order.compare(nodes[child], node) >= 0) {
                break;
            }
            place(nodes[child], index);
            index = child;
        }
        place(node, index);
    }

    private void place(Node node, int index) {
        nodes[index] = node;
        slot.set(node, index);
    }
}
