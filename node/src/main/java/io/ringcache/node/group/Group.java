package io.ringcache.node.group;

import io.ringcache.node.hot.HotCopyHolders;
import io.ringcache.node.hot.HotKeySettings;
import io.ringcache.node.hot.HotKeyTracker;
import io.ringcache.node.hot.HotTier;
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
 * disagree about the ring cannot pass a request around. An owner that cannot be reached (refused, broken,
 * deadline passed) sends the request to the key's next member on the ring (where its first backup lives).
 * When no member can be reached, a read-through group loads on this node as a last resort, without keeping
 * the value; a plain group fails with {@link PeerUnavailableException}.
 *
 * <p>Writes go to the owner, which applies them, copies them to its backups and invalidates every hot copy
 * it handed out, and only then acknowledges. A backup or copy holder that cannot be reached is counted, not
 * waited for: the write is acknowledged by the members that can be reached.
 */
public final class Group {

    /**
     * How long after a ring change an owner's miss asks the key's previous owner: long enough for a hand-off
     * of a large store at the default rate.
     */
    static final Duration HANDOFF_WINDOW = Duration.ofMinutes(1);

    /** The keys this node is authoritative for, its loader and its counters. */
    private final LocalGroup local;
    private final Cluster cluster;
    private final boolean hotKeysEnabled;
    /** On the owner: how often each of its keys is asked for. */
    private final HotKeyTracker hotKeyTracker;
    /** On the owner: which nodes hold copies of its hot keys. */
    private final HotCopyHolders hotCopyHolders;
    /** On a requester: copies of other owners' hot keys, popular enough to mirror here. */
    private final HotTier hotTier;
    private final Duration getTimeout;
    private final Duration writeTimeout;

    private final LongAdder forwarded = new LongAdder();
    private final LongAdder servedForPeers = new LongAdder();
    private final LongAdder ownersUnreachable = new LongAdder();
    private final LongAdder lastResortLoads = new LongAdder();
    private final LongAdder backupFailures = new LongAdder();
    private final LongAdder invalidationsSent = new LongAdder();
    private final LongAdder invalidationFailures = new LongAdder();

    /**
     * @param maxHotKeysTracked the most keys whose copy holders the owner remembers
     */
    public Group(LocalGroup local, Cluster cluster, HotKeySettings hotKeys, TimeSource time, long maxHotKeysTracked) {
        this.local = Objects.requireNonNull(local, "local");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.hotKeysEnabled = hotKeys.enabled();
        this.hotKeyTracker = new HotKeyTracker(hotKeys.thresholdPerSecond(), System::nanoTime);
        this.hotCopyHolders = new HotCopyHolders(hotKeys.ttl(), maxHotKeysTracked, this::invalidateCopies);
        this.hotTier = new HotTier((long) (local.settings().maxBytes() * hotKeys.budgetFraction()), hotKeys.ttl(), time);
        // The owner may be loading: it answers a load timeout itself before the caller gives up on it.
        this.getTimeout = cluster.callTimeout().plus(local.settings().loadTimeout());
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
        return getEntry(key).thenApply(found -> found.map(StoredValue::value));
    }

    /** As {@link #get}, with the value's expiry. */
    public CompletableFuture<Optional<StoredValue>> getEntry(String key) {
        local.checkKey(key);
        HashRing ring = cluster.ring();
        List<String> candidates = cluster.candidates(ring, key);
        if (candidates.get(0).equals(cluster.self())) {
            return readAsOwner(key);
        }
        StoredValue copy = hotTier.get(key);
        if (copy != null) {
            return CompletableFuture.completedFuture(Optional.of(copy));
        }
        return getFrom(candidates, 0, key);
    }

    /**
     * Stores {@code value} under {@code key}; the future completes once the owner acknowledged it.
     *
     * @param ttl the value's time to live; empty means the group's default TTL (if any)
     * @throws InvalidKeyException for a key that breaks the limits
     * @throws ValueTooLargeException for a value over the value limit
     * @throws IllegalArgumentException for a TTL that is not positive
     * @return completes when acknowledged; exceptionally with {@link ValueTooLargeException} when the entry does
     *     not fit the group's budget, or {@link PeerUnavailableException} when no owner can be reached
     */
    public CompletableFuture<Void> put(String key, byte[] value, Optional<Duration> ttl) {
        local.checkPut(key, value, ttl);
        long expiresAt = local.expiresAtFor(ttl);
        return write(key, new KeyWrite.Put(value, expiresAt)).thenApply(removed -> null);
    }

