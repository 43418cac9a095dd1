package io.ringcache.node.ring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The ring this node routes by, swapped atomically: a reader takes one {@link #ring()} snapshot and routes
 * a whole request by it, so a concurrent change never gives one request two answers. Whatever source
 * knows the members (a static list, Kubernetes EndpointSlices) calls {@link #update}.
 *
 * <p>It also remembers, for its last {@value #RECENT_CHANGES} changes, where entries were before each and when it
 * happened, so a key's new owner can ask the member it came from for an entry still on its way. Once this node is
 * {@linkplain #leave() leaving}, it is kept out of every ring it is given: other sources may still list it while it
 * hands off.
 *
 * <p>This node's member id is fixed once a ring has listed it. Until then a source may {@linkplain #settleSelf settle}
 * it: Kubernetes discovery learns which of a dual-stack pod's addresses the other members know it by only from the
 * member list itself.
 */
public final class Membership {

    private static final Logger LOG = Logger.getLogger(Membership.class);
    /** How many changes of members {@link #recentChanges()} remembers. */
    public static final int RECENT_CHANGES = 8;

    private volatile String self;
    /** Whether a ring has listed {@link #self}: from then on keys, hints and hot copies are filed under that id. */
    private volatile boolean selfListed;
    private final LongSupplier nanoClock;
    private final AtomicReference<State> current;
    private final List<BiConsumer<HashRing, HashRing>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean leaving;
    private final AtomicLong changes = new AtomicLong();

    /**
     * @param self this node's member id ({@code host:port} of its peer endpoint)
     * @param initial the ring before the first update
     */
    public Membership(String self, HashRing initial) {
        this(self, initial, System::nanoTime);
    }

    /** As {@link #Membership(String, HashRing)}, with the monotonic clock that times ring changes. */
    public Membership(String self, HashRing initial, LongSupplier nanoClock) {
        this.self = Objects.requireNonNull(self, "self");
        this.nanoClock = nanoClock;
        HashRing ring = Objects.requireNonNull(initial, "initial");
        this.current = new AtomicReference<>(new State(ring, List.of(), 0));
        this.selfListed = ring.contains(self);
    }

    /** This node's member id ({@code host:port} of its peer endpoint, as the other members list it). */
    public String self() {
        return self;
    }

    /**
     * Changes this node's member id, which no ring has listed yet, to the one the other members know it by. For a
     * source that learns it from the member list itself: the EndpointSlices of a dual-stack pod's Service list one
     * address family, which need not be the family of the pod's primary address. Call it from the thread that
     * calls {@link #update}, before the update that lists the new id.
     *
     * @throws IllegalStateException once a ring has listed this node: its keys, and the hints and hot copies of
     *     other nodes, are filed under the id it had then, so it can no longer change
     */
    public void settleSelf(String memberId) {
        Objects.requireNonNull(memberId, "memberId");
        if (selfListed && !memberId.equals(self)) {
            throw new IllegalStateException("this node is already " + self + " in its ring; it cannot become "
                    + memberId);
        }
        self = memberId;
    }

    public HashRing ring() {
        return current.get().ring;
    }

    /**
     * The ring and the number of the change that made it ({@link #changes()} counting; 0 before the first), read
     * together. Listeners hear of a change only after it is made, so the ring alone may already be a later one than
     * the change a listener was told of.
     */
    public NumberedRing numberedRing() {
        State s = current.get();
        return new NumberedRing(s.ring, s.number);
    }

    /** Whether {@link #leave()} was called: this node is on its way out and no longer in its own ring. */
    public boolean isLeaving() {
        return leaving;
    }

    /**
     * The last {@value #RECENT_CHANGES} changes of members at most, newest first: a key that came to this node a
     * change or two ago may still be on its way from the owner it had then. Read without allocating (a miss asks).
     */
    public List<Change> recentChanges() {
        return current.get().recent;
    }

    /** Now, on the monotonic clock this membership times its changes on. */
    public long nanoTime() {
        return nanoClock.getAsLong();
    }

    /** How long ago {@code change} happened, on this membership's clock. */
    public long nanosSince(Change change) {
        return nanoClock.getAsLong() - change.changedAtNanos();
    }

    /**
     * Replaces the ring with one over {@code members} (without this node once it is leaving); listeners hear
     * of it (old ring, new ring) only when the set of members changed. Safe to call from any thread;
     * concurrent updates apply in some order.
     */
    public void update(Collection<String> members) {
        swap(ring -> members);
    }

    /**
     * Swaps in the ring over {@code membersOf(current ring)}, minus this node once it is leaving. Both are worked out
     * again on every attempt, after reading the ring it replaces: an update and a {@link #leave()} that race (a
     * discovery event as SIGTERM lands) then fail each other's compare-and-set and retry, so neither puts the
     * leaving node back in its ring nor undoes the other's members.
     */
    private void swap(Function<HashRing, Collection<String>> membersOf) {
        while (true) {
            State before = current.get();
            Set<String> next = new LinkedHashSet<>(membersOf.apply(before.ring));
            if (leaving) {
                next.remove(self);
            }
            HashRing ring = before.ring.withMembers(next);
            if (ring.members().equals(before.ring.members())) {
                return;
            }
            boolean returned = !before.ring.isEmpty() && !before.ring.contains(self) && ring.contains(self);
            State after = before.after(ring, new Change(whereEntriesWere(before.ring, ring), ring, returned,
                    nanoClock.getAsLong(), before.number + 1));
            if (current.compareAndSet(before, after)) {
                if (ring.contains(self)) {
                    selfListed = true;
                }
                changes.incrementAndGet();
                for (BiConsumer<HashRing, HashRing> listener : listeners) {
                    try {
                        listener.accept(before.ring, ring);
                    } catch (RuntimeException e) {
                        // The listeners after it, the hand-off among them, must still hear of the change.
                        LOG.errorf(e, "a listener of ring changes failed on the change to %s", ring.members());
                    }
                }
                return;
            }
        }
    }

    /**
     * The ring whose owners held the entries before a change from {@code before} to {@code after}: the old ring,
     * except for a node that just joined (its old ring was empty or itself alone), whose keys came from whoever
     * owned them without it.
     */
    private HashRing whereEntriesWere(HashRing before, HashRing after) {
        boolean justJoined = before.isEmpty() || before.members().equals(List.of(self));
        if (!justJoined) {
            return before;
        }
        Set<String> others = new LinkedHashSet<>(after.members());
        others.remove(self);
        return after.withMembers(others);
    }

    /** Takes this node out of the ring, now and in every later update. */
    public void leave() {
        leaving = true;
        swap(HashRing::members);
    }

    /** How many times the members changed since this node started. */
    public long changes() {
        return changes.get();
    }

    /** Calls {@code listener} with (old, new) after every change of members. */
    public void onChange(BiConsumer<HashRing, HashRing> listener) {
        listeners.add(listener);
    }

    /** The ring, the changes that led to it (newest first, at most {@value #RECENT_CHANGES}) and its number. */
    private record State(HashRing ring, List<Change> recent, long number) {

        State after(HashRing next, Change change) {
            List<Change> kept = new ArrayList<>(Math.min(recent.size() + 1, RECENT_CHANGES));
            kept.add(change);
            kept.addAll(recent.subList(0, Math.min(recent.size(), RECENT_CHANGES - 1)));
            return new State(next, List.copyOf(kept), change.number());
        }
    }

    /**
     * One change of members.
     *
     * @param previous the ring whose owners held the entries before it (see {@link #whereEntriesWere})
     * @param ring the ring it made
     * @param returned whether it brought this node back into a ring of other members that had left it out (its
     *     readiness flapped, say): it may hold copies older than what those members took meanwhile
     * @param changedAtNanos when it happened, on the membership's clock ({@link #nanosSince})
     * @param number 1 for the first change, 2 for the next, ...
     */
    public record Change(HashRing previous, HashRing ring, boolean returned, long changedAtNanos, long number) {
    }

    /** A ring and the number of the change that made it, as {@link #numberedRing()} reads them. */
    public record NumberedRing(HashRing ring, long change) {
    }
}
