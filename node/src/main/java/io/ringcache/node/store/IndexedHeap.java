package io.ringcache.node.store;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A binary min-heap that stores each element's position in the element itself, so removing or
 * re-ordering an arbitrary element costs O(log n) instead of a linear search. Not thread-safe: used under
 * the owner's lock.
 *
 * @param <T> the elements: {@link Node}s of a {@link PolicyStore}, or the entries of an {@link ExpiryIndex}
 */
final class IndexedHeap<T> {

    /** The position of an element that is in no heap. */
    static final int ABSENT = -1;

    /** Where a heap keeps its position inside an element; a node can sit in two heaps through two slots. */
    interface Slot<T> {
        int get(T element);

        void set(T element, int index);
    }

    /** The slot of the one heap an {@link EvictionPolicy} may keep. */
    static final Slot<Node> POLICY_SLOT = new Slot<>() {
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
    static final Slot<Node> EXPIRY_SLOT = new Slot<>() {
        @Override
        public int get(Node node) {
            return node.expiryIndex;
        }

        @Override
        public void set(Node node, int index) {
            node.expiryIndex = index;
        }
    };

    private final Comparator<? super T> order;
    private final Slot<T> slot;
    private Object[] nodes = new Object[16];
    private int size;

    IndexedHeap(Comparator<? super T> order, Slot<T> slot) {
        this.order = order;
        this.slot = slot;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    boolean contains(T node) {
        return slot.get(node) != ABSENT;
    }

    /** The least element, or {@code null} when empty. */
    T peek() {
        return size == 0 ? null : at(0);
    }

    void add(T node) {
        if (size == nodes.length) {
            nodes = Arrays.copyOf(nodes, size * 2);
        }
        nodes[size] = node;
        slot.set(node, size);
        size++;
        siftUp(size - 1);
    }

    /** Removes {@code node}, which must be in this heap. */
    void remove(T node) {
        int index = slot.get(node);
        slot.set(node, ABSENT);
        size--;
        if (index == size) {
            nodes[size] = null;
            return;
        }
        T last = at(size);
        nodes[size] = null;
        place(last, index);
        siftDown(index);
        siftUp(slot.get(last));
    }

    /** Restores the order after {@code node}'s key grew (for example its access count or time). */
    void increased(T node) {
        siftDown(slot.get(node));
    }

    private void siftUp(int index) {
        T node = at(index);
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (order.compare(node, at(parent)) >= 0) {
                break;
            }
            place(at(parent), index);
            index = parent;
        }
        place(node, index);
    }

    private void siftDown(int index) {
        T node = at(index);
        while (true) {
            int child = 2 * index + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && order.compare(at(child + 1), at(child)) < 0) {
                child++;
            }
            if (order.compare(at(child), node) >= 0) {
                break;
            }
            place(at(child), index);
            index = child;
        }
        place(node, index);
    }

    private void place(T node, int index) {
        nodes[index] = node;
        slot.set(node, index);
    }

    @SuppressWarnings("unchecked")
    private T at(int index) {
        return (T) nodes[index];
    }
}
