package io.ringcache.node.group;

import io.ringcache.node.hot.HotCopyHolders;
import io.ringcache.node.hot.HotKeySettings;
import io.ringcache.node.hot.HotKeyTracker;
import io.ringcache.node.peer.Deadline;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.ring.HashRing;
import io.ringcache.node.store.StoredValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * This node as the owner of a group's keys: it serves gets (counting how often each key is asked for, and
 * handing out hot copies), applies writes and read-modify-writes, copies their result to the backups and
 * invalidates every hot copy before it acknowledges. Requests reach it from this node's own {@link Group}
 * or from other nodes through {@link GroupPeerService}; it never forwards them.
 */
final class GroupOwner {

    /** The keys this node is authoritative for, its loader and its counters. */
    private final LocalGroup local;
    private final Cluster cluster;
    private final boolean hotKeysEnabled;
    /** How often each key of this node's is asked for. */
    private final HotKeyTracker hotKeyTracker;
    /** Which nodes hold copies of this node's hot keys. */
    private final HotCopyHolders hotCopyHolders;
    /**
     * Per key, the invalidations of hot copies that writes sent and no holder has answered yet. A later write of
     * the key finds no holders left to invalidate, yet a holder may still serve the value before both writes:
     * it is acknowledged only once these are answered too.
     */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> invalidating = new ConcurrentHashMap<>();
    /**
     * Per key, the invalidations sent when its copy holders were forgotten to make room, until answered: the next
     * write of the key finds no holders, and waits for these instead. Not kept in {@link #invalidating}: they are
     * sent from within the holder table, which a write reads while it updates that map.
     */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> invalidatingForgotten = new ConcurrentHashMap<>();
    /** Writes applied here for keys this node does not own, until their owners have them. */
    private final StandInHints hints;
    /** Copies of writes that a backup did not take, until it has them. */
    private final BackupRepairs backupRepairs;
    /** Whom a miss asks for an entry still on its way here after a ring change. */
    private final PreviousOwners previousOwners;
    /** The copies held from before this node came back into its ring, which may be older than their owners'. */
    private final RegainedCopies regained;
    /** The keys this node is asking its previous owner about, and how many times at once ({@link #refreshRegained}). */
    private final ConcurrentHashMap<String, Integer> refreshing = new ConcurrentHashMap<>();
    /**
     * Per key, the requests held back behind one still taking the key from its previous owner (a read-modify-write,
     * or a read that missed), so that they take effect in the order they came: a pipeline's {@code INCR k; DEL k}
     * must not end with k at 1, nor {@code GET k; SET k v2} answer v2. A clear of the group waits for them all, and
     * holds back every request after it.
     */
    private final KeyQueues keyQueues = new KeyQueues();
    private final Consumer<String> ownCopyDropper;

    private final LongAdder servedForPeers = new LongAdder();
    private final LongAdder backupFailures = new LongAdder();
    private final LongAdder invalidationsSent = new LongAdder();
    private final LongAdder invalidationFailures = new LongAdder();

    /**
     * @param maxHotKeysTracked the most keys whose copy holders are remembered
     * @param ownCopyDropper drops this node's own hot copy of a key (when it writes a key it does not own)
     */
    GroupOwner(LocalGroup local, Cluster cluster, HotKeySettings hotKeys, long maxHotKeysTracked,
               Consumer<String> ownCopyDropper) {
        this.local = local;
        this.cluster = cluster;
        this.hotKeysEnabled = hotKeys.enabled();
        this.hotKeyTracker = new HotKeyTracker(hotKeys.thresholdPerSecond(), System::nanoTime);
        this.hotCopyHolders = new HotCopyHolders(hotKeys.ttl(), maxHotKeysTracked, this::invalidateForgotten);
        this.hints = new StandInHints(local, cluster);
        this.backupRepairs = new BackupRepairs(local, cluster);
        this.previousOwners = PreviousOwners.overPeers(cluster, local.name());
        this.ownCopyDropper = ownCopyDropper;
        this.regained = new RegainedCopies(cluster.membership(), local::newestVersion, local::size);
    }

    private String name() {
        return local.name();
    }

