package io.ringcache.node.ring;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * The ring this node routes by, swapped atomically: a reader takes one {@link #ring()} snapshot and routes
 * a whole request by it, so a concurrent change never gives one request two answers. Whatever source
 * knows the members (a static list, Kubernetes EndpointSlices) calls {@link #update}.
 */
public final class Membership {

    private final String self;
    private final AtomicReference<HashRing> current;
    private final List<BiConsumer<HashRing, HashRing>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param self this node's member id ({@code host:port} of its peer endpoint)
     * @param initial the ring before the first update
     */
    public Membership(String self, HashRing initial) {
        this.self = Objects.requireNonNull(self, "self");
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    public String self() {
        return self;
    }

    public HashRing ring() {
        return current.get();
    }

    /** Whether this node owns {@code key} in the current ring. */
    public boolean isOwner(String key) {
        HashRing ring = current.get();
        return !ring.isEmpty() && ring.owner(key).equals(self);
    }

    /**
     * Replaces the ring with one over {@code members}; listeners hear of it (old ring, new ring) only when
     * the set of members changed. Safe to call from any thread; concurrent updates apply in some order.
     */
    public void update(Collection<String> members) {
        HashRing next = current.get().withMembers(members);
        HashRing previous = current.getAndSet(next);
        if (!previous.members().equals(next.members())) {
            for (BiConsumer<HashRing, HashRing> listener : listeners) {
                listener.accept(previous, next);
            }
        }
    }

    /** Calls {@code listener} with (old, new) after every change of members. */
    public void onChange(BiConsumer<HashRing, HashRing> listener) {
        listeners.add(listener);
    }
}
