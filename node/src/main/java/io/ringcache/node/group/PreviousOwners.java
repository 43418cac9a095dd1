package io.ringcache.node.group;

import io.ringcache.node.ring.HashRing;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.store.StoredValue;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whom a miss of this node's, as a key's owner, asks for the entry that may still be on its way here after a
 * ring change: the key's owner before the change that made this node its owner, from memory only. That need not be
 * the last change: a second member joining while the first join's entries still move leaves this node the key's
 * owner, and the entry still on its way from the owner before (the last {@value Membership#RECENT_CHANGES} changes
 * are looked at, those before the last one for {@link #EARLIER_CHANGES_HORIZON}).
 *
 * <p>For {@link #HANDOFF_WINDOW} after that change it is always asked: long enough for a hand-off of a large
 * store at the default rate. A hand-off can take longer: its rate is configurable, and a batch its new owner did
 * not acknowledge is offered again, with growing pauses, until it is (see {@code HandoffStream}). So after the
 * window the previous owner is still asked while it says it has entries to hand to this node: each answer tells
 * (the peer response's {@code handing_off}), and once one says it has none, or it does not answer (a node gone
 * delivers nothing more either), it is not asked again for the keys that change brought. Answers within the window do
 * not count: a previous owner may not have heard of the change yet, and have nothing to hand over so far. Only a
 * previous owner that has left the ring and takes no connection (crashed, its address gone: it hands nothing over) is
 * asked no more within the window, so that the misses of its keys do not each wait for a peer timeout. A key
 * whose previous owner is asked no more, and which has not arrived, is a miss like any other.
 *
 * <p>Thread-safe: what it learned is a concurrent set per ring change.
 */
final class PreviousOwners {

    /** How long after a ring change a miss always asks the key's previous owner. */
    static final Duration HANDOFF_WINDOW = Duration.ofMinutes(1);
    /**
     * How long a change before the last one is still looked at: a key a later change left here may be on its way from
     * the member it came from for this long (ten windows; a hand-off of several GiB at the default rate takes minutes).
     */
    static final Duration EARLIER_CHANGES_HORIZON = HANDOFF_WINDOW.multipliedBy(10);

    private final Membership membership;
    private final Peek peek;
    /**
     * By ring change, the previous owners found, after that change's window, to have nothing left for this node. Only
     * changes still among the recent ones are kept.
     */
    private final ConcurrentHashMap<Long, Set<String>> finished = new ConcurrentHashMap<>();

    /**
     * @param peek asks a member for a key from its memory
     */
    PreviousOwners(Membership membership, Peek peek) {
        this.membership = membership;
        this.peek = peek;
    }

    /** Asks the other members of {@code cluster} for keys of group {@code group}. */
    static PreviousOwners overPeers(Cluster cluster, String group) {
        return new PreviousOwners(cluster.membership(), (member, key) -> cluster.peers()
                .call(member, PeerCalls.get(cluster.self(), group, key, true), cluster.callTimeout())
                .thenApply(response -> new Answer(response.hasValue()
                        ? PreviousHolder.Held.value(StoredValue.of(response.getValue().getValue().toByteArray(),
                                PeerCalls.expiryFromWire(response.getValue().getExpiresAtMillis()),
                                response.getValue().getVersion()))
                        : PeerCalls.heldOf(response.getNotFound()),
                        response.getHandingOff())));
    }

    /**
     * The member to ask for {@code key} after a miss here, as a {@link PreviousHolder}; {@code null} when there is
     * none to ask: the members never changed, this node owned the key before too, or its previous owner is
     * known to have handed over all it had for this node.
     */
    PreviousHolder of(String key) {
        String self = membership.self();
        // Newest first: a change before which this node already owned the key brought it nothing; the first one
        // before which another member owned it is the change that brought the key here, from that member.
        List<Membership.Change> recent = membership.recentChanges();
        for (int i = 0; i < recent.size(); i++) {
            Membership.Change change = recent.get(i);
            if (i > 0 && membership.nanosSince(change) >= EARLIER_CHANGES_HORIZON.toNanos()) {
                // Every miss and read-modify-write looks here, a ring lookup per change: long after a rollout, keys
                // this node has owned throughout would pay for every change of it.
                return null;
            }
            HashRing previous = change.previous();
            if (previous.isEmpty()) {
                return null;
            }
            String owner = previous.owner(key);
            if (!owner.equals(self)) {
                return askingIfStillOnItsWay(owner, change);
            }
        }
        return null;
    }

    /** Asks {@code owner}, the key's owner before {@code change}, while entries may still come from it. */
    private PreviousHolder askingIfStillOnItsWay(String owner, Membership.Change change) {
        Set<String> done = finishedAfter(change.number());
        if (done.contains(owner)) {
            return null;
        }
        if (membership.nanosSince(change) < HANDOFF_WINDOW.toNanos()) {
            return k -> peek.ask(owner, k).whenComplete((answer, error) -> {
                // A member that left the ring and takes no connection has crashed, or its address is gone: it hands
                // nothing over. Asked on every miss for the rest of the window, each could wait a peer timeout. One
                // that took the call and did not answer in time may only be busy handing over, as a leaving node is.
                if (error != null && PeerCalls.certainlyNotServed(error) && !membership.ring().contains(owner)) {
                    done.add(owner);
                }
            }).thenApply(Answer::held);
        }
        return k -> peek.ask(owner, k).whenComplete((answer, error) -> {
            if (error != null || !answer.stillHandingOff()) {
                done.add(owner);
            }
        }).thenApply(Answer::held);
    }

    /** The set of previous owners known to have finished handing over what ring change {@code change} moved. */
    private Set<String> finishedAfter(long change) {
        Set<String> done = finished.get(change);
        if (done == null) {
            // Changes too old to be among the recent ones are never asked about again.
            finished.keySet().removeIf(number -> number <= change - Membership.RECENT_CHANGES);
            done = finished.computeIfAbsent(change, number -> ConcurrentHashMap.newKeySet());
        }
        return done;
    }

    /** Asks {@code member} for {@code key}, from its memory only. Must not block. */
    @FunctionalInterface
    interface Peek {
        CompletableFuture<Answer> ask(String member, String key);
    }

    /**
     * A previous owner's answer.
     *
     * @param held what it holds of the key
     * @param stillHandingOff whether it still has entries for the asker
     */
    record Answer(PreviousHolder.Held held, boolean stillHandingOff) {
    }
}
