package io.ringcache.node.handoff;

import io.ringcache.node.discovery.Backoff;
import io.ringcache.node.group.Group;
import io.ringcache.node.group.Groups;
import io.ringcache.node.group.LocalGroup;
import io.ringcache.node.handoff.TransferBatch.Moving;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.ring.HashRing;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.store.StoredValue;
import io.ringcache.node.store.TimeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Moves entries to their new owners when the ring changes, then drops the ones this node no longer owns.
 *
 * <p>Which entries go where: for each entry held, the key's owners in the new ring ({@code 1 + backups}
 * members) that were not among its owners in the ring the entries were last placed by are the members that
 * lack it; when this node leaves the key's owners, every new owner is sent it (a backup may have missed a copy of the
 * key's last write, or its copy may still be on its way). Exactly one old holder sends it to them: the first of its old owners still present (or this node,
 * when it is the one leaving, or when none of them is left). Entries this node held without owning them (left
 * over from earlier rings) are dropped, except a write this node applied in the place of an owner that did not
 * answer and has not delivered yet ({@link Group#holdsHintFor}): it is the only copy of that write, and its
 * delivery drops it.
 *
 * <p>When changes come faster than passes plan (a pass busy sending when the next two land), the next pass plans
 * through the ring of every change in between, as if each had been planned in time: a ring in between may have
 * made this node the owner of keys whose owners before and after it lack the writes it took then. Only the plan
 * of the ring in place drops anything, so an entry written under a ring that came after the one being planned
 * waits for that ring's plan.
 *
 * <p>What this node is to send is <em>owed</em> until every member that lacks it has acknowledged it; only
 * then is the entry dropped (if this node no longer owns it, and only if it was not written again meanwhile:
 * the newer value is owed in turn). A batch that fails leaves its entries owed, and what is owed is offered
 * again after {@link #FIRST_RETRY}, doubling up to {@link #LONGEST_RETRY} while it keeps failing, for as long as
 * the ring stays as it is (and at most {@link #LONGEST_HOLD}, below). A ring change carries what is owed over: it
 * goes to the key's owners in the new ring, so an entry nobody acknowledged is never dropped as handed over. Each
 * value is read from the store right before its batch is sent, so an entry deleted, expired or cleared (FLUSHDB)
 * while the hand-off runs is not sent at all.
 *
 * <p>One pass runs at a time, on one thread, in batches of at most {@code batchBytes} as encoded on the wire
 * ({@link TransferBatch}; an entry larger than that goes alone), paced to {@code bytesPerSecond} of encoded batches.
 * A ring change during a pass stops its sending (what is left stays owed); the next pass plans the new ring.
 * Receivers keep a handed-over entry only when they hold no version of the key at least as new, so a newer write on
 * the new owner is never replaced by an older value in transit, and a batch sent twice is harmless.
 *
 * <p>Members hear of ring changes at different moments, so a new owner by this node's ring may not be one by its
 * own. It then refuses the entry (kept there, no request would find it, and its next ring change would drop it as
 * a leftover), and the entry stays owed: offered again at the next offer, and carried over by the next ring change
 * to the key's owners in that ring, like an entry the target did not acknowledge. Nothing is dropped here that no
 * owner took (short of {@link #LONGEST_HOLD}), and the offers stop once the rings agree. While this node is
 * leaving, its batches say so, and a receiver also takes what its ring without this node gives it: with static
 * members it never hears of the leave.
 *
 * <p>An entry a new owner did not take when offered (refused, or its batch failed) is offered again only until
 * {@link #LONGEST_HOLD} after the ring change that first made it owed; then it is given up: no longer offered, and
 * dropped here unless this node stays one of its owners. A new owner may have deleted the key meanwhile, and it
 * remembers a delete against older values arriving late for {@link LocalGroup#RECENT_REMOVAL_MEMORY} only: offered
 * later, the old value would bring the deleted key back. A cache may lose a value; it must not undo a delete. An
 * entry not offered yet is still sent once, however long the pass took to reach it (a large store at the paced
 * rate): giving it up would lose much of every large hand-off, and its first arrival is no later for this rule.
 */
public final class HandoffStream implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HandoffStream.class);
    /** The wait before entries that could not be handed over are offered again. */
    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    /** The longest wait between two offers, reached while a new owner keeps failing to acknowledge. */
    static final Duration LONGEST_RETRY = Duration.ofSeconds(30);
    /**
     * How long after it was first owed an entry not taken when offered is offered again: shorter than new owners
     * remember deletes, by {@link LocalGroup#LATE_COPY_MARGIN} (a pass may also run late behind a long paced one).
     */
    static final Duration LONGEST_HOLD = LocalGroup.RECENT_REMOVAL_MEMORY.minus(LocalGroup.LATE_COPY_MARGIN);

    private final Groups groups;
    private final Membership membership;
    private final PeerClient peers;
    private final int backups;
    private final HandoffSettings settings;
    private final Duration callTimeout;
    /** The clock the group's memory of deletes reads, which the time an entry is owed is measured on. */
    private final TimeSource time;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ringcache-handoff");
        t.setDaemon(true);
        return t;
    });
    /**
     * The number of the latest ring change a pass was requested for, as {@link Membership} numbers its rings; a pass
     * stops sending as soon as it is outdated.
     */
    private final AtomicLong ringChanges;
    /**
     * The ring this node's entries were last placed by: every move a change from an earlier ring asked of this
     * node is in {@link #owed}.
     */
    private volatile HashRing settled;
    /** The ring change whose moves are all in {@link #owed}. */
    private volatile long plannedChange;
    /**
     * The ring each change since {@link #plannedChange} made, by change number, recorded as the changes' listeners
     * run: the membership remembers only its last {@value Membership#RECENT_CHANGES}, and a pass busy sending may
     * plan many changes later.
     */
    private final ConcurrentSkipListMap<Long, HashRing> unplannedRings = new ConcurrentSkipListMap<>();
    /** Per group name, the entries this node still has to hand over, by key. The worker's alone. */
    private final Map<String, Map<String, Owed>> owed = new HashMap<>();
    /** The members that lack entries this node still owes them, as the worker last counted. */
    private volatile Set<String> owedTo = Set.of();
    private volatile long entriesOwed;
    /** Delays between offers of what stays owed; the worker's alone. */
    private final Backoff retries = new Backoff(FIRST_RETRY, LONGEST_RETRY);
    /**
     * Completes once everything the ring changes so far asked of this node is acknowledged; a ring change that
     * finds it complete replaces it. Guarded by {@code this}.
     */
    private CompletableFuture<Void> handedOff = CompletableFuture.completedFuture(null);
    private long nextSendNanos = System.nanoTime();

    private final LongAdder entriesSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder entriesRefused = new LongAdder();
    private final LongAdder entriesDropped = new LongAdder();
    private final LongAdder entriesGivenUp = new LongAdder();
    private final LongAdder batchesFailed = new LongAdder();
    private final LongAdder passesCompleted = new LongAdder();

    /**
     * @param callTimeout the deadline of one batch
     * @param time the groups' clock: how long an entry has been owed is measured on it
     */
    public HandoffStream(Groups groups, Membership membership, PeerClient peers, int backups, HandoffSettings settings,
                         Duration callTimeout, TimeSource time) {
        this.groups = groups;
        this.membership = membership;
        this.peers = peers;
        this.backups = backups;
        this.settings = settings;
        this.callTimeout = callTimeout;
        this.time = time;
        Membership.NumberedRing start = membership.numberedRing();
        this.settled = start.ring();
        this.plannedChange = start.change();
        this.ringChanges = new AtomicLong(start.change());
        membership.onChange((before, after) -> {
            recordUnplannedRings();
            requestPass();
        });
    }

    /**
     * Waits until every entry the ring changes so far asked this node to hand over was acknowledged by its new
     * owners (or {@code timeout} passed). While a new owner does not acknowledge, the entries it lacks are
     * offered again and again, and this keeps waiting.
     *
     * @return whether everything was handed over in time; {@code false} after {@link #close()}
     */
    public boolean awaitHandedOff(Duration timeout) {
        CompletableFuture<Void> done;
        synchronized (this) {
            done = handedOff;
        }
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (CancellationException | ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Whether this node still has entries to hand to {@code member}: it has not yet worked out what the last ring
     * change moves, or some of what it sent {@code member} is not acknowledged yet. Cheap: read when this node
     * answers a new owner's question for a key it misses.
     */
    public boolean owesEntriesTo(String member) {
        return plannedChange != membership.numberedRing().change() || owedTo.contains(member);
    }

    public HandoffStats stats() {
        return new HandoffStats(entriesSent.sum(), bytesSent.sum(), entriesRefused.sum(), entriesDropped.sum(),
                entriesGivenUp.sum(), batchesFailed.sum(), passesCompleted.sum(), entriesOwed);
    }

    /** Stops at once; entries still owed stay here, and whoever waits for the hand-off is told it did not finish. */
    @Override
    public void close() {
        worker.shutdownNow();
        synchronized (this) {
            handedOff.cancel(false);
        }
    }

    private void requestPass() {
        long change;
        synchronized (this) {
            long latest = membership.numberedRing().change();
            if (latest <= ringChanges.getAndAccumulate(latest, Math::max)) {
                // The listeners of two changes made at once both read the later one: its pass is requested already.
                return;
            }
            change = latest;
            if (handedOff.isDone() && !handedOff.isCancelled()) {
                handedOff = new CompletableFuture<>();
            }
        }
        try {
            worker.execute(() -> runPass(change));
        } catch (RejectedExecutionException e) {
            // Closing: the node is going away with its entries.
        }
    }

    /**
     * Works out what the ring change moves (once per change), then sends what is owed; offers it again later
     * while some stays owed and the ring stays as it is.
     */
    private void runPass(long change) {
        Membership.NumberedRing now = membership.numberedRing();
        // A later change is made: its own pass, requested once the membership's listeners hear of it, plans it. Planned
        // here under this change's number, its ring would be planned again, from itself to itself, by that pass, which
        // would then drop as leftovers the entries stored in between that this node should hand over.
        if (change != ringChanges.get() || now.change() != change) {
            return;
        }
        boolean planned = plannedChange == change;
        List<HashRing> rings = planned ? List.of() : ringsSincePlanned(now);
        HashRing to = now.ring();
        try {
            for (Group group : groups.all()) {
                Map<String, Owed> groupOwed = owed.computeIfAbsent(group.name(), name -> new HashMap<>());
                if (!planned) {
                    // Planned even after a later ring change: what it owes is then carried over to that ring.
                    plan(group, groupOwed, rings, change);
                }
                giveUpHeldTooLong(group, groupOwed);
                if (change == ringChanges.get()) {
                    deliver(group, groupOwed, change, to);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        // Counted before the plan is published: until then owesEntriesTo answers yes to every member.
        long stillOwed = countOwed();
        if (!planned) {
            settled = to;
            plannedChange = change;
            unplannedRings.headMap(change, true).clear();
        }
        if (change != ringChanges.get()) {
            return;
        }
        if (stillOwed == 0) {
            retries.reset();
            passesCompleted.increment();
            finish(change);
            return;
        }
        // Never later than the first entry is to be given up: until then this node still answers for it (a new owner's
        // question after a miss), so it must not hold it past its new owner's memory of deletes either.
        long delay = Math.max(0, Math.min(retries.nextMillis(), firstGiveUpMillis() - time.nowMillis()));
        LOG.warnf("%d entries wait for their new owners %s to acknowledge them; offered again in %d ms", stillOwed,
                owedTo, delay);
        try {
            worker.schedule(() -> runPass(change), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closing: the node is going away with its entries.
        }
    }

    private synchronized void finish(long change) {
        // Not when a later change is made whose listeners have not run yet: its pass will finish instead.
        if (change == ringChanges.get() && change == membership.numberedRing().change()) {
            handedOff.complete(null);
        }
    }

    /**
     * Decides, for every entry of {@code group}, whether this node sends it and to whom (adding it to
     * {@code groupOwed}), drops it, or keeps it as it is, going from ring to ring through {@code rings} (the
     * settled one first, then the ring of each change since, oldest first). What was owed already goes to the
     * members among its new owners that have not acknowledged it, and to any new owner that was not an old one.
     */
    private void plan(Group group, Map<String, Owed> groupOwed, List<HashRing> rings, long change) {
        group.local().mainStore().forEachEntry((key, value) -> {
            for (int step = 1; step < rings.size(); step++) {
                planEntry(group, groupOwed, key, value, rings.get(step - 1), rings.get(step),
                        step == rings.size() - 1, change);
            }
        });
    }

    /** One step of {@link #plan} for one entry: from ring {@code from} to ring {@code to}. */
    private void planEntry(Group group, Map<String, Owed> groupOwed, String key, StoredValue value, HashRing from,
                           HashRing to, boolean lastStep, long change) {
        String self = membership.self();
        // An empty ring is this node alone, as routing takes it (Cluster#candidates): discovery that lists no
        // member at all (every endpoint not ready for a moment) must not make every node drop everything.
        List<String> newOwners = to.isEmpty() ? List.of(self) : to.owners(key, 1 + backups);
        List<String> oldOwners = from.isEmpty() ? List.of(self) : from.owners(key, 1 + backups);
        boolean keep = newOwners.contains(self);
        Owed carried = groupOwed.get(key);
        String sender = sender(oldOwners, to, self);
        if (carried == null && sender != null && !sender.equals(self)) {
            // Not ours, and whoever owned it sends it: a leftover here.
            dropLeftover(group, key, value, keep, lastStep, change);
            return;
        }
        Set<String> targets = null;
        for (String member : newOwners) {
            // Leaving the key's owners, this node sends it to every new owner: an old backup, the key's owner now
            // maybe, may have missed the copy of its last write here (or it is still on its way, to time out); it
            // takes the key only if newer. Once only, at the step where this node leaves: one that acknowledged it
            // then is not offered it again at a later change. Staying, this node repairs its backups itself
            // (BackupRepairs).
            boolean lacksIt = !oldOwners.contains(member) || carried != null && carried.targets.contains(member)
                    || !keep && (carried == null || carried.keep);
            if (!member.equals(self) && lacksIt) {
                if (targets == null) {
                    targets = new LinkedHashSet<>();
                }
                targets.add(member);
            }
        }
        if (targets != null) {
            // Carried over, it is owed since the change that first made it so: the new owners of that change may
            // have taken deletes of the key since then.
            groupOwed.put(key, carried != null ? new Owed(targets, keep, carried.sinceMillis, carried.notTaken)
                    : new Owed(targets, keep, time.nowMillis(), false));
            return;
        }
        if (carried != null) {
            groupOwed.remove(key);
        }
        dropLeftover(group, key, value, keep, lastStep, change);
    }

    /**
     * Drops an entry this node neither keeps nor sends, unless:
     * <ul>
     *   <li>it is a write applied here in the place of its silent owner, which has not got it yet: the hint drops it
     *       once it has; dropped after a hand-off the owner refused, it would become a delete that the hint then
     *       carried to the owner;</li>
     *   <li>this is not the step to the ring of {@code change}, or that ring is no longer the one in place: the
     *       entry may have been written while a later ring made this node its owner, and the plan of that ring, by
     *       the pass of its change, decides.</li>
     * </ul>
     * The ring is read after the entry was: a write routed by a later ring happened after that ring was in place.
     */
    private void dropLeftover(Group group, String key, StoredValue value, boolean keep, boolean lastStep,
                              long change) {
        if (keep || !lastStep || group.holdsHintFor(key) || membership.numberedRing().change() != change) {
            return;
        }
        group.local().dropHandedOver(key, value);
        entriesDropped.increment();
    }

    /**
     * Keeps the rings of the changes the membership remembers that are not planned yet. A change's listeners run right
     * after it is made, so every change is still remembered when its own listener, or a later one, runs.
     */
    private void recordUnplannedRings() {
        for (Membership.Change c : membership.recentChanges()) {
            if (c.number() > plannedChange) {
                unplannedRings.putIfAbsent(c.number(), c.ring());
            }
        }
    }

    /**
     * The rings a pass for {@code now}'s change plans through: {@link #settled}, the ring of each change since, oldest
     * first, and {@code now}'s. A change whose own pass did not plan in time (the worker was sending, and the next
     * change came first) is a step of its own: this node may have taken writes of keys that only its ring gave it,
     * which the owners before and after it lack.
     */
    private List<HashRing> ringsSincePlanned(Membership.NumberedRing now) {
        List<HashRing> rings = new ArrayList<>();
        rings.add(settled);
        Map<Long, HashRing> between = unplannedRings.subMap(plannedChange, false, now.change(), false);
        if (between.size() < now.change() - plannedChange - 1) {
            LOG.warnf("planning ring change %d from change %d without the rings of %d changes in between, no longer"
                    + " remembered", now.change(), plannedChange, now.change() - plannedChange - 1 - between.size());
        }
        rings.addAll(between.values());
        rings.add(now.ring());
        return rings;
    }

    /** The old owner that hands {@code key} over: the first still in the new ring, or this node if it is leaving. */
    private static String sender(List<String> oldOwners, HashRing to, String self) {
        for (String owner : oldOwners) {
            if (owner.equals(self) || to.contains(owner)) {
                return owner;
            }
        }
        return null;
    }

    /** Sends what {@code group} owes, target by target, until the ring changes; {@code ring}: the one it is owed by. */
    private void deliver(Group group, Map<String, Owed> groupOwed, long change, HashRing ring)
            throws InterruptedException {
        Map<String, List<String>> byTarget = new LinkedHashMap<>();
        for (Map.Entry<String, Owed> e : groupOwed.entrySet()) {
            for (String target : e.getValue().targets) {
                byTarget.computeIfAbsent(target, t -> new ArrayList<>()).add(e.getKey());
            }
        }
        for (Map.Entry<String, List<String>> target : byTarget.entrySet()) {
            if (change != ringChanges.get()) {
                return;
            }
            send(group, groupOwed, target.getKey(), target.getValue(), change, ring);
        }
    }

    /**
     * Sends {@code keys} to {@code target} in batches; stops at the first batch that fails (the target is likely
     * to fail the rest too: they stay owed for the next offer) or when the ring changes.
     */
    private void send(Group group, Map<String, Owed> groupOwed, String target, List<String> keys, long change,
                      HashRing ring) throws InterruptedException {
        LocalGroup local = group.local();
        Deque<String> waiting = new ArrayDeque<>(keys);
        while (!waiting.isEmpty() && change == ringChanges.get()) {
            TransferBatch cut = cut(group, groupOwed, waiting);
            if (cut.isEmpty()) {
                return;
            }
            pace(cut.bytes());
            // The values are read again now, after the wait: one deleted or cleared meanwhile is not sent, one written
            // again goes as it is now, or, grown past the batch's room, with the next batch.
            TransferBatch batch = new TransferBatch(group.name(), settings.batchBytes(), membership.isLeaving());
            List<Moving> taken = cut.entries();
            for (int i = 0; i < taken.size(); i++) {
                Moving m = taken.get(i);
                StoredValue now = local.mainStore().peek(m.key());
                if (now == null) {
                    groupOwed.remove(m.key());
                    continue;
                }
                if (!(now == m.value() ? batch.add(m) : batch.add(m.key(), now))) {
                    for (int j = taken.size() - 1; j >= i; j--) {
                        waiting.addFirst(taken.get(j).key());
                    }
                    break;
                }
            }
            if (!batch.isEmpty() && !sendBatch(group, groupOwed, target, batch, ring)) {
                // The target did not take these, nor the rest it is owed (likely to fail too): they count as offered.
                for (Moving m : batch.entries()) {
                    notTaken(groupOwed, m.key());
                }
                for (String key : waiting) {
                    notTaken(groupOwed, key);
                }
                return;
            }
        }
    }

    /** Takes from the head of {@code waiting} the keys the next batch has room for, as their values are now. */
    private TransferBatch cut(Group group, Map<String, Owed> groupOwed, Deque<String> waiting) {
        TransferBatch batch = new TransferBatch(group.name(), settings.batchBytes(), membership.isLeaving());
        while (!waiting.isEmpty()) {
            String key = waiting.peekFirst();
            StoredValue value = group.local().mainStore().peek(key);
            if (value == null) {
                // Deleted, expired, evicted or cleared since: there is nothing left to hand over.
                waiting.pollFirst();
                groupOwed.remove(key);
                continue;
            }
            Owed o = groupOwed.get(key);
            if (o != null && heldTooLong(o)) {
                // Its hold ran out while this pass was sending others (paced): it is not sent.
                waiting.pollFirst();
                giveUp(group, groupOwed, key, o);
                continue;
            }
            if (!batch.add(key, value)) {
                break;
            }
            waiting.pollFirst();
        }
        return batch;
    }

    /**
     * Sends one batch; says whether {@code target} answered it. The entries it refused (its ring gives their keys
     * to other members) stay owed, to go where this node's ring puts them at the next offer or ring change.
     */
    private boolean sendBatch(Group group, Map<String, Owed> groupOwed, String target, TransferBatch batch,
                              HashRing ring) throws InterruptedException {
        List<Moving> entries = batch.entries();
        PeerRequest request = PeerRequest.newBuilder().setFrom(membership.self())
                .setTransfer(batch.transfer()).build();
        BitSet refused;
        try {
            PeerResponse response = peers.call(target, request, callTimeout)
                    .get(callTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            if (response.hasError()) {
                throw new IllegalStateException(response.getError().getMessage());
            }
            refused = refusedOf(response, entries.size());
        } catch (ExecutionException | TimeoutException
                 | IllegalStateException e) {
            batchesFailed.increment();
            LOG.warnf("hand-off of %d entries of group '%s' to %s failed, they stay here and are offered again: %s",
                    entries.size(), group.name(), target, e instanceof ExecutionException ? e.getCause() : e);
            return false;
        }
        int refusedCount = refused.cardinality();
        entriesSent.add(entries.size() - refusedCount);
        entriesRefused.add(refusedCount);
        bytesSent.add(batch.bytes());
        for (int i = 0; i < entries.size(); i++) {
            if (refused.get(i)) {
                notTaken(groupOwed, entries.get(i).key());
            } else {
                acknowledged(group, groupOwed, target, entries.get(i), ring);
            }
        }
        if (refusedCount > 0) {
            LOG.infof("%s refused %d of %d entries of group '%s': its ring gives their keys to other members (rings"
                    + " differ while members change); they stay here and go where the ring puts them", target,
                    refusedCount, entries.size(), group.name());
        }
        return true;
    }

    /** The positions of the entries a transfer's answer refused. */
    private static BitSet refusedOf(PeerResponse response, int entries) {
        BitSet refused = new BitSet(entries);
        for (int position : response.getAck().getRefusedList()) {
            if (position < 0 || position >= entries) {
                throw new IllegalStateException("the answer refuses entry " + Integer.toUnsignedString(position)
                        + " of a batch of " + entries);
            }
            refused.set(position);
        }
        return refused;
    }

    /**
     * {@code target} has {@code m}: once every target has it, it is no longer owed, and dropped if not kept. A value
     * written again since is owed to the key's owners in {@code ring}, the one this pass sends by (not yet
     * {@link #settled} in the first pass of a change, which would name the owners the key is leaving).
     */
    private void acknowledged(Group group, Map<String, Owed> groupOwed, String target, Moving m, HashRing ring) {
        Owed o = groupOwed.get(m.key());
        if (o == null) {
            return;
        }
        o.targets.remove(target);
        if (!o.targets.isEmpty()) {
            return;
        }
        groupOwed.remove(m.key());
        if (o.keep || group.holdsHintFor(m.key())) {
            return;
        }
        LocalGroup local = group.local();
        local.dropHandedOver(m.key(), m.value());
        if (local.mainStore().peek(m.key()) == null) {
            entriesDropped.increment();
            return;
        }
        // Written again since it was sent: the newer value is owed to every owner.
        Set<String> owners = new LinkedHashSet<>(ring.isEmpty() ? List.of() : ring.owners(m.key(), 1 + backups));
        owners.remove(membership.self());
        if (!owners.isEmpty()) {
            groupOwed.put(m.key(), new Owed(owners, false, time.nowMillis(), false));
        }
    }

    /** Gives up every entry of {@code group} owed for longer than {@link #LONGEST_HOLD}. */
    private void giveUpHeldTooLong(Group group, Map<String, Owed> groupOwed) {
        List<String> expired = new ArrayList<>();
        groupOwed.forEach((key, o) -> {
            if (heldTooLong(o)) {
                expired.add(key);
            }
        });
        for (String key : expired) {
            giveUp(group, groupOwed, key, groupOwed.get(key));
        }
        if (!expired.isEmpty()) {
            LOG.warnf("gave up %d entries of group '%s' that their new owners did not take within %d s of the ring"
                    + " change: offered later, a key deleted on its new owner meanwhile could come back there",
                    expired.size(), group.name(), LONGEST_HOLD.toSeconds());
        }
    }

    /** Whether {@code o} was offered and not taken, and first owed {@link #LONGEST_HOLD} ago or more. */
    private boolean heldTooLong(Owed o) {
        return o.notTaken && time.nowMillis() - o.sinceMillis >= LONGEST_HOLD.toMillis();
    }

    /** A target was offered {@code key} and did not take it: from now on it is given up once held too long. */
    private static void notTaken(Map<String, Owed> groupOwed, String key) {
        Owed o = groupOwed.get(key);
        if (o != null) {
            o.notTaken = true;
        }
    }

    /**
     * No longer offers {@code key}, and drops it here unless this node stays one of its owners, or it is a write
     * applied here in its silent owner's place whose hint is not settled yet (the hint drops it then).
     */
    private void giveUp(Group group, Map<String, Owed> groupOwed, String key, Owed o) {
        groupOwed.remove(key);
        entriesGivenUp.increment();
        if (o.keep || group.holdsHintFor(key)) {
            return;
        }
        LocalGroup local = group.local();
        StoredValue held = local.mainStore().peek(key);
        if (held != null) {
            local.dropHandedOver(key, held);
        }
    }

    /** When the first entry still owed is to be given up, on {@link #time}. */
    private long firstGiveUpMillis() {
        long first = Long.MAX_VALUE;
        for (Map<String, Owed> groupOwed : owed.values()) {
            for (Owed o : groupOwed.values()) {
                if (o.notTaken) {
                    first = Math.min(first, o.sinceMillis + LONGEST_HOLD.toMillis());
                }
            }
        }
        return first;
    }

    /** Counts what is owed, and to whom, for {@link #owesEntriesTo} and {@link #stats}. */
    private long countOwed() {
        long total = 0;
        Set<String> targets = new TreeSet<>();
        for (Map<String, Owed> groupOwed : owed.values()) {
            total += groupOwed.size();
            for (Owed o : groupOwed.values()) {
                targets.addAll(o.targets);
            }
        }
        owedTo = Collections.unmodifiableSet(targets);
        entriesOwed = total;
        return total;
    }

    /** Sleeps as long as sending {@code bytes} now would exceed the rate limit. */
    private void pace(long bytes) throws InterruptedException {
        long now = System.nanoTime();
        if (nextSendNanos > now) {
            TimeUnit.NANOSECONDS.sleep(nextSendNanos - now);
        }
        nextSendNanos = Math.max(nextSendNanos, now) + bytes * 1_000_000_000L / settings.bytesPerSecond();
    }

    /** An entry this node still has to hand over. */
    private static final class Owed {
        /** The members that lack it and have not acknowledged it. */
        final Set<String> targets;
        /** Whether this node stays one of the key's owners, and so keeps its copy once the targets have theirs. */
        final boolean keep;
        /** When it was first owed, on {@link #time}: once not taken, it is given up {@link #LONGEST_HOLD} later. */
        final long sinceMillis;
        /** Whether a target was offered it and did not take it: refused it, or failed (or would fail) its batch. */
        boolean notTaken;

        Owed(Set<String> targets, boolean keep, long sinceMillis, boolean notTaken) {
            this.targets = targets;
            this.keep = keep;
            this.sinceMillis = sinceMillis;
            this.notTaken = notTaken;
        }
    }

}