    /**
     * Serves a get forwarded by {@code from}: from memory, else by loading here; never forwarded again.
     * A key of this node's asked for more often than the hot-key threshold is answered as hot, and {@code from}
     * is remembered as a holder of its copy. So is a key whose copy {@code from} was handed recently and asks for
     * again as it runs out: a key stays hot for a member that keeps reading it, instead of earning it anew (with
     * threshold + 1 requests to the owner) after every copy's TTL. A key this node serves in its owner's place
     * (the owner did not answer {@code from}) is never answered as hot: the owner, which invalidates copies when
     * the key is next written, would not know of that copy.
     *
     * @param peek answer from memory only, never load (asked of a previous owner during a hand-off)
     */
    CompletableFuture<Served> serveGet(String from, String key, boolean peek) {
        servedForPeers.increment();
        if (peek) {
            StoredValue held = local.getHeld(key);
            if (held == null || !regained.mayBeOlder(key, held)) {
                return CompletableFuture.completedFuture(peeked(key, held));
            }
            // Handed to the key's new owner, a copy older than the one taken meanwhile would win over it there. Not
            // while this node is asking about the key itself: members back in their rings asking each other would go
            // round.
            if (refreshing.containsKey(key)) {
                return CompletableFuture.completedFuture(peeked(key, held));
            }
            return refreshRegained(key, previousHolderOf(key))
                    .thenApply(done -> peeked(key, local.mainStore().peek(key)));
        }
        // A key whose requests are held back is about to change: it is read in its turn, never handed out as hot.
        if (hotKeysEnabled && !from.isEmpty() && !from.equals(cluster.self()) && owns(cluster.ring(), key)
                && !keyQueues.isQueued(key)
                && (hotKeyTracker.recordAndCheck(key) || hotCopyHolders.handedTo(key, from))) {
            // Holder first, value second: a write landing between the two finds the holder and invalidates it.
            hotCopyHolders.add(key, from);
            StoredValue held = local.getHeld(key);
            if (held != null && !regained.mayBeOlder(key, held)) {
                return CompletableFuture.completedFuture(Served.hot(held));
            }
            if (held != null) {
                return readRegained(key).thenApply(Served::notPeeked);
            }
            // That look counted the miss; looking again through read() would count a second one.
            return readAfterMiss(key).thenApply(Served::notPeeked);
        }
        return read(key).thenApply(Served::notPeeked);
    }

    /** Whether {@code ring} makes this node {@code key}'s owner (as it does every key until the ring is known). */
    private boolean owns(HashRing ring, String key) {
        return ring.isEmpty() || ring.owner(key).equals(cluster.self());
    }

