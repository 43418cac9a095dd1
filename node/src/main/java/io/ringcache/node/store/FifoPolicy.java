package io.ringcache.node.store;

/**
 * First in, first out. Reads do not reorder. An overwrite counts as a new insertion: the entry moves to
 * the back of the queue, as if it had been removed and written again.
 */
final class FifoPolicy implements EvictionPolicy {

    private final NodeList insertion = new NodeList();

    @Override
    public void admitted(Node node) {
        insertion.addLast(node);
    }

    @Override
    public void read(Node node) {
        // Reads never reorder a FIFO queue.
    }

    @Override
    public void rewritten(Node node) {
        insertion.addLast(node);
    }

    @Override
    public void detach(Node node) {
        insertion.remove(node);
    }

    @Override
    public Node victim() {
        return insertion.first();
    }

    @Override
    public boolean ordersByReads() {
        return false;
    }
}