    /**
     * Removes {@code key}; the future completes once the owner acknowledged it.
     *
     * @throws InvalidKeyException for a key that breaks the limits
     * @return completes with whether a value was removed
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
     *     the value limit or does not fit the group's budget) or {@link PeerUnavailableException} (no owner
     *     reachable); a refused mutation changes nothing
     */
    public CompletableFuture<MutationResult> mutate(String key, Mutation mutation) {
        local.checkMutation(key, mutation);
        return mutateOn(cluster.candidates(cluster.ring(), key), 0, key, mutation);
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
                counts.add(CompletableFuture.completedFuture(ownedEntries()));
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
     * result.
     *
     * @return completes once every member cleared, or exceptionally with {@link PeerUnavailableException}
     *     naming a member that did not answer (the others are cleared)
     */
    public CompletableFuture<Void> clear() {
        List<CompletableFuture<Void>> cleared = new ArrayList<>();
        for (String member : membersOrSelf()) {
            if (member.equals(cluster.self())) {
                clearHere();
                continue;
            }
            cleared.add(cluster.peers().call(member, PeerCalls.clear(cluster.self(), name()), writeTimeout)
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
        return new RoutingStats(forwarded.sum(), servedForPeers.sum(), ownersUnreachable.sum(), lastResortLoads.sum(),
                backupFailures.sum(), hotTier.hits(), hotTier.copiesHeld(), hotCopyHolders.keysWithCopies(),
                invalidationsSent.sum(), hotTier.invalidationsReceived(), invalidationFailures.sum());
    }

    /** This node's own part of the group. */
    public LocalGroup local() {
        return local;
    }

    // ---- serving other nodes ----

    /**
     * Serves a get forwarded by {@code from}: from memory, else by loading here; never forwarded again.
     * A key asked for more often than the hot-key threshold is answered as hot, and {@code from} is
     * remembered as a holder of its copy.
     *
     * @param peek answer from memory only, never load (asked of a previous owner during a hand-off)
     */
    CompletableFuture<Served> serveGet(String from, String key, boolean peek) {
        servedForPeers.increment();
        if (peek) {
            return CompletableFuture.completedFuture(new Served(local.getHeld(key), false));
        }
        if (hotKeysEnabled && !from.isEmpty() && !from.equals(cluster.self()) && hotKeyTracker.recordAndCheck(key)) {
            // Holder first, value second: a write landing between the two finds the holder and invalidates it.
            hotCopyHolders.add(key, from);
            StoredValue held = local.getHeld(key);
            if (held != null) {
                return CompletableFuture.completedFuture(new Served(held, true));
            }
        }
        return readAsOwner(key).thenApply(found -> new Served(found.orElse(null), false));
    }

    /**
     * Applies a write forwarded to this node as the key's owner: here, then on the backups, then every hot
     * copy is invalidated; completes when all that can be reached have acknowledged.
     *
     * @return completes with whether a delete removed a value
     */
    CompletableFuture<Boolean> writeAsOwner(String key, KeyWrite write) {
        boolean removed;
        try {
            removed = write.applyTo(local, key);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return propagate(key, write).thenApply(done -> removed);
    }

    /** Copies {@code write} to the key's backups and invalidates its hot copies; completes when all answered. */
    private CompletableFuture<Void> propagate(String key, KeyWrite write) {
        HashRing ring = cluster.ring();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (String backup : cluster.backupsOf(ring, key)) {
            acks.add(cluster.peers().call(backup, write.toBackupRequest(cluster.self(), name(), key), cluster.callTimeout())
                    .handle((response, error) -> {
                        if (error != null || response.hasError()) {
                            backupFailures.increment();
                        }
                        return null;
                    }));
        }
        acks.addAll(invalidateCopies(key, hotCopyHolders.remove(key)));
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    /** Drops this node's hot copy of {@code key}: its owner wrote it. */
    void invalidateCopy(String key) {
        hotTier.invalidate(key);
    }

    /**
     * Applies a mutation as the key's owner, then copies the resulting entry to the backups and invalidates
     * the hot copies, as {@link #writeAsOwner} does for a write.
     */
    CompletableFuture<MutationResult> mutateAsOwner(String key, Mutation mutation) {
        MutationResult result;
        try {
            result = local.mutate(key, mutation);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        StoredValue after = local.mainStore().peek(key);
        KeyWrite resulting = after != null ? new KeyWrite.Put(after.value(), after.expiresAtMillis()) : new KeyWrite.Delete();
        return propagate(key, resulting).thenApply(done -> result);
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

    /** Removes every entry of the group here, and this node's hot copies of other owners' keys. */
    void clearHere() {
        local.clear();
        hotTier.clear();
    }

    // ---- routing ----

    private CompletableFuture<Optional<StoredValue>> getFrom(List<String> candidates, int attempt, String key) {
        if (attempt == candidates.size()) {
            return lastResort(key, candidates);
        }
        String member = candidates.get(attempt);
        if (member.equals(cluster.self())) {
            // The owners before us are unreachable: this node is next in line and serves as the owner would.
            return readAsOwner(key);
        }
        forwarded.increment();
        long epoch = hotTier.epochOf(key);
        PeerRequest request = PeerCalls.get(cluster.self(), name(), key, false);
        return retryIfUnreachable(cluster.peers().call(member, request, getTimeout),
                response -> valueOf(member, key, response, epoch),
                () -> getFrom(candidates, attempt + 1, key));
    }

    /**
     * Reads a key this node serves as its owner. Shortly after a ring change the key's previous owner may
     * still hold it, its entry on the way here: a miss asks it (memory only) before loading or answering
     * "not found".
     */
    private CompletableFuture<Optional<StoredValue>> readAsOwner(String key) {
        HashRing previous = cluster.membership().previousRingWithin(HANDOFF_WINDOW.toNanos());
        if (previous == null || previous.isEmpty()) {
            return local.getEntry(key);
        }
        String previousOwner = previous.owner(key);
        if (previousOwner.equals(cluster.self())) {
            return local.getEntry(key);
        }
        return local.getEntry(key, k -> peek(previousOwner, k));
    }

    private CompletableFuture<Optional<StoredValue>> peek(String member, String key) {
        return cluster.peers().call(member, PeerCalls.get(cluster.self(), name(), key, true), cluster.callTimeout())
                .thenApply(response -> response.hasValue()
                        ? Optional.of(new StoredValue(response.getValue().getValue().toByteArray(),
                                PeerCalls.expiryFromWire(response.getValue().getExpiresAtMillis())))
                        : Optional.empty());
    }

    private Optional<StoredValue> valueOf(String member, String key, PeerResponse response, long epoch) {
        return switch (response.getResultCase()) {
            case VALUE -> {
                Value v = response.getValue();
                byte[] bytes = v.getValue().toByteArray();
                long expiresAt = PeerCalls.expiryFromWire(v.getExpiresAtMillis());
                if (v.getHot() && hotKeysEnabled) {
                    hotTier.offer(key, bytes, expiresAt, epoch);
                }
                yield Optional.of(new StoredValue(bytes, expiresAt));
            }
            case NOT_FOUND -> Optional.empty();
            case ERROR -> throw PeerCalls.exceptionOf(member, response.getError());
            default -> throw new IllegalStateException("peer " + member + " answered a get with " + response.getResultCase());
        };
    }

    private CompletableFuture<Optional<StoredValue>> lastResort(String key, List<String> tried) {
        StoredValue held = local.getHeld(key);
        if (held != null) {
            return CompletableFuture.completedFuture(Optional.of(held));
        }
        if (local.settings().origin().isEmpty()) {
            return CompletableFuture.failedFuture(new PeerUnavailableException("no member holding key of group '"
                    + name() + "' could be reached; tried " + tried));
        }
        lastResortLoads.increment();
        return local.loadWithoutKeeping(key);
    }

    private CompletableFuture<Boolean> write(String key, KeyWrite write) {
        List<String> candidates = cluster.candidates(cluster.ring(), key);
        return writeTo(candidates, 0, key, write);
    }

    private CompletableFuture<Boolean> writeTo(List<String> candidates, int attempt, String key, KeyWrite write) {
        if (attempt == candidates.size()) {
            return CompletableFuture.failedFuture(new PeerUnavailableException("no owner of key of group '" + name()
                    + "' could be reached to write it; tried " + candidates));
        }
        String member = candidates.get(attempt);
        if (member.equals(cluster.self())) {
            return writeAsOwner(key, write);
        }
        forwarded.increment();
        return retryIfUnreachable(cluster.peers().call(member, write.toOwnerRequest(cluster.self(), name(), key), writeTimeout),
                response -> acknowledged(member, response),
                () -> writeTo(candidates, attempt + 1, key, write));
    }

    private CompletableFuture<MutationResult> mutateOn(List<String> candidates, int attempt, String key,
                                                       Mutation mutation) {
        if (attempt == candidates.size()) {
            return CompletableFuture.failedFuture(new PeerUnavailableException("no owner of key of group '" + name()
                    + "' could be reached to change it; tried " + candidates));
        }
        String member = candidates.get(attempt);
        if (member.equals(cluster.self())) {
            return mutateAsOwner(key, mutation);
        }
        forwarded.increment();
        PeerRequest request = PeerCalls.mutate(cluster.self(), MutationCodec.encode(name(), key, mutation));
        return retryIfUnreachable(cluster.peers().call(member, request, writeTimeout),
                response -> {
                    if (response.hasMutated()) {
                        return MutationCodec.decode(response.getMutated());
                    }
                    if (response.hasError()) {
                        throw PeerCalls.exceptionOf(member, response.getError());
                    }
                    throw unexpected(member, response);
                },
                () -> mutateOn(candidates, attempt + 1, key, mutation));
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

    /** {@code call}'s answer read by {@code read}, or, when its member could not be reached, {@code next}. */
    private <T> CompletableFuture<T> retryIfUnreachable(CompletableFuture<PeerResponse> call,
                                                        Function<PeerResponse, T> read,
                                                        java.util.function.Supplier<CompletableFuture<T>> next) {
        return call.handle((response, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(read.apply(response));
            }
            if (PeerCalls.isUnreachable(error)) {
                ownersUnreachable.increment();
                return next.get();
            }
            return CompletableFuture.<T>failedFuture(PeerCalls.unwrap(error));
        }).thenCompose(Function.identity());
    }

    private List<CompletableFuture<Void>> invalidateCopies(String key, java.util.Set<String> holders) {
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

    /**
     * What a node serves a peer's get with: the value ({@code null} for not found) and whether the key is hot.
     */
    record Served(StoredValue value, boolean hot) {
    }
}
