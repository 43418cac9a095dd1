package io.ringcache.node.store;

/**
 * The order in which a {@link PolicyStore} evicts. Implementations are single-threaded: the store calls
 * them only while holding its lock, and only with resident nodes.
 *
 * <p>A node is either attached (known to the policy, a possible victim) or detached. The store detaches
 * a node before it overwrites it, so the key being written is never its own victim, and re-attaches it
 * with {@link #rewritten} once room has been made.
 */
interface EvictionPolicy {

    /** Attaches a node that was just added to the store. */
    void admitted(Node node);

    /** Records a read of an attached node. */
    void read(Node node);

    /** Re-attaches a node detached for an overwrite; the write counts as a use of the key. */
    void rewritten(Node node);

    /** Detaches {@code node}; its policy state is kept until it is re-attached or dropped. */
    void detach(Node node);

    /** The attached node to evict next (still attached), or {@code null} when none is attached. */
    Node victim();

    /** Whether {@link #read} does anything; a policy that ignores reads lets the store skip buffering them. */
    default boolean ordersByReads() {
        return true;
    }
}
