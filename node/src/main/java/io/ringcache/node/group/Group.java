package io.ringcache.node.group;

import io.ringcache.node.hot.HotKeySettings;
import io.ringcache.node.hot.HotTier;
import io.ringcache.node.peer.Deadline;
import io.ringcache.node.peer.PeerUnavailableException;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.peer.proto.Value;
import io.ringcache.node.ring.HashRing;
import io.ringcache.node.store.StoredValue;
import io.ringcache.node.store.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A named group as the front ends (HTTP, RESP) see it, routed across the cluster: look in the hot tier,
 * else ask the key's owner, which looks in memory, else loads once for the whole cluster. Every method may
 * be served by another node, so every result is a future. Arguments are checked before anything happens: a
 * key or value that breaks the limits throws at once and changes nothing anywhere.
 *
 * <p>Routing. A key's owner is the first member of the ring at or after its hash. A request for a key this
 * node does not own is forwarded once; the receiver serves it itself and never forwards again, so nodes that
 * disagree about the ring cannot pass a request around. A read whose owner cannot be reached (refused, broken,
 * deadline passed) goes to the key's next member on the ring (where its first backup lives). When no member
 * can be reached, a read-through group loads on this node as a last resort, without keeping the value; a plain
 * group fails with {@link PeerUnavailableException}.
 *
 * <p>Writes go to the owner, which applies them, copies them to its backups and invalidates every hot copy
 * it handed out, and only then acknowledges. A backup or copy holder that cannot be reached is counted, not
 * waited for: the write is acknowledged by the members that can be reached. A write or delete whose owner
 * certainly did not apply it (refused the connection, could not be sent it, answered that it is leaving) is
 * applied by the next member in its place, which hands it to the owner once it answers again
 * ({@link StandInHints}); versions ({@link WriteStamps}) keep a newer write from being undone by it.
 *
 * <p>A write sent to a member that then did not answer (deadline passed, connection broken) is never sent to
 * another: the member may have applied it, or may apply it still when it resumes, so a second copy applied
 * elsewhere could land before it and be undone by it, undoing a later acknowledged write with an older one. It
 * fails with {@link WriteOutcomeUnknownException}. A read-modify-write ({@link #mutate}) goes only to members
 * holding the key's value, the owner and its backups: applied anywhere else, it would act on a value that is not
 * there (an INCR would start from 0), and its hint would then replace the owner's value.
 */
public final class Group {

    /** The keys this node is authoritative for, its loader and its counters. */
    private final LocalGroup local;
    private final Cluster cluster;
    /** This node as the owner of the keys the ring gives it. */
    private final GroupOwner owner;
    private final boolean hotKeysEnabled;
    /** Copies of other owners' hot keys, popular enough to mirror here. */
    private final HotTier hotTier;
    private final Duration getTimeout;
    private final Duration writeTimeout;

    private final LongAdder forwarded = new LongAdder();
    private final LongAdder ownersUnreachable = new LongAdder();
    private final LongAdder lastResortLoads = new LongAdder();
    private final LongAdder writesOutcomeUnknown = new LongAdder();

    /**
     * @param maxHotKeysTracked the most keys whose copy holders the owner remembers
     */
    public Group(LocalGroup local, Cluster cluster, HotKeySettings hotKeys, TimeSource time, long maxHotKeysTracked) {
        this.local = Objects.requireNonNull(local, "local");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.hotKeysEnabled = hotKeys.enabled();
        this.hotTier = new HotTier((long) (local.settings().maxBytes() * hotKeys.budgetFraction()), hotKeys.ttl(), time);
        this.owner = new GroupOwner(local, cluster, hotKeys, maxHotKeysTracked, hotTier::invalidate);
        // A read-through group's owner may be loading: it answers a load timeout itself before the caller gives up
        // on it. A plain group's owner answers from memory, so one call timeout tells a silent owner.
        this.getTimeout = local.hasLoader() ? cluster.callTimeout().plus(local.settings().loadTimeout())
                : cluster.callTimeout();
        // The owner waits up to one call timeout for its backups and copy holders before it acknowledges.
        this.writeTimeout = cluster.callTimeout().multipliedBy(2);
        cluster.membership().onChange((before, after) -> hotTier.clear());
    }

    public String name() {
        return local.name();
    }

    public GroupSettings settings() {
        return local.settings();
    }

    /**
     * The value of {@code key}, loaded once in the whole cluster on a miss.
     *
     * @throws InvalidKeyException at once, for a key that breaks the limits
     * @return completes with the value or empty for "not found", or exceptionally with
     *     {@link LoadFailedException}, {@link LoadTimeoutException}, or {@link PeerUnavailableException} when
     *     no member holding a plain group's key can be reached
     */
    public CompletableFuture<Optional<byte[]>> get(String key) {
        return read(key, held -> Optional.of(held.value()), Optional.empty());
    }

    /** As {@link #get}, with the value's expiry. */
    public CompletableFuture<Optional<StoredValue>> getEntry(String key) {
        return read(key, Optional::of, Optional.empty());
    }

    /**
     * As {@link #getEntry}, the answer given as {@code found} of the value or {@code notFound}. A key this node
     * owns and holds, the common case, is answered by a future completed at once, with nothing else allocated
     * on the way (the RESP server's GET runs at a million requests a second).
     */
    public <R> CompletableFuture<R> read(String key, Function<StoredValue, R> found, R notFound) {
        local.checkKey(key);
        HashRing ring = cluster.ring();
        // The owner's own reads take the allocation-free ring lookup; the candidate list is built only for a
        // forward.
        if (ring.isEmpty() || ring.owner(key).equals(cluster.self())) {
            if (owner.isQueued(key)) {
                // Behind a request still taking the key from its previous owner, or a clear: read what they leave.
                return answer(owner.read(key), found, notFound);
            }
            StoredValue held = local.getHeld(key);
            if (held != null) {
                return owner.mayBeOlder(key, held) ? answer(owner.readRegained(key), found, notFound)
                        : CompletableFuture.completedFuture(found.apply(held));
            }
            return answer(owner.readAfterMiss(key), found, notFound);
        }
        StoredValue copy = hotTier.get(key);
        if (copy != null) {
            return CompletableFuture.completedFuture(found.apply(copy));
        }
        // The epoch, read while the ring is still the one routed by, refuses a copy of the answer if a ring change
        // comes after this read; a change that came before it (it cleared this node's copies, and the member this
        // ring names may own the key no more, so no write would invalidate the copy) sends the read round again.
        long epoch = hotTier.epochOf(key);
        if (cluster.ring() != ring) {
            return read(key, found, notFound);
        }
        return answer(getFrom(cluster.candidates(ring, key), 0, key, epoch, null), found, notFound);
    }

    private static <R> CompletableFuture<R> answer(CompletableFuture<Optional<StoredValue>> entry,
                                                   Function<StoredValue, R> found, R notFound) {
        return entry.thenApply(held -> held.isPresent() ? found.apply(held.get()) : notFound);
    }

    /**
     * Looks {@code key} up in this node's store without counting a read or changing anything, so that a batch of
     * requests about to run finds its keys in the CPU's caches (see the RESP server's {@code KeyPrefetcher}).
     *
     * @return the value held, expired or not, or {@code null}; the caller reads what it wants cached
     */
    public StoredValue prefetch(String key) {
        return local.mainStore().peekIncludingExpired(key);
    }

    /**
     * Stores {@code value} under {@code key}; the future completes once the owner acknowledged it.
     *
     * @param ttl the value's time to live; empty means the group's default TTL (if any)
     * @throws InvalidKeyException for a key that breaks the limits
     * @throws ValueTooLargeException for a value over the value limit
     * @throws IllegalArgumentException for a TTL that is not positive
     * @return completes when acknowledged (a shared {@link Completed} future when acknowledged at once);
     *     exceptionally with {@link ValueTooLargeException} when the entry does not fit the group's budget,
     *     {@link PeerUnavailableException} when no owner can be reached, or {@link WriteOutcomeUnknownException}
     *     when the member it was sent to did not answer (it may or may not have applied it)
     */
    public CompletableFuture<Void> put(String key, byte[] value, Optional<Duration> ttl) {
        local.checkPut(key, value, ttl);
        long expiresAt = local.expiresAtFor(ttl);
        CompletableFuture<Boolean> written = write(key, new KeyWrite.Put(value, expiresAt));
        return Completed.normally(written) ? Completed.VOID : written.thenApply(removed -> null);
    }

    /**
     * Removes {@code key}; the future completes once the owner acknowledged it.
     *
     * @throws InvalidKeyException for a key that breaks the limits
     * @return completes with whether a value was removed, or exceptionally as {@link #put} does
     */
    public CompletableFuture<Boolean> delete(String key) {
        local.checkKey(key);
        return write(key, new KeyWrite.Delete());
    }

    /**
     * Applies {@code mutation} to {@code key} atomically on the key's owner: no write, delete or other mutation
     * of the key interleaves with it, wherever it was sent from. It acts on the value held in memory and never
     * calls the loader. The owner copies the resulting value (or its absence) to its backups and invalidates
     * hot copies before it answers. What it returns is documented on each {@link Mutation} record.
     *
     * @throws InvalidKeyException at once, for a key that breaks the limits
     * @throws ValueTooLargeException at once, for a value or suffix over the value limit
     * @return completes with the result, or exceptionally with {@link MutationRefusedException} (the value
     *     held is not an integer, the sum would overflow), {@link ValueTooLargeException} (the result passes
     *     the value limit or does not fit the group's budget), {@link PeerUnavailableException} (neither the
     *     owner nor a backup of the key could be reached: no other member holds its value) or
     *     {@link WriteOutcomeUnknownException} (the member it was sent to did not answer: it may or may not have
     *     applied it); a refused mutation changes nothing
     */
    public CompletableFuture<MutationResult> mutate(String key, Mutation mutation) {
        local.checkMutation(key, mutation);
        dropHotCopyBeforeWrite(key);
        return mutateOn(cluster.copyHolders(cluster.ring(), key), 0, key, mutation, null);
    }

    /**
     * The number of entries of the group in the whole cluster (DBSIZE): the sum of what every member owns,
     * including expired entries not yet swept.
     *
     * @return completes with the count, or exceptionally with {@link PeerUnavailableException} naming a member
     *     that did not answer
     */
    public CompletableFuture<Long> size() {
        List<CompletableFuture<Long>> counts = new ArrayList<>();
        for (String member : membersOrSelf()) {
            if (member.equals(cluster.self())) {
                counts.add(CompletableFuture.completedFuture(owner.ownedEntries()));
            } else {
                counts.add(cluster.peers().call(member, PeerCalls.count(cluster.self(), name()), cluster.callTimeout())
                        .thenApply(response -> {
                            if (!response.hasCounted()) {
                                throw unexpected(member, response);
                            }
                            return response.getCounted().getEntries();
                        }));
            }
        }
        return CompletableFuture.allOf(counts.toArray(CompletableFuture[]::new))
                .thenApply(done -> counts.stream().mapToLong(CompletableFuture::join).sum());
    }

    /**
     * Removes every entry of the group, and every hot copy of its keys, on every member (FLUSHDB, FLUSHALL).
     * Writes that race with it may survive it, each whole; loads in flight when it starts do not cache their
     * result. The clear carries one version to every member, which from then on refuses copies and hand-overs of
     * older writes ({@link LocalGroup#clear(long)}): entries still moving after a ring change do not come back.
     * Each member clears at one point of the order its requests of the group take effect in: after the requests
     * it holds back when the clear arrives (those behind one still taking its key from the key's previous owner),
     * before every request that arrives after the clear ({@link GroupOwner#clearInTurn}). So a pipeline's
     * {@code INCR k; FLUSHDB; GET k} answers the increment, then OK, then nil, through any node.
     *
     * @return completes once every member cleared, or exceptionally with {@link PeerUnavailableException}
     *     naming a member that did not answer (the others are cleared)
     */
    public CompletableFuture<Void> clear() {
        List<CompletableFuture<Void>> cleared = new ArrayList<>();
        long version = local.clearVersion();
        for (String member : membersOrSelf()) {
            if (member.equals(cluster.self())) {
                cleared.add(clearHere(version, Deadline.NONE));
                continue;
            }
            cleared.add(cluster.peers().call(member, PeerCalls.clear(cluster.self(), name(), version), writeTimeout)
                    .thenApply(response -> {
                        if (!response.hasAck()) {
                            throw unexpected(member, response);
                        }
                        return null;
                    }));
        }
        return CompletableFuture.allOf(cleared.toArray(CompletableFuture[]::new));
    }

    /** This node's counters for the group. */
    public GroupStats stats() {
        return local.stats();
    }

    /** This node's routing and hot-key counters for the group. */
    public RoutingStats routingStats() {
        return new RoutingStats(forwarded.sum(), owner.servedForPeers(), ownersUnreachable.sum(), lastResortLoads.sum(),
                owner.backupFailures(), owner.backupRepairsPending(), owner.backupCopiesRepaired(),
                owner.backupRepairsDropped(), hotTier.hits(), hotTier.copiesHeld(), owner.keysWithCopiesOut(),
                owner.invalidationsSent(), hotTier.invalidationsReceived(), owner.invalidationFailures(),
                owner.hintsPending(), owner.hintsDelivered(), owner.hintsDropped(), writesOutcomeUnknown.sum());
    }

    /**
     * Sends the writes this node applied in the place of owners that did not answer to those owners, if they
     * answer now (one bounded round; see {@link StandInHints}).
     *
     * @return completes when the round's answers are in
     */
    public CompletableFuture<Void> deliverHints() {
        return owner.deliverHints();
    }

    /**
     * Whether this node applied a write of {@code key} in the place of an owner that did not answer, and still
     * waits to deliver it ({@link StandInHints}): its copy of the key is the only one with that write, and is
     * dropped once the owner has it, not before.
     */
    public boolean holdsHintFor(String key) {
        return owner.holdsHintFor(key);
    }

    /** This node's own part of the group. */
    public LocalGroup local() {
        return local;
    }

    // ---- serving other nodes ----

    /** This node as the owner of the group's keys, for requests from other nodes. */
    GroupOwner owner() {
        return owner;
    }

    /** Whether this node holds {@code key}'s value in its ring: as its owner or as one of its backups. */
    boolean keepsCopyOf(String key) {
        return keepsCopyOf(cluster.ring(), key);
    }

    /** As {@link #keepsCopyOf(String)}, in {@code ring}: a snapshot of this node's ring. */
    boolean keepsCopyOf(HashRing ring, String key) {
        return cluster.keepsCopy(ring, key);
    }

    /** Drops this node's hot copy of {@code key}: its owner wrote it. */
    void invalidateCopy(String key) {
        hotTier.invalidate(key);
    }

    /**
     * Removes every entry of the group here, and this node's hot copies of other owners' keys, as a clear
     * versioned {@code version} ({@link StoredValue#UNVERSIONED}: by this node), in its turn
     * ({@link GroupOwner#clearInTurn}).
     *
     * @param deadline when the sender stops waiting; a clear that waited for its turn until then is not applied
     * @return completes once cleared, or exceptionally with {@link DeadlinePassedException}
     */
    CompletableFuture<Void> clearHere(long version, Deadline deadline) {
        return owner.clearInTurn(() -> {
            local.clear(version);
            hotTier.clear();
        }, deadline);
    }

    // ---- routing ----

    /**
     * Asks the candidates in turn from {@code attempt} on; {@code epoch}: the key's invalidation epoch when the read
     * was routed; {@code lastFailure}: why the one before did not answer.
     */
    private CompletableFuture<Optional<StoredValue>> getFrom(List<String> candidates, int attempt, String key,
                                                             long epoch, Throwable lastFailure) {
        if (attempt == candidates.size()) {
            return lastResort(key, candidates, lastFailure);
        }
        String member = candidates.get(attempt);
        if (member.equals(cluster.self())) {
            // The owners before us are unreachable: this node is next in line and serves as the owner would.
            return owner.read(key);
        }
        forwarded.increment();
        long askedAt = hotTier.askedAt();
        PeerRequest request = PeerCalls.get(cluster.self(), name(), key, false);
        return orNext(cluster.peers().call(member, request, getTimeout),
                response -> valueOf(member, key, response, epoch, askedAt), true,
                failure -> getFrom(candidates, attempt + 1, key, epoch, failure));
    }

    private Optional<StoredValue> valueOf(String member, String key, PeerResponse response, long epoch,
                                        long askedAt) {
        return switch (response.getResultCase()) {
            case VALUE -> {
                Value v = response.getValue();
                byte[] bytes = v.getValue().toByteArray();
                long expiresAt = PeerCalls.expiryFromWire(v.getExpiresAtMillis());
                // Not a copy of a value older than a clear applied here: the owner may have answered before it cleared
                // too, and it invalidates no copy when it clears. (A clear here after this check bumps the epoch.)
                if (v.getHot() && hotKeysEnabled && local.isAfterLastClear(v.getVersion())) {
                    hotTier.offer(key, bytes, expiresAt, epoch, askedAt);
                }
                yield Optional.of(StoredValue.of(bytes, expiresAt, v.getVersion()));
            }
            case NOT_FOUND -> Optional.empty();
            case ERROR -> throw PeerCalls.exceptionOf(member, response.getError());
            default -> throw new IllegalStateException("peer " + member + " answered a get with " + response.getResultCase());
        };
    }

    private CompletableFuture<Optional<StoredValue>> lastResort(String key, List<String> tried, Throwable lastFailure) {
        StoredValue held = local.getHeld(key);
        if (held != null) {
            return CompletableFuture.completedFuture(Optional.of(held));
        }
        if (!local.hasLoader()) {
            return CompletableFuture.failedFuture(new PeerUnavailableException("no member holding key of group '"
                    + name() + "' could be reached; tried " + tried + lastly(lastFailure)));
        }
        lastResortLoads.increment();
        return local.loadWithoutKeeping(key);
    }

    private CompletableFuture<Boolean> write(String key, KeyWrite write) {
        HashRing ring = cluster.ring();
        // As for reads: the owner's own writes skip building the candidate list.
        if (ring.isEmpty() || ring.owner(key).equals(cluster.self())) {
            return owner.write(key, write, Deadline.NONE);
        }
        dropHotCopyBeforeWrite(key);
        return writeTo(cluster.candidates(ring, key), 0, key, write, null);
    }

    /** A read after this write, from the same client, must not find the old value ({@link HotTier#dropBeforeWrite}). */
    private void dropHotCopyBeforeWrite(String key) {
        if (hotKeysEnabled) {
            hotTier.dropBeforeWrite(key);
        }
    }

    /** As {@link #getFrom}, for a write. */
    private CompletableFuture<Boolean> writeTo(List<String> candidates, int attempt, String key, KeyWrite write,
                                               Throwable lastFailure) {
        if (attempt == candidates.size()) {
            return CompletableFuture.failedFuture(new PeerUnavailableException("no owner of key of group '" + name()
                    + "' could be reached to write it; tried " + candidates + lastly(lastFailure)));
        }
        String member = candidates.get(attempt);
        if (member.equals(cluster.self())) {
            return owner.write(key, write, Deadline.NONE);
        }
        forwarded.increment();
        return orNext(cluster.peers().call(member, write.toOwnerRequest(cluster.self(), name(), key), writeTimeout),
                response -> acknowledged(member, response), false,
                failure -> writeTo(candidates, attempt + 1, key, write, failure));
    }

    /** As {@link #writeTo}, over the members holding the key's value only. */
    private CompletableFuture<MutationResult> mutateOn(List<String> holders, int attempt, String key,
                                                       Mutation mutation, Throwable lastFailure) {
        if (attempt == holders.size()) {
            return CompletableFuture.failedFuture(new PeerUnavailableException("no member holding key of group '"
                    + name() + "' could be reached to change it; tried " + holders + " (a read-modify-write runs only"
                    + " on the key's owner or, with ringcache.backups, one of its backups)" + lastly(lastFailure)));
        }
        String member = holders.get(attempt);
        if (member.equals(cluster.self())) {
            return owner.mutate(key, mutation, Deadline.NONE);
        }
        forwarded.increment();
        PeerRequest request = PeerCalls.mutate(cluster.self(), MutationCodec.encode(name(), key, mutation));
        return orNext(cluster.peers().call(member, request, writeTimeout),
                response -> {
                    if (response.hasMutated()) {
                        return MutationCodec.decode(response.getMutated());
                    }
                    if (response.hasError()) {
                        throw PeerCalls.exceptionOf(member, response.getError());
                    }
                    throw unexpected(member, response);
                }, false,
                failure -> mutateOn(holders, attempt + 1, key, mutation, failure));
    }

    /** What a "could not be reached" error adds about the last member tried. */
    private static String lastly(Throwable lastFailure) {
        return lastFailure == null ? "" : "; last: " + lastFailure.getMessage();
    }

    /** The ring's members, or this node alone while the ring is not known yet. */
    private List<String> membersOrSelf() {
        HashRing ring = cluster.ring();
        return ring.isEmpty() ? List.of(cluster.self()) : ring.members();
    }

    private static RuntimeException unexpected(String member, PeerResponse response) {
        if (response.hasError()) {
            return PeerCalls.exceptionOf(member, response.getError());
        }
        return new IllegalStateException("peer " + member + " answered with " + response.getResultCase());
    }

    private static boolean acknowledged(String member, PeerResponse response) {
        return switch (response.getResultCase()) {
            case ACK -> response.getAck().getRemoved();
            case ERROR -> throw PeerCalls.exceptionOf(member, response.getError());
            default -> throw new IllegalStateException("peer " + member + " answered a write with " + response.getResultCase());
        };
    }

    /**
     * {@code call}'s answer read by {@code read}. When its member did not serve it (no answer, or an answer that it
     * did not, such as {@code LEAVING}), {@code next} of why: always for a read ({@code repeatable}), which may be
     * served twice; for a write only when the member certainly did not apply it. A write the member may have applied
     * (it was sent and never answered) fails with {@link WriteOutcomeUnknownException} instead.
     */
    private <T> CompletableFuture<T> orNext(CompletableFuture<PeerResponse> call, Function<PeerResponse, T> read,
                                            boolean repeatable, Function<Throwable, CompletableFuture<T>> next) {
        return call.handle((response, error) -> {
            Throwable failure = error;
            if (failure == null) {
                try {
                    return CompletableFuture.completedFuture(read.apply(response));
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            if (!PeerCalls.isUnreachable(failure)) {
                return CompletableFuture.<T>failedFuture(PeerCalls.unwrap(failure));
            }
            ownersUnreachable.increment();
            if (repeatable || PeerCalls.certainlyNotServed(failure)) {
                return next.apply(PeerCalls.unwrap(failure));
            }
            writesOutcomeUnknown.increment();
            return CompletableFuture.<T>failedFuture(new WriteOutcomeUnknownException(
                    PeerCalls.unwrap(failure).getMessage() + "; the write may or may not have been applied"));
        }).thenCompose(Function.identity());
    }
}
