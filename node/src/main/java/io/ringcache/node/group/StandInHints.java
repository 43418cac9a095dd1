package io.ringcache.node.group;

import io.ringcache.node.ring.HashRing;
import io.ringcache.node.store.StoredValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The writes this node applied for keys it does not own (hinted hand-off). A write its owner certainly did not
 * take (refused, leaving) is applied by the key's next member in its place, a read-modify-write only by one of the
 * key's backups; a plain write sent by a node whose ring differs is applied by whoever received it. Either way the
 * owner may answer again still holding an older value. This node remembers each such key with the version it gave
 * the write, and {@linkplain #deliver delivers} it to the key's owner once the owner answers: what this node holds
 * of the key (or, if nothing, a delete), with its version, which the owner applies as its own write unless it holds
 * a newer version. Then (even if the owner refused it) this node drops its copy unless it is one of the key's
 * backups.
 *
 * <p>Bounded: at most {@value #MAX_HINTS} keys wait; a write beyond that is counted as a dropped hint (its owner
 * may then serve an older value until the key expires or is written again). A key written here again while
 * waiting keeps one hint, with the newest version.
 *
 * <p>Fair: keys are tried in turn, and an owner that did not answer gets one key per round as a probe until it
 * answers, so the hints for owners that answer are not held up behind those for one that stays silent (with
 * static membership a dead member stays in the ring).
 */
final class StandInHints {

    static final int MAX_HINTS = 100_000;
    /** Keys sent per delivery round, so that a long wait ends in a paced catch-up. */
    static final int BATCH = 1_000;
    /**
     * Value bytes sent per round (at least one key's): rounds run on an event loop every 200 ms, so this caps
     * a catch-up at about 20 MiB/s per group, like the hand-off's pacing, however large the values.
     */
    static final long ROUND_BYTES = 4L << 20;
    /** Waiting keys looked at per round, sent or passed over: bounds a round's work on its event loop. */
    static final int EXAMINED_PER_ROUND = 10 * BATCH;

    private final LocalGroup local;
    private final Cluster cluster;
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    /**
     * Per key, how many writes applying here in its owner's place have not recorded their hint yet. Counted from
     * before the write reaches the store, so the copy it leaves is never taken for a leftover (a hand-off planning
     * in between would drop it, and the hint, finding nothing here, would then delete the key on its owner).
     */
    private final Map<String, Integer> applying = new ConcurrentHashMap<>();
    /** The waiting keys in the order to try them; a key tried without an answer goes to the back. */
    private final Queue<String> turns = new ConcurrentLinkedQueue<>();
    /** Owners whose last call went unanswered: each gets one probe per round. */
    private final Set<String> silentOwners = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean delivering = new AtomicBoolean();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    StandInHints(LocalGroup local, Cluster cluster) {
        this.local = local;
        this.cluster = cluster;
    }

    /**
     * A write of {@code key} is about to apply here in its owner's place: ends with {@link #applyingEnded}, once it
     * failed or changed nothing, or once its hint is {@linkplain #record recorded}.
     */
    void applying(String key) {
        applying.merge(key, 1, Integer::sum);
    }

    /** Ends one {@link #applying} of {@code key}. */
    void applyingEnded(String key) {
        applying.computeIfPresent(key, (k, writes) -> writes == 1 ? null : writes - 1);
    }

    /** Remembers that this node applied a write of {@code key}, versioned {@code version}, that its owner has not. */
    void record(String key, long version) {
        if (versions.size() >= MAX_HINTS && !versions.containsKey(key)) {
            dropped.increment();
            return;
        }
        // One atomic step, so that a hint settled between a check and an update cannot leave the key waiting
        // without a turn, never delivered; the turn is queued after it, once a round taking it finds the version.
        boolean[] first = new boolean[1];
        versions.compute(key, (k, waiting) -> {
            first[0] = waiting == null;
            return waiting == null ? version : Math.max(waiting, version);
        });
        if (first[0]) {
            turns.add(key);
        }
    }

    /**
     * One delivery round: sends up to {@value #BATCH} waiting keys ({@value #ROUND_BYTES} bytes of values) to
     * their owners in the current ring, one key only to each owner that was silent last time. A key
     * whose owner is now this node needs no delivery; one whose owner still does not answer waits for the next
     * round; one the owner refused (it does not fit there, say) is dropped and counted, and so is this node's copy.
     * Does nothing while the previous round is still waiting for answers, or while the ring is empty.
     *
     * @return completes when every answer of this round is in
     */
    CompletableFuture<Void> deliver() {
        HashRing ring = cluster.ring();
        // An empty ring is discovery listing nobody for a moment (every endpoint unready), not this node owning every
        // key: settled now, the hints would be forgotten and their copies dropped by the next hand-off.
        if (versions.isEmpty() || ring.isEmpty() || !delivering.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        String key = null;
        try {
            // Members that left the ring are no one's owners any more.
            silentOwners.retainAll(ring.members());
            Set<String> probed = new HashSet<>();
            long bytes = 0;
            for (int examined = 0; examined < EXAMINED_PER_ROUND && sent.size() < BATCH && bytes < ROUND_BYTES
                    && (key = turns.poll()) != null; examined++) {
                Long version = versions.get(key);
                if (version == null) {
                    continue;
                }
                String owner = ring.owner(key);
                if (owner.equals(cluster.self())) {
                    settle(key, version);
                    continue;
                }
                if (silentOwners.contains(owner) && !probed.add(owner)) {
                    turns.add(key);
                    continue;
                }
                StoredValue held = local.mainStore().peek(key);
                bytes += held == null ? 0 : held.value().length;
                sent.add(send(ring, owner, key, version, held));
            }
        } catch (RuntimeException e) {
            // The key in hand keeps its turn (sent twice at worst: the owner applies a copy only once), the
            // round's calls already sent still finish, and the next round must be able to start.
            if (key != null) {
                turns.add(key);
            }
            delivering.set(false);
            throw e;
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                .whenComplete((done, error) -> delivering.set(false));
    }

    private CompletableFuture<Void> send(HashRing ring, String owner, String key, long version, StoredValue held) {
        // What this node holds now is the latest it applied; if it holds nothing (deleted, expired, evicted),
        // the owner should not keep an older value either.
        boolean holdsTheWrite = held != null && held.version() >= version;
        KeyWrite write = holdsTheWrite ? new KeyWrite.Put(held.value(), held.expiresAtMillis()) : new KeyWrite.Delete();
        long sentVersion = holdsTheWrite ? held.version() : version;
        return cluster.peers().call(owner, write.toCopyRequest(cluster.self(), local.name(), key, sentVersion,
                        PeerCalls.Copy.HINT), cluster.callTimeout())
                .handle((response, error) -> {
                    Throwable failure = error != null ? error
                            : response.hasError() ? PeerCalls.exceptionOf(owner, response.getError()) : null;
                    if (failure != null && PeerCalls.isUnreachable(failure)) {
                        // Silent, or leaving the ring (its keys' next owner will get the hint instead).
                        silentOwners.add(owner);
                        turns.add(key);
                        return null;
                    }
                    silentOwners.remove(owner);
                    settle(key, version);
                    if (failure != null) {
                        dropped.increment();
                    } else {
                        delivered.increment();
                    }
                    // Delivered or refused, the owner has answered: a copy kept here without a hint would be
                    // served whenever the owner is silent again, however much newer the owner's value is by then.
                    if (held != null && !cluster.keepsCopy(ring, key)) {
                        local.dropHandedOver(key, held);
                    }
                    return null;
                });
    }

    /**
     * Forgets the hint of {@code key} taken from its turn with {@code version}, unless the key was written here
     * again meanwhile: the newer write waits for its next turn.
     */
    private void settle(String key, long version) {
        // Only a settle removes a hint, and the key is out of turn while it settles: if it is still there, it is newer.
        if (!versions.remove(key, version) && versions.containsKey(key)) {
            turns.add(key);
        }
    }

    /**
     * Whether a write of {@code key} applied here waits for its owner, or is applying: the copy held here is the hint's
     * to drop.
     */
    boolean isPending(String key) {
        return versions.containsKey(key) || applying.containsKey(key);
    }

    /** Keys waiting for their owner. */
    long pending() {
        return versions.size();
    }

    /** Hints the owners acknowledged. */
    long delivered() {
        return delivered.sum();
    }

    /** Hints given up: over the bound, or refused by the owner. */
    long dropped() {
        return dropped.sum();
    }
}
