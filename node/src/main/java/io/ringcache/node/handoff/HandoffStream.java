package io.ringcache.node.handoff;

import com.google.protobuf.ByteString;
import io.ringcache.node.group.Group;
import io.ringcache.node.group.Groups;
import io.ringcache.node.group.LocalGroup;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.proto.Entry;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.peer.proto.Transfer;
import io.ringcache.node.ring.HashRing;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.StoredValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
 * lack it. Exactly one old holder sends it to them: the first of its old owners still present (or this node,
 * when it is the one leaving). An entry this node no longer owns is dropped once every member that needed it
 * acknowledged it, and only if it was not written again meanwhile (a later pass moves the newer value).
 * Entries this node held without owning them (left over from earlier rings) are dropped, except a write this
 * node applied in the place of an owner that did not answer and has not delivered yet ({@link Group#holdsHintFor}):
 * it is the only copy of that write, and its delivery drops it.
 *
 * <p>One pass runs at a time, on one thread, in batches of at most {@code batchBytes}, paced to
 * {@code bytesPerSecond}. A ring change during a pass stops it; the next pass starts from the new ring.
 * Receivers keep a handed-over entry only when they hold no version of the key at least as new, so a newer write
 * on the new owner is never replaced by an older value in transit.
 */
public final class HandoffStream implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HandoffStream.class);
    /** Passes per ring change: a second and third move what was written again during the first. */
    private static final int MAX_ROUNDS = 3;

    private final Groups groups;
    private final Membership membership;
    private final PeerClient peers;
    private final int backups;
    private final HandoffSettings settings;
    private final Duration callTimeout;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ringcache-handoff");
        t.setDaemon(true);
        return t;
    });
    /** Bumped by every ring change; a pass stops as soon as it is outdated. */
    private final AtomicLong ringChanges = new AtomicLong();
    /** The ring this node's entries were last placed by. */
    private volatile HashRing settled;
    private long nextSendNanos = System.nanoTime();

    private final LongAdder entriesSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder entriesDropped = new LongAdder();
    private final LongAdder batchesFailed = new LongAdder();
    private final LongAdder passesCompleted = new LongAdder();

    /**
     * @param callTimeout the deadline of one batch
     */
    public HandoffStream(Groups groups, Membership membership, PeerClient peers, int backups, HandoffSettings settings,
                         Duration callTimeout) {
        this.groups = groups;
        this.membership = membership;
        this.peers = peers;
        this.backups = backups;
        this.settings = settings;
        this.callTimeout = callTimeout;
        this.settled = membership.ring();
        membership.onChange((before, after) -> requestPass());
    }

    /**
     * Waits until the passes requested so far have finished (or {@code timeout} passed).
     *
     * @return whether they finished in time
     */
    public boolean awaitIdle(Duration timeout) {
        CompletableFuture<Void> marker = new CompletableFuture<>();
        try {
            worker.execute(() -> marker.complete(null));
            marker.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException | ExecutionException
                 | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public HandoffStats stats() {
        return new HandoffStats(entriesSent.sum(), bytesSent.sum(), entriesDropped.sum(), batchesFailed.sum(),
                passesCompleted.sum());
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    private void requestPass() {
        long change = ringChanges.incrementAndGet();
        try {
            worker.execute(() -> runPass(change));
        } catch (RejectedExecutionException e) {
            // Closing: the node is going away with its entries.
        }
    }

    private void runPass(long change) {
        if (change != ringChanges.get()) {
            return;
        }
        HashRing from = settled;
        HashRing to = membership.ring();
        try {
            for (int round = 0; round < MAX_ROUNDS; round++) {
                boolean allMoved = true;
                for (Group group : groups.all()) {
                    allMoved &= moveGroup(group, from, to, change);
                }
                if (allMoved || change != ringChanges.get()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (change == ringChanges.get()) {
            settled = to;
            passesCompleted.increment();
        }
    }

    /** One round over one group; says whether nothing is left to move (all sent and dropped). */
    private boolean moveGroup(Group group, HashRing from, HashRing to, long change) throws InterruptedException {
        LocalGroup local = group.local();
        String self = membership.self();
        Map<String, List<Moving>> byTarget = new HashMap<>();
        List<Moving> moving = new ArrayList<>();
        local.mainStore().forEachEntry((key, value) -> {
            List<String> newOwners = to.isEmpty() ? List.of() : to.owners(key, 1 + backups);
            List<String> oldOwners = from.isEmpty() ? List.of(self) : from.owners(key, 1 + backups);
            boolean keep = newOwners.contains(self);
            if (!self.equals(sender(oldOwners, to, self))) {
                // Not ours, and whoever owned it sends it: a leftover here, unless it is a write applied here in
                // the place of its silent owner, which has not got it yet (the hint drops it once it has).
                if (!keep && !group.holdsHintFor(key)) {
                    local.dropHandedOver(key, value);
                    entriesDropped.increment();
                }
                return;
            }
            Moving m = new Moving(key, value);
            for (String target : newOwners) {
                if (!target.equals(self) && !oldOwners.contains(target)) {
                    byTarget.computeIfAbsent(target, t -> new ArrayList<>()).add(m);
                    m.pendingTargets++;
                }
            }
            // A write applied here in its silent owner's place stays until its hint is settled (delivered or
            // refused), whatever this pass sends: dropped after a hand-off the owner refused, it became a delete
            // that the hint then carried to the owner.
            if (!keep && !group.holdsHintFor(key)) {
                moving.add(m);
            }
        });
        for (Map.Entry<String, List<Moving>> target : byTarget.entrySet()) {
            if (change != ringChanges.get()) {
                return false;
            }
            send(group.name(), target.getKey(), target.getValue());
        }
        boolean allMoved = true;
        for (Moving m : moving) {
            if (m.pendingTargets == 0) {
                local.dropHandedOver(m.key, m.value);
                entriesDropped.increment();
                allMoved &= local.mainStore().peek(m.key) == null;
            } else {
                allMoved = false;
            }
        }
        return allMoved;
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

    private void send(String group, String target, List<Moving> entries) throws InterruptedException {
        List<Moving> batch = new ArrayList<>();
        Transfer.Builder transfer = Transfer.newBuilder();
        long batchBytes = 0;
        for (Moving m : entries) {
            long charge = EntryCharge.BYTES.charge(m.key, m.value.value());
            if (!batch.isEmpty() && batchBytes + charge > settings.batchBytes()) {
                sendBatch(target, transfer, batch, batchBytes);
                batch = new ArrayList<>();
                transfer = Transfer.newBuilder();
                batchBytes = 0;
            }
            batch.add(m);
            batchBytes += charge;
            transfer.addEntries(Entry.newBuilder().setGroup(group).setKey(m.key)
                    .setValue(ByteString.copyFrom(m.value.value()))
                    .setExpiresAtMillis(m.value.expiresAtMillis() == StoredValue.NEVER ? 0 : m.value.expiresAtMillis())
                    .setVersion(m.value.version()));
        }
        if (!batch.isEmpty()) {
            sendBatch(target, transfer, batch, batchBytes);
        }
    }

    private void sendBatch(String target, Transfer.Builder transfer, List<Moving> batch, long bytes)
            throws InterruptedException {
        pace(bytes);
        PeerRequest request = PeerRequest.newBuilder().setFrom(membership.self())
                .setTransfer(transfer).build();
        try {
            PeerResponse response = peers.call(target, request, callTimeout)
                    .get(callTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            if (response.hasError()) {
                throw new IllegalStateException(response.getError().getMessage());
            }
            for (Moving m : batch) {
                m.pendingTargets--;
            }
            entriesSent.add(batch.size());
            bytesSent.add(bytes);
        } catch (ExecutionException | TimeoutException
                 | IllegalStateException e) {
            batchesFailed.increment();
            LOG.warnf("hand-off of %d entries to %s failed, they stay here for the next pass: %s", batch.size(),
                    target, e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    /** Sleeps as long as sending {@code bytes} now would exceed the rate limit. */
    private void pace(long bytes) throws InterruptedException {
        long now = System.nanoTime();
        if (nextSendNanos > now) {
            TimeUnit.NANOSECONDS.sleep(nextSendNanos - now);
        }
        nextSendNanos = Math.max(nextSendNanos, now) + bytes * 1_000_000_000L / settings.bytesPerSecond();
    }

    /** An entry being handed over, and how many of its new owners have not acknowledged it yet. */
    private static final class Moving {
        final String key;
        final StoredValue value;
        int pendingTargets;

        Moving(String key, StoredValue value) {
            this.key = key;
            this.value = value;
        }
    }
}
