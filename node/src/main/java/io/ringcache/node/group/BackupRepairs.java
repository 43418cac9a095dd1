package io.ringcache.node.group;

import io.ringcache.node.ring.HashRing;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.store.StoredValue;
import java.time.Duration;
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
 * On a key's owner (or a stand-in applying a write in its silent owner's place): the backups that did not take a copy
 * of a write (no answer in time, no connection), so that they get it later. Until then such a backup holds an older
 * value of the key, or none, which it would serve were this owner to fail. Each {@linkplain #deliver round} sends, for the keys waiting, what this node holds now (or, when it
 * holds nothing, a delete with the missed write's version) to those that missed it and are still the key's backups.
 * A backup stores a copy only if it is newer than what it holds, so a copy sent again, or overtaken by the key's next
 * write, changes nothing. A backup that refused a copy (it does not fit there) is not sent it again.
 *
 * <p>A ring change does not end the wait for a member that stays one of the key's owners, in any role: when this node
 * leaves the key's owners, the hand-off sends the key to every new owner anyway, and the rounds go on sending it (or
 * the missed delete) while this node holds it. Not for ever, once this node no longer owns the key: the member that
 * owns it now takes the copy as newer than what it holds, and remembers its own deletes only for
 * {@link LocalGroup#RECENT_REMOVAL_MEMORY}, so a copy sent later could bring back a key it deleted. So a non-owner
 * sends only for {@link #NON_OWNER_HOLD} after the ring change that took the key from it (or after the miss, if later:
 * a stand-in never owned the key), as the hand-off holds what it owes, and then gives the key up.
 *
 * <p>Bounded and fair like the hints ({@link StandInHints}): at most {@value #MAX_KEYS} keys wait, and a copy missed
 * beyond that is counted as dropped; keys are tried in turn, and a backup that did not answer gets one key per round
 * as a probe until it does, so that a dead member's calls neither fill every round nor hold up the other backups.
 */
final class BackupRepairs {

    static final int MAX_KEYS = 100_000;
    /** Keys sent per round. */
    static final int BATCH = 1_000;
    /** Waiting keys looked at per round, sent or passed over: bounds a round's work on its event loop. */
    static final int EXAMINED_PER_ROUND = 10 * BATCH;
    /**
     * How long after the ring change that took the key from this node (or after the miss, if later) it still sends it.
     */
    static final Duration NON_OWNER_HOLD = LocalGroup.RECENT_REMOVAL_MEMORY.minus(LocalGroup.LATE_COPY_MARGIN);

    private final LocalGroup local;
    private final Cluster cluster;
    /** Per key, the version of the newest write some backup missed, and the backups that missed a write of it. */
    private final Map<String, Missed> waiting = new ConcurrentHashMap<>();
    /** The waiting keys in the order to try them; a key still waiting after its try goes to the back. */
    private final Queue<String> turns = new ConcurrentLinkedQueue<>();
    /** The keys in {@link #turns}, each once. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** Backups whose last call went unanswered: each gets one probe per round. */
    private final Set<String> silentBackups = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean delivering = new AtomicBoolean();
    private final LongAdder repaired = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    BackupRepairs(LocalGroup local, Cluster cluster) {
        this.local = local;
        this.cluster = cluster;
    }

    /**
     * {@code backup} did not take the copy of the write of {@code key} versioned {@code version}, a delete if
     * {@code delete}.
     */
    void missed(String key, long version, boolean delete, String backup) {
        if (waiting.size() >= MAX_KEYS && !waiting.containsKey(key)) {
            dropped.increment();
            return;
        }
        waiting.merge(key, new Missed(version, delete, Set.of(backup), cluster.membership().nanoTime(), null),
                Missed::merge);
        // Queued after the merge: a round taking the key finds the backup it adds.
        queue(key);
    }

    /**
     * One round: sends up to {@value #BATCH} waiting keys to the backups that missed them. Does nothing while the
     * previous round still waits for answers, or while the ring is empty.
     *
     * @return completes when every answer of this round is in
     */
    CompletableFuture<Void> deliver() {
        HashRing ring = cluster.ring();
        if (waiting.isEmpty() || ring.isEmpty() || !delivering.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        // Keys to try again in a later round: queued after this one, so that no key is taken twice in a round.
        Set<String> later = new HashSet<>();
        String key = null;
        try {
            silentBackups.retainAll(ring.members());
            Set<String> probed = new HashSet<>();
            Set<String> taken = new HashSet<>();
            for (int examined = 0; examined < EXAMINED_PER_ROUND && sent.size() < BATCH
                    && (key = turns.poll()) != null; examined++) {
                queued.remove(key);
                Missed missed = waiting.get(key);
                if (missed == null) {
                    continue;
                }
                if (!taken.add(key)) {
                    later.add(key);
                    continue;
                }
                List<String> owners = ring.owners(key, 1 + cluster.backups());
                boolean owner = owners.get(0).equals(cluster.self());
                if (owner == (missed.notOwnerSince != null)) {
                    missed = ownership(key, owner ? null : changeThatTookTheKey(key));
                    if (missed == null) {
                        continue;
                    }
                }
                StoredValue held = local.mainStore().peek(key);
                boolean holdsIt = held != null ? held.version() >= missed.version : missed.delete;
                boolean sendsAsNonOwner = !owner && holdsIt && heldFor(missed) < NON_OWNER_HOLD.toNanos();
                for (String backup : missed.backups) {
                    if (!owners.contains(backup) || !owner && !sendsAsNonOwner) {
                        // No longer an owner of the key; or this node, no longer its owner, has nothing newer to send,
                        // or has held it too long to send it safely.
                        settle(key, backup, Long.MAX_VALUE);
                    } else if (!silentBackups.contains(backup) || probed.add(backup)) {
                        sent.add(send(key, missed.version, backup));
                    } else {
                        later.add(key);
                    }
                }
            }
            key = null;
        } catch (RuntimeException e) {
            // The key in hand keeps its turn, and the next round must be able to start.
            if (key != null) {
                later.add(key);
            }
            later.forEach(this::queue);
            delivering.set(false);
            throw e;
        }
        later.forEach(this::queue);
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                .whenComplete((done, error) -> delivering.set(false));
    }

    private CompletableFuture<Void> send(String key, long missedVersion, String backup) {
        // What this node holds now is its latest write; holding nothing, the backup should not keep an older value.
        StoredValue held = local.mainStore().peek(key);
        boolean holdsIt = held != null && held.version() >= missedVersion;
        KeyWrite write = holdsIt ? new KeyWrite.Put(held.value(), held.expiresAtMillis()) : new KeyWrite.Delete();
        long version = holdsIt ? held.version() : missedVersion;
        return cluster.peers().call(backup, write.toCopyRequest(cluster.self(), local.name(), key, version,
                        PeerCalls.Copy.BACKUP), cluster.callTimeout())
                .handle((response, error) -> {
                    if (error != null && PeerCalls.isUnreachable(error)) {
                        silentBackups.add(backup);
                        queue(key);
                        return null;
                    }
                    silentBackups.remove(backup);
                    if (error != null || response.hasError()) {
                        dropped.increment();
                    } else {
                        repaired.increment();
                    }
                    settle(key, backup, version);
                    return null;
                });
    }

    /**
     * {@code backup} needs no write of {@code key} up to {@code version} any more. What is still missed (a later write,
     * or by another backup) gets a turn.
     */
    private void settle(String key, String backup, long version) {
        Missed left = waiting.computeIfPresent(key, (k, now) -> {
            if (now.version > version) {
                return now; // a later write was missed since the copy sent was read: sent at the next turn
            }
            Missed without = now.without(backup);
            return without.backups.isEmpty() ? null : without;
        });
        if (left != null) {
            queue(key);
        }
    }

    /**
     * Notes that this node owns {@code key} ({@code since} null) or has not owned it since the change {@code since};
     * returns the record.
     */
    private Missed ownership(String key, Membership.Change since) {
        return waiting.computeIfPresent(key, (k, now) -> new Missed(now.version, now.delete, now.backups,
                now.missedAtNanos, since));
    }

    /**
     * How long a non-owner has held what a backup missed: since the change that took the key from it, or since the
     * miss, whichever came later (a stand-in never owned the key).
     */
    private long heldFor(Missed missed) {
        Membership membership = cluster.membership();
        return Math.min(membership.nanosSince(missed.notOwnerSince), membership.nanoTime() - missed.missedAtNanos);
    }

    /**
     * The oldest of the changes the membership remembers since which this node has not owned {@code key}: the hold
     * counts from it, not from when a round came to the key.
     */
    private Membership.Change changeThatTookTheKey(String key) {
        List<Membership.Change> recent = cluster.membership().recentChanges();
        Membership.Change since = recent.get(0);
        for (Membership.Change c : recent) {
            if (!c.ring().isEmpty() && c.ring().owner(key).equals(cluster.self())) {
                break;
            }
            since = c;
        }
        return since;
    }

    /** Gives {@code key} a turn, unless it has one already. */
    private void queue(String key) {
        if (queued.add(key)) {
            turns.add(key);
        }
    }

    /** Keys some backup has still to get a copy of. */
    long pending() {
        return waiting.size();
    }

    /** Copies sent again that a backup took. */
    long repaired() {
        return repaired.sum();
    }

    /** Copies given up: over the bound, or refused by the backup. */
    long dropped() {
        return dropped.sum();
    }

    /**
     * The newest version some backup missed and whether that write was a delete, the backups that missed a write of
     * the key, when the newest miss happened (on the membership's clock), and the change since which this node has
     * not owned the key ({@code null} while it does).
     */
    private record Missed(long version, boolean delete, Set<String> backups, long missedAtNanos,
                          Membership.Change notOwnerSince) {

        Missed merge(Missed later) {
            Set<String> all = new HashSet<>(backups);
            all.addAll(later.backups);
            boolean newer = later.version >= version;
            return new Missed(newer ? later.version : version, newer ? later.delete : delete, Set.copyOf(all),
                    Math.max(missedAtNanos, later.missedAtNanos), notOwnerSince);
        }

        Missed without(String backup) {
            Set<String> left = new HashSet<>(backups);
            left.remove(backup);
            return new Missed(version, delete, Set.copyOf(left), missedAtNanos, notOwnerSince);
        }
    }
}
