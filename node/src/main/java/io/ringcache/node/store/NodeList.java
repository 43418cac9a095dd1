package io.ringcache.node.store;

/**
 * An intrusive doubly linked list of {@link Node}s through their {@code prev}/{@code next} fields, oldest
 * first. A node is in at most one list at a time. Not thread-safe: used under the owning store's lock.
 */
final class NodeList {

    private Node head;
    private Node tail;

    boolean isEmpty() {
        return head == null;
    }

    /** The oldest node, or {@code null} when empty. */
    Node first() {
        return head;
    }

    void addLast(Node node) {
        node.prev = tail;
        node.next = null;
        if (tail == null) {
            head = node;
        } else {
            tail.next = node;
        }
        tail = node;
    }

    /** Unlinks {@code node}, which must be in this list. */
    void remove(Node node) {
        if (node.prev == null) {
            head = node.next;
        } else {
            node.prev.next = node.next;
        }
        if (node.next == null) {
            tail = node.prev;
        } else {
            node.next.prev = node.prev;
        }
        node.prev = null;
        node.next = null;
    }

    void moveToLast(Node node) {
        if (node != tail) {
            remove(node);
            addLast(node);
        }
    }
}