    /**
     * Applies a write as the key's owner: here (with a new version), then on the backups, then every hot copy
     * is invalidated; completes when all that can be reached have acknowledged. A write of a key this node
     * does not own (it stands in for an owner that did not answer) is also remembered for that owner, and
     * invalidates the hot copies on every member (the owner alone knows which hold one). Behind a request of the key
     * still taking it from its previous owner, or a clear of the group, it waits for its turn ({@link KeyQueues}).
     *
     * @param deadline when the sender stops waiting; a write that waited for its turn until then is not applied
     * @return completes with whether a delete removed a value
     */
    CompletableFuture<Boolean> write(String key, KeyWrite write, Deadline deadline) {
        if (keyQueues.isQueued(key)) {
            return keyQueues.run(key, () -> {
                if (deadline.passed()) {
                    return CompletableFuture.failedFuture(notAppliedInTime("write"));
                }
                return CompletableFuture.completedFuture(apply(key, write));
            }).thenCompose(applied -> acknowledge(key, write, applied));
        }
        // Most writes: nothing waits, so the write applies at once without a future of its own.
        ByRing<AppliedWrite> applied;
        try {
            applied = apply(key, write);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return acknowledge(key, write, applied);
    }

    /** Applies {@code write} here, noting the ring before it ({@link #ringBeforeWrite}). */
    private ByRing<AppliedWrite> apply(String key, KeyWrite write) {
        HashRing ring = ringBeforeWrite(key);
        try {
            return new ByRing<>(ring, write.applyTo(local, key));
        } catch (RuntimeException e) {
            endStandInMark(ring, key);
            throw e;
        }
    }

    /** Copies a write applied here to the backups and invalidates the hot copies; completes with whether it removed. */
    private CompletableFuture<Boolean> acknowledge(String key, KeyWrite write, ByRing<AppliedWrite> applied) {
        CompletableFuture<Void> propagated = propagate(applied.ring(), key, write, applied.result().version());
        return Completed.normally(propagated) ? Completed.of(applied.result().removed())
                : propagated.thenApply(done -> applied.result().removed());
    }

    /**
     * The ring as a write of {@code key} is about to apply. When it gives the key to another member, this node
     * applies the write in its owner's place, and the key counts as hinted from now on: a hand-off planning before
     * the hint is recorded must not take the copy the write leaves for a leftover. {@link #propagate} reads the ring
     * again once the write is stored, as a change in between can make it a stand-in's write too.
     */
    private HashRing ringBeforeWrite(String key) {
        HashRing ring = cluster.ring();
        if (!owns(ring, key)) {
            hints.applying(key);
        }
        return ring;
    }

    /**
     * Ends what {@link #ringBeforeWrite} began: the write failed or changed nothing, or its hint, if the ring after it
     * wants one, is recorded.
     */
    private void endStandInMark(HashRing ringBefore, String key) {
        if (!owns(ringBefore, key)) {
            hints.applyingEnded(key);
        }
    }

    /**
     * Applies, as the key's owner, a write another member applied with {@code version} in this node's place,
     * unless this node holds a newer version of the key; if it applies, the backups and hot copies follow as
     * for {@link #write}.
     *
     * @return completes with whether it applied
     */
    CompletableFuture<Boolean> writeHinted(String key, KeyWrite write, long version) {
        HashRing ring = ringBeforeWrite(key);
        boolean applied;
        try {
            applied = write.applyIfNewer(local, key, version);
        } catch (RuntimeException e) {
            endStandInMark(ring, key);
            return CompletableFuture.failedFuture(e);
        }
        if (!applied) {
            endStandInMark(ring, key);
            return CompletableFuture.completedFuture(false);
        }
        return propagate(ring, key, write, version).thenApply(done -> true);
    }

    /**
     * Sends the writes this node applied in absent owners' places to the owners that answer now, and the copies of its
     * writes that backups missed to those backups.
     */
    CompletableFuture<Void> deliverHints() {
        CompletableFuture<Void> delivered;
        try {
            delivered = hints.deliver();
        } catch (RuntimeException e) {
            try {
                backupRepairs.deliver();
            } catch (RuntimeException also) {
                e.addSuppressed(also);
            }
            throw e;
        }
        return CompletableFuture.allOf(delivered, backupRepairs.deliver());
    }


    /** Whether a write of {@code key} this node applied in its owner's place still waits for that owner. */
    boolean holdsHintFor(String key) {
        return hints.isPending(key);
    }

    /**
     * Applies a mutation as the key's owner, then copies the write it made (if it made one) to the backups and
     * invalidates the hot copies, as {@link #write} does for a write. Shortly after a ring change, a key this
     * node does not hold yet is first taken from its previous owner, so the mutation acts on its current value;
     * the key's requests that arrive meanwhile wait for it ({@link KeyQueues}), and so does the mutation behind
     * one of them still taking the key.
     *
     * @param deadline when the caller stops waiting; a mutation not started by then is not applied
     */
    CompletableFuture<MutationResult> mutate(String key, Mutation mutation, Deadline deadline) {
        CompletableFuture<ByRing<AppliedMutation>> applied =
                keyQueues.run(key, () -> takeThenApply(key, mutation, deadline));
        return Completed.normally(applied) ? acknowledge(key, applied.join())
                : applied.thenCompose(done -> acknowledge(key, done));
    }

    /** Takes the key from its previous owner when it is still on its way here, then applies the mutation here. */
    private CompletableFuture<ByRing<AppliedMutation>> takeThenApply(String key, Mutation mutation,
                                                                     Deadline deadline) {
        if (deadline.passed()) {
            // Its turn came too late: it waited behind a request of the key, or a clear, past the sender's patience.
            // The request before it took the key here, so nothing below would wait and look at the deadline again.
            return CompletableFuture.failedFuture(notAppliedInTime("mutation"));
        }
        PreviousHolder previous = previousHolderOf(key);
        CompletableFuture<?> taken = previous == null ? Completed.VOID : takeFrom(previous, key);
        if (Completed.normally(taken)) {
            // Most mutations: the key is here (or nobody else had it), so it applies at once.
            return CompletableFuture.completedFuture(apply(key, mutation));
        }
        return taken.thenApply(ready -> {
            if (deadline.passed()) {
                // The wait for the previous holder outlasted the sender's patience: keep the outcome certain.
                throw notAppliedInTime("mutation");
            }
            return apply(key, mutation);
        });
    }

    /**
     * Takes {@code key} from {@code previous} when this node does not hold it, or holds a copy that may be older than
     * the previous owner's ({@link RegainedCopies}).
     */
    private CompletableFuture<?> takeFrom(PreviousHolder previous, String key) {
        StoredValue held = local.mainStore().peek(key);
        if (held == null || !regained.mayBeOlder(key, held)) {
            return local.takeFromPreviousHolder(key, previous);
        }
        return refreshRegained(key, previous);
    }

    /** Applies {@code mutation} here, noting the ring before it ({@link #ringBeforeWrite}). */
    private ByRing<AppliedMutation> apply(String key, Mutation mutation) {
        HashRing ring = ringBeforeWrite(key);
        try {
            return new ByRing<>(ring, local.mutateAsOwner(key, mutation));
        } catch (RuntimeException e) {
            endStandInMark(ring, key);
            throw e;
        }
    }

    private CompletableFuture<MutationResult> acknowledge(String key, ByRing<AppliedMutation> applied) {
        AppliedMutation mutation = applied.result();
        if (mutation.write() == null) {
            // The key is as it was (a condition did not hold, a read): there is nothing to copy.
            endStandInMark(applied.ring(), key);
            return CompletableFuture.completedFuture(mutation.result());
        }
        return propagate(applied.ring(), key, mutation.write(), mutation.version())
                .thenApply(done -> mutation.result());
    }

    /** Why a request that waited (for the previous holder, or for its turn) until its deadline was not applied. */
    private DeadlinePassedException notAppliedInTime(String what) {
        return new DeadlinePassedException("the deadline passed before " + cluster.self() + " could apply the "
                + what + "; it was not applied");
    }

    /**
     * Runs {@code clear}, a clear of the group here, at one point of the order in which this node's requests of the
     * group take effect: after every request held back here when it arrives ({@link KeyQueues}), so that an
     * {@code INCR k} still taking k from its previous owner does not apply after the clear and bring k back, and
     * before every request that arrives after it, of any key, which waits until it has run. With nothing held back,
     * as almost always, it runs at once.
     *
     * @param deadline when the sender stops waiting; a clear that waited for its turn until then is not applied
     * @return completes once cleared, or exceptionally with {@link DeadlinePassedException}
     */
    CompletableFuture<Void> clearInTurn(Runnable clear, Deadline deadline) {
        return keyQueues.runForAllKeys(() -> {
            if (deadline.passed()) {
                return CompletableFuture.failedFuture(notAppliedInTime("clear"));
            }
            clear.run();
            return Completed.VOID;
        });
    }

    /**
     * The entries of the group this node owns in its ring: every entry it holds, unless backups put copies of
     * other owners' keys here too.
     */
    long ownedEntries() {
        if (cluster.backups() == 0) {
            return local.size();
        }
        HashRing ring = cluster.ring();
        if (ring.isEmpty()) {
            return local.size();
        }
        long[] owned = new long[1];
        local.mainStore().forEachEntry((key, value) -> {
            if (ring.owner(key).equals(cluster.self())) {
                owned[0]++;
            }
        });
        return owned[0];
    }

    /**
     * Reads a key this node serves as its owner. Shortly after a ring change the key's previous owner may
     * still hold it, its entry on the way here: a miss asks it (memory only) before loading or answering
     * "not found". Behind requests of the key that are held back ({@link #isQueued}), it reads in its turn, so it
     * sees what they did; while it asks the previous owner, it holds back the key's requests after it, so that a
     * write after it does not change what it answers ({@link #readAfterMiss}).
     */
    CompletableFuture<Optional<StoredValue>> read(String key) {
        if (keyQueues.isQueued(key)) {
            return readInTurn(key, () -> {
                StoredValue held = local.getHeld(key);
                if (held == null) {
                    return answerAfterMiss(key);
                }
                return regained.mayBeOlder(key, held) ? answerRegained(key) : answered(held);
            });
        }
        StoredValue held = local.getHeld(key);
        if (held == null) {
            return readAfterMiss(key);
        }
        return regained.mayBeOlder(key, held) ? readRegained(key)
                : CompletableFuture.completedFuture(Optional.of(held));
    }

    /**
     * Whether {@code held}, this node's copy of {@code key}, may be older than the copy of the member that owned the
     * key while this node was out of its ring ({@link RegainedCopies}): a read must then go through
     * {@link #readRegained}.
     */
    boolean mayBeOlder(String key, StoredValue held) {
        return regained.mayBeOlder(key, held);
    }

    /**
     * The answer to a peek at {@code key}: what is held, else the latest removal and the latest eviction of it
     * remembered here.
     */
    private Served peeked(String key, StoredValue held) {
        if (held != null) {
            return Served.notPeeked(Optional.of(held));
        }
        return new Served(null, false, local.removedVersion(key), local.evictedVersion(key));
    }

    /**
     * As {@link #read}, for a key held here whose copy may be older than its previous owner's: asks that owner first
     * (once per key), keeps the newer version, and answers it. The key's requests after it wait for the answer, as
     * behind a miss's question ({@link #readAfterMiss}).
     */
    CompletableFuture<Optional<StoredValue>> readRegained(String key) {
        return readInTurn(key, () -> answerRegained(key));
    }

    /** The answer of {@link #readRegained}, settled as {@link #answerAfterMiss} is. */
    private CompletableFuture<CompletableFuture<Optional<StoredValue>>> answerRegained(String key) {
        return refreshRegained(key, previousHolderOf(key)).thenCompose(settled -> {
            StoredValue now = local.mainStore().peek(key);
            if (now != null) {
                return answered(now);
            }
            // Gone once the previous owner answered (its removal, or a delete or expiry here): asked again, it says the
            // same.
            return settled ? CompletableFuture.completedFuture(local.getAfterMiss(key, null)) : answerAfterMiss(key);
        });
    }

    /**
     * Asks {@code previous}, the key's previous owner, for a copy newer than the one held here, which may be older
     * ({@link RegainedCopies}); completes once the newer of the two is kept. Until the previous owner has answered
     * once, the key is asked about again; with none to ask ({@code null}: it finished handing over, or is gone), the
     * copy here is the newest there is. Completes with whether the question is settled: the previous owner answered,
     * or there was none to ask.
     */
    private CompletableFuture<Boolean> refreshRegained(String key, PreviousHolder previous) {
        Object asOf = regained.current();
        if (previous == null) {
            regained.settled(key, asOf);
            return Completed.of(true);
        }
        AtomicBoolean answered = new AtomicBoolean();
        PreviousHolder asking = k -> previous.fetch(k).whenComplete((found, error) -> answered.set(error == null));
        refreshing.merge(key, 1, Integer::sum);
        return local.takeNewerFromPreviousHolder(key, asking).whenComplete((done, error) -> {
            refreshing.computeIfPresent(key, (k, count) -> count == 1 ? null : count - 1);
            if (answered.get()) {
                regained.settled(key, asOf);
            }
        }).thenApply(done -> answered.get());
    }

    /**
     * As {@link #read}, once this node's store has missed {@code key} (and counted the miss). A miss that asks the
     * key's previous owner holds the key's later requests back until the answer is kept here: otherwise a
     * pipeline's {@code GET k; SET k v2} would apply the SET first, refuse the older value the previous owner then
     * hands over, and answer the GET with {@code v2}. A load does not hold them back: it can take seconds, and a
     * write from then on keeps it from caching its older value, which the read still answers.
     */
    CompletableFuture<Optional<StoredValue>> readAfterMiss(String key) {
        if (!keyQueues.isQueued(key) && previousHolderOf(key) == null) {
            // Most misses: no request of the key waits, and nobody else may hold it.
            return local.getAfterMiss(key, null);
        }
        return readInTurn(key, () -> {
            // The miss is counted already; what the requests before this one wrote is looked at, not counted.
            StoredValue written = local.mainStore().peek(key);
            return written != null ? answered(written) : answerAfterMiss(key);
        });
    }

    /**
     * Whether requests of {@code key} are held back behind one still taking the key from its previous owner: a
     * read must then go through {@link #read}, in its turn, rather than look in memory at once.
     */
    boolean isQueued(String key) {
        return keyQueues.isQueued(key);
    }

    /** The keys whose requests are held back now. */
    int queuedKeys() {
        return keyQueues.queuedKeys();
    }

    /**
     * Runs {@code answer} in the key's turn. The step ends once the read's answer is settled ({@link
     * LocalGroup#answerAfterMiss}), so it holds back the requests after it only while it asks the previous owner;
     * the read completes with the answer.
     */
    private CompletableFuture<Optional<StoredValue>> readInTurn(
            String key, Supplier<CompletableFuture<CompletableFuture<Optional<StoredValue>>>> answer) {
        return keyQueues.run(key, answer).thenCompose(Function.identity());
    }

    /** A read's answer once this node's store missed {@code key}, settled (see {@link LocalGroup#answerAfterMiss}). */
    private CompletableFuture<CompletableFuture<Optional<StoredValue>>> answerAfterMiss(String key) {
        PreviousHolder previous = previousHolderOf(key);
        if (previous == null) {
            return CompletableFuture.completedFuture(local.getAfterMiss(key, null));
        }
        return local.answerAfterMiss(key, previous);
    }

    private static CompletableFuture<CompletableFuture<Optional<StoredValue>>> answered(StoredValue value) {
        return CompletableFuture.completedFuture(CompletableFuture.completedFuture(Optional.of(value)));
    }

    /** Whom to ask for {@code key}, which may still be on its way here after a ring change; {@code null}: nobody. */
    private PreviousHolder previousHolderOf(String key) {
        return previousOwners.of(key);
    }

    /**
     * Copies {@code write}, applied here with {@code version}, to the key's backups and invalidates its hot copies
     * (or records its hint, for a stand-in's write), by the ring now; completes when all answered.
     *
     * @param ringBefore the ring read before the write applied ({@link #ringBeforeWrite})
     */
    private CompletableFuture<Void> propagate(HashRing ringBefore, String key, KeyWrite write, long version) {
        HashRing ring = cluster.ring();
        CompletableFuture<Void> invalidated;
        try {
            invalidated = invalidateHolders(ring, key, version);
        } finally {
            endStandInMark(ringBefore, key);
        }
        List<String> backups = cluster.backupsOf(ring, key);
        if (backups.isEmpty() && invalidated == null) {
            // Most writes: nothing to copy, no copy out.
            return Completed.VOID;
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (String backup : backups) {
            PeerRequest copy = write.toCopyRequest(cluster.self(), name(), key, version, PeerCalls.Copy.BACKUP);
            acks.add(cluster.peers().call(backup, copy, cluster.callTimeout())
                    .handle((response, error) -> {
                        if (error != null || response.hasError()) {
                            backupFailures.increment();
                        }
                        if (error != null && PeerCalls.isUnreachable(error)) {
                            // Not taken in time, or no connection: sent again. A refusal (no room there) is final.
                            backupRepairs.missed(key, version, write instanceof KeyWrite.Delete, backup);
                        }
                        return null;
                    }));
        }
        if (invalidated != null) {
            acks.add(invalidated);
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    /**
     * Takes the key's copy holders (every member's copy, for a stand-in) and invalidates them; returns what completes
     * when they, and the invalidations earlier writes of the key still wait for, are answered, or {@code null} when
     * nothing is waited for. Taking the holders and registering the calls is one step per key, so a concurrent write
     * of the key either takes the holders or finds their invalidations.
     */
    private CompletableFuture<Void> invalidateHolders(HashRing ring, String key, long version) {
        CompletableFuture<Void> waited = invalidating.compute(key, (k, earlier) -> {
            Set<String> holders = hotCopyHolders.remove(k);
            if (!owns(ring, k)) {
                holders = standInFor(ring, k, version, holders);
            }
            List<CompletableFuture<Void>> calls = invalidateCopies(k, holders);
            CompletableFuture<Void> forgotten = invalidatingForgotten.get(k);
            if (forgotten != null) {
                calls.add(forgotten);
            }
            if (calls.isEmpty()) {
                return earlier;
            }
            CompletableFuture<Void> sent = CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
            return earlier == null ? sent : CompletableFuture.allOf(earlier, sent);
        });
        if (waited != null) {
            waited.whenComplete((done, error) -> invalidating.remove(key, waited));
        }
        return waited;
    }

    /**
     * This node applied a write of a key it does not own (its owner did not answer, or the sender's ring
     * differs from this node's): the write is remembered for the owner. Only the owner knows which members
     * hold hot copies of the key, so with hot keys on every member but the owner is to invalidate its copy,
     * this node's own included, before the write is acknowledged.
     *
     * @return the members whose hot copies to invalidate
     */
    private Set<String> standInFor(HashRing ring, String key, long version, Set<String> copyHolders) {
        hints.record(key, version);
        if (!hotKeysEnabled) {
            return copyHolders;
        }
        ownCopyDropper.accept(key);
        Set<String> everyone = new HashSet<>(copyHolders);
        everyone.addAll(ring.members());
        everyone.remove(ring.owner(key));
        return everyone;
    }

    /** Invalidates the copies of {@code key}, whose holders the holder table forgot to make room. */
    private void invalidateForgotten(String key, Set<String> holders) {
        List<CompletableFuture<Void>> calls = invalidateCopies(key, holders);
        if (calls.isEmpty()) {
            return;
        }
        CompletableFuture<Void> registered = invalidatingForgotten.merge(key,
                CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)), CompletableFuture::allOf);
        registered.whenComplete((done, error) -> invalidatingForgotten.remove(key, registered));
    }

    private List<CompletableFuture<Void>> invalidateCopies(String key, Set<String> holders) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(holders.size());
        for (String holder : holders) {
            if (holder.equals(cluster.self())) {
                continue;
            }
            invalidationsSent.increment();
            acks.add(cluster.peers().call(holder, PeerCalls.invalidate(cluster.self(), name(), key), cluster.callTimeout())
                    .handle((response, error) -> {
                        if (error != null || response.hasError()) {
                            invalidationFailures.increment();
                        }
                        return null;
                    }));
        }
        return acks;
    }

    long servedForPeers() {
        return servedForPeers.sum();
    }

    long backupFailures() {
        return backupFailures.sum();
    }

    long invalidationsSent() {
        return invalidationsSent.sum();
    }

    long invalidationFailures() {
        return invalidationFailures.sum();
    }

    long keysWithCopiesOut() {
        return hotCopyHolders.keysWithCopies();
    }

    long hintsPending() {
        return hints.pending();
    }

    long backupRepairsPending() {
        return backupRepairs.pending();
    }

    long backupCopiesRepaired() {
        return backupRepairs.repaired();
    }

    long backupRepairsDropped() {
        return backupRepairs.dropped();
    }

    long hintsDelivered() {
        return hints.delivered();
    }

    long hintsDropped() {
        return hints.dropped();
    }

    /**
     * What a node serves a peer's get with: the value ({@code null} for not found), whether the key is hot, and for a
     * peek answered not found the versions of the latest removal (delete, expiry, clear) and of the latest eviction of
     * a written value of the key remembered here ({@link StoredValue#UNVERSIONED} otherwise; see
     * {@link PeerCalls#notFound} for how the two travel).
     */
    record Served(StoredValue value, boolean hot, long removedVersion, long evictedVersion) {

        /** The answer to a get that was not a peek, with what it found. */
        static Served notPeeked(Optional<StoredValue> found) {
            return new Served(found.orElse(null), false, StoredValue.UNVERSIONED, StoredValue.UNVERSIONED);
        }

        /** {@code held}, handed out as a hot key's value. */
        static Served hot(StoredValue held) {
            return new Served(held, true, StoredValue.UNVERSIONED, StoredValue.UNVERSIONED);
        }
    }

    /** What a write or mutation applied here returned, and the ring read before it ({@link #ringBeforeWrite}). */
    private record ByRing<T>(HashRing ring, T result) {
    }
}
