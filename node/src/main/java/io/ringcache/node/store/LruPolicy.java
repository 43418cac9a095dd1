package io.ringcache.node.store;

/** Least recently used first; a read or an overwrite makes an entry the most recently used. */
final class LruPolicy implements EvictionPolicy {

    private final NodeList recency = new NodeList();

    @Override
    public void admitted(Node node) {
        recency.addLast(node);
    }

    @Override
    public void read(Node node) {
        recency.moveToLast(node);
    }

    @Override
    public void rewritten(Node node) {
        recency.addLast(node);
    }

    @Override
    public void detach(Node node) {
        recency.remove(node);
    }

    @Override
    public Node victim() {
        return recency.first();
    }
}
