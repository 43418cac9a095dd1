package io.ringcache.node.group;

import io.ringcache.node.store.EntryTooLargeException;
import io.ringcache.node.store.Store;
import io.ringcache.node.store.StoreStats;
import io.ringcache.node.store.StoredValue;
import io.ringcache.node.store.TimeSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * This node's own part of a group: the keys it is authoritative for. Look in memory, else load once
 * (however many callers wait), else not found. Writes and deletes apply to memory and win over loads that started
 * before them. Every method checks the key and value limits first, so a refused request changes nothing.
 *
 * <p>Thread-safe: the store is concurrent, loads are deduplicated by {@link SingleFlight}, and the only
 * lock is a key's write lock in {@link WriteEpochs} (which the few keys of its bin share), held for one store write.
 */
public final class LocalGroup {

    /**
     * How long a delete, an expiry or the eviction of a written value is remembered against older values arriving
     * late. Hand-offs hold entries shorter than this (see {@code HandoffStream}), so an entry still on its way never
     * outlives the memory of the delete that superseded it.
     */
    public static final Duration RECENT_REMOVAL_MEMORY = Duration.ofMinutes(1);
    /**
     * What a sender of old copies (a hand-off, a backup repair from a former owner) leaves of {@link
     * #RECENT_REMOVAL_MEMORY}: members hear of a ring change at different moments (a new owner may take deletes of a
     * key before the sender notices the change), and a copy is on its way for up to a call's timeout.
     */
    public static final Duration LATE_COPY_MARGIN = Duration.ofSeconds(15);
    /** How many removals, and apart from them evictions, are remembered at most: the latest ones. */
    static final int RECENT_REMOVALS_REMEMBERED = 100_000;
    /** The longest duration that milliseconds in a {@code long} count; a longer TTL gets the latest deadline. */
    private static final Duration LONGEST_TTL = Duration.ofMillis(Long.MAX_VALUE);

    private final GroupSettings settings;
    /** The entries this node holds for the group. */
    private final Store mainStore;
    /** Where misses are loaded from; {@code null} for a plain key-value group. */
    private final Loader loader;
    private final Limits limits;
    private final TimeSource time;
    private final SingleFlight<Optional<StoredValue>> loadsInFlight = new SingleFlight<>();
    /** Questions to a key's previous holder after a ring change, shared by the reads that miss the key meanwhile. */
    private final SingleFlight<Optional<StoredValue>> questionsInFlight = new SingleFlight<>();
    private final WriteEpochs writeEpochs = new WriteEpochs();
    /** Versions for the writes this node applies as the keys' owner. */
    private final WriteStamps stamps;
    /**
     * Keys deleted in the last minute, with the delete's version, and keys whose versioned value expired in
     * it, with that value's version: so that an entry handed over by a previous owner, or an older write copied
     * here late, does not bring the key back. Bounded; a key pushed out (the oldest first) only loses that protection.
     */
    private final RecentVersions recentRemovals;
    /**
     * Keys whose written (versioned) value the store evicted for room in the last minute, with that value's version:
     * a write this node applied and then had to let go of is still newer than a previous holder's value, or a copy,
     * of the key from before it, and a read must not answer those after it (a copy of that very write is not older,
     * and is taken back). Also the evictions a previous holder told of ({@link #keepNewer}), by the same rule. Kept
     * apart from {@link #recentRemovals}, as a full store evicts on almost every put: a wave of evictions must not push
     * out the memory of deletes. Bounded as that is; a key pushed out only loses that protection.
     */
    private final RecentVersions recentEvictions;
    /**
     * The group's last clear (FLUSHDB, FLUSHALL) here, {@code null} before the first: copies and hand-overs of
     * writes older than it are refused, so an entry still on its way from another member when every member
     * cleared the group does not come back.
     */
    private final AtomicReference<Cleared> lastClear = new AtomicReference<>();

    private final LongAdder loads = new LongAdder();
    private final LongAdder loadErrors = new LongAdder();
    private final LongAdder loadsDeduped = new LongAdder();

    /**
     * @param loader the origin of misses, or {@code null} for a plain key-value group
     */
    public LocalGroup(GroupSettings settings, Store mainStore, Loader loader, Limits limits, TimeSource time) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.mainStore = Objects.requireNonNull(mainStore, "mainStore");
        this.loader = loader;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.time = Objects.requireNonNull(time, "time");
        this.stamps = new WriteStamps(time);
        // On the group's clock, as expiries and the memory of the last clear are: one time line for all of them.
        this.recentRemovals = new RecentVersions(RECENT_REMOVAL_MEMORY, RECENT_REMOVALS_REMEMBERED, time);
        this.recentEvictions = new RecentVersions(RECENT_REMOVAL_MEMORY, RECENT_REMOVALS_REMEMBERED, time);
        // Last, once every field is set: the sweeper thread, and any writer, may call them from now on.
        mainStore.onExpiry(this::expiring);
        mainStore.onEviction(this::evicting);
    }

    public String name() {
        return settings.name();
    }

    public GroupSettings settings() {
        return settings;
    }

    /** Whether misses are loaded (a read-through group) rather than answered "not found" (a plain group). */
    public boolean hasLoader() {
        return loader != null;
    }

    /**
     * The value of {@code key}: from memory, else from the loader (one load per key at a time; every caller
     * waiting on it gets the same value or the same error), else empty for "not found". A failed load is not
     * cached; the next get loads again.
     *
     * @throws InvalidKeyException at once, for a key that breaks the limits
     * @return completes with the value or empty, or exceptionally with {@link LoadFailedException} or
     *     {@link LoadTimeoutException}
     */
    public CompletableFuture<Optional<byte[]>> get(String key) {
        return getEntry(key).thenApply(found -> found.map(StoredValue::value));
    }

    /** As {@link #get}, with the value's expiry. */
    public CompletableFuture<Optional<StoredValue>> getEntry(String key) {
        return getEntry(key, null);
    }

    /**
     * As {@link #getEntry(String)}, but a miss first asks {@code previousHolder} (the key's owner before the
     * last ring change, whose entries may still be on their way here) and keeps what it has, unless this node
     * holds, or in the last minute deleted or let expire, a version at least as new, or evicted a newer one; only if
     * nothing was kept and nothing is held does the loader run. Reads of the key that miss while the question is out
     * share it, as they share a load.
     *
     * @param previousHolder answers with the value it holds, or empty; {@code null} when there is none to ask
     */
    public CompletableFuture<Optional<StoredValue>> getEntry(String key, PreviousHolder previousHolder) {
        limits.checkKey(key);
        StoredValue held = mainStore.get(key);
        if (held != null) {
            return CompletableFuture.completedFuture(Optional.of(held));
        }
        return getAfterMiss(key, previousHolder);
    }

    /**
     * The rest of {@link #getEntry(String, PreviousHolder)} once this node's store has missed {@code key} and
     * counted the miss: asks {@code previousHolder}, loads, or answers empty.
     */
    public CompletableFuture<Optional<StoredValue>> getAfterMiss(String key, PreviousHolder previousHolder) {
        if (previousHolder != null) {
            return answerAfterMiss(key, previousHolder).thenCompose(Function.identity());
        }
        return loadAfterMiss(key);
    }

    /**
     * {@link #getAfterMiss} with a previous holder to ask, in two steps, for an owner that holds the key's later
     * writes back until the first: completes once what the read answers no longer depends on a write of the key
     * applied from then on (the previous holder has answered and what it had is kept, or the load that answers
     * instead has started, and a write from then on stops it caching its value), with the future of that answer.
     */
    CompletableFuture<CompletableFuture<Optional<StoredValue>>> answerAfterMiss(String key,
                                                                                PreviousHolder previousHolder) {
        return questionsInFlight.run(key, k -> askPreviousHolder(k, previousHolder), () -> { })
                .thenApply(kept -> kept.isPresent() ? CompletableFuture.completedFuture(kept) : afterQuestion(key));
    }

    /** A miss with nobody else to ask: loads (once per key at a time), or answers empty in a plain group. */
    private CompletableFuture<Optional<StoredValue>> loadAfterMiss(String key) {
        if (loader == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return loadsInFlight.run(key, k -> load(k, true), loadsDeduped::increment);
    }

    /**
     * The value of {@code key} from memory only, counted as a get; {@code null} when it is not held. Never loads.
     */
    public StoredValue getHeld(String key) {
        limits.checkKey(key);
        return mainStore.get(key);
    }

    /**
     * Loads {@code key} for a caller that is not its owner and could reach none of its owners: the last
     * resort. The load is shared with any load of the key in flight here, and its value is not kept, since
     * this node is not where the key lives.
     *
     * @return as {@link #getEntry}; empty at once for a group without a loader
     */
    public CompletableFuture<Optional<StoredValue>> loadWithoutKeeping(String key) {
        limits.checkKey(key);
        if (loader == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return loadsInFlight.run(key, k -> load(k, false), loadsDeduped::increment);
    }

    /**
     * Stores {@code value} under {@code key}, replacing any older value; a load of it already in flight will not
     * cache its result, and a get after the put that misses (the value evicted or expired) does not wait for it.
     *
     * @param ttl the value's time to live; empty means the group's default TTL (if any)
     * @throws InvalidKeyException for a key that breaks the limits
     * @throws ValueTooLargeException for a value over the value limit or the group's whole budget
     * @throws IllegalArgumentException for a TTL that is not positive
     */
    public void put(String key, byte[] value, Optional<Duration> ttl) {
        checkPut(key, value, ttl);
        putEntry(key, value, expiresAtFor(ttl));
    }

    /**
     * The expiry a value written now with {@code ttl} gets: now + ttl, else now + the group's default TTL,
     * else {@link StoredValue#NEVER}.
     */
    public long expiresAtFor(Optional<Duration> ttl) {
        return expiryOf(ttl.or(settings::defaultTtl));
    }

    /**
     * Stores {@code value} under {@code key} with an absolute expiry (computed where the write entered the
     * cluster), as the key's owner: the write gets a version larger than any this node gave or saw. Wins over
     * loads in flight, like {@link #put}.
     *
     * @return the write's version
     * @throws ValueTooLargeException when the entry does not fit the group's budget
     */
    public long putEntry(String key, byte[] value, long expiresAtMillis) {
        long[] version = new long[1];
        writeEpochs.write(key, () -> version[0] = storeNewVersion(key, value, expiresAtMillis));
        return version[0];
    }

    /**
     * Stores a write another member applied as the key's owner (a backup's copy, or a write applied in this
     * owner's place while it did not answer), unless this node holds a version of the key at least as new, or
     * in the last minute deleted it with one, let one expire or evicted a newer one.
     *
     * @return whether the write was stored
     * @throws ValueTooLargeException when the entry does not fit the group's budget
     */
    public boolean putEntryIfNewer(String key, byte[] value, long expiresAtMillis, long version) {
        stamps.observe(version);
        boolean[] stored = new boolean[1];
        writeEpochs.write(key, () -> {
            if (isNewer(key, version)) {
                storeOrRefuse(key, value, expiresAtMillis, version);
                loadsInFlight.forget(key);
                stored[0] = true;
            }
        });
        return stored[0];
    }

    /**
     * Removes {@code key} for a delete another member applied as the key's owner, unless this node holds a
     * version of it at least as new, or in the last minute deleted it with one, let one expire or evicted a newer one;
     * remembers the delete's version against older writes arriving later.
     *
     * @return whether the delete applied
     */
    public boolean deleteIfNewer(String key, long version) {
        return removeIfNewer(key, version, recentRemovals);
    }

    /**
     * As {@link #deleteIfNewer}, remembering the removal's version in {@code memory}: {@link #recentRemovals} for a
     * delete, {@link #recentEvictions} for an eviction another member told of.
     */
    private boolean removeIfNewer(String key, long version, RecentVersions memory) {
        stamps.observe(version);
        boolean[] applied = new boolean[1];
        writeEpochs.write(key, () -> {
            if (isNewer(key, version)) {
                mainStore.remove(key);
                // The newest version noted stands, as for the removals and evictions made here.
                memory.note(key, version);
                loadsInFlight.forget(key);
                applied[0] = true;
            }
        });
        return applied[0];
    }

    /**
     * Whether a write of {@code version} is newer than what this node holds of {@code key}, expired or not, than
     * what it deleted or let expire of it in the last minute, and than the group's last clear; and no older than what
     * it evicted of it in the last minute.
     */
    private boolean isNewer(String key, long version) {
        // The store first, then the memory: the store tells of an expiring or evicted value before it lets go of it,
        // so a value the sweep or a put of another key takes away meanwhile is seen in one or the other. Its expired
        // value is compared too: hidden from reads, it is still the newest write this node applied.
        StoredValue held = mainStore.peekIncludingExpired(key);
        Long removed = recentRemovals.versionOf(key);
        // An eviction makes older writes stale, not the evicted write: a copy of it (kept by the previous owner, now a
        // backup, or sent by a backup) is as new as what this node let go of for room, and is taken back.
        Long evicted = recentEvictions.versionOf(key);
        return (held == null || held.version() < version) && (removed == null || removed < version)
                && (evicted == null || evicted <= version) && isAfterLastClear(version);
    }

    /**
     * The version of the latest removal of {@code key} this node remembers: a delete, expiry or clear of the group in
     * the last minute, or a value expired here and not yet swept; {@link StoredValue#UNVERSIONED} for none. Told, with
     * {@link #evictedVersion}, to a member that asks about a copy it held from before, so that it drops its copy when
     * it is not newer ({@link RegainedCopies}).
     */
    long removedVersion(String key) {
        long now = time.nowMillis();
        long removed = StoredValue.UNVERSIONED;
        StoredValue held = mainStore.peekIncludingExpired(key);
        if (held != null && held.isExpiredAt(now)) {
            removed = held.version();
        }
        Long remembered = recentRemovals.versionOf(key);
        if (remembered != null) {
            removed = Math.max(removed, remembered);
        }
        // A clear is told for a minute, as deletes are: told for ever, it would take every value loaded from the origin
        // (version 0) away from each member that asks about one, and fill that member's memory of deletes with it.
        Cleared cleared = lastClear.get();
        if (cleared != null && now - cleared.atMillis() < RECENT_REMOVAL_MEMORY.toMillis()) {
            removed = Math.max(removed, cleared.version());
        }
        return removed;
    }

    /**
     * The version of the written value of {@code key} the store evicted for room in the last minute, the newest if
     * several; {@link StoredValue#UNVERSIONED} for none. Told apart from {@link #removedVersion} to a member that asks
     * about a copy it held from before: a copy older than the evicted write is stale, a copy of that write is not.
     */
    long evictedVersion(String key) {
        Long evicted = recentEvictions.versionOf(key);
        return evicted == null ? StoredValue.UNVERSIONED : evicted;
    }

    /**
     * Whether a write of {@code version} came after the group's last clear here. A loaded value has no version
     * to tell: it is refused for as long as deletes are remembered after a clear, far longer than a batch of a
     * hand-off that was on its way when the group was cleared takes to arrive.
     */
    boolean isAfterLastClear(long version) {
        Cleared cleared = lastClear.get();
        if (cleared == null) {
            return true;
        }
        if (version == StoredValue.UNVERSIONED) {
            return time.nowMillis() - cleared.atMillis() >= RECENT_REMOVAL_MEMORY.toMillis();
        }
        return version > cleared.version();
    }

    /** Remembers that {@code key} was removed by a write of {@code version}, keeping the newest such version. */
    private void remember(String key, long version) {
        // The newest version noted stands: the sweep tells of expiries outside the key's lock, so a delete's newer
        // version may already be here.
        recentRemovals.note(key, version);
    }

    /** Told by the store of each value it removes for expiry. A loaded value has no version to remember. */
    private void expiring(String key, StoredValue value) {
        if (value.version() != StoredValue.UNVERSIONED) {
            remember(key, value.version());
        }
    }

    /**
     * Told by the store of each versioned value it evicts for room (it reads no evicted value before it has held a
     * versioned one, so a group of loaded values pays nothing). Every one is remembered, not only while a previous
     * owner may be asked: the last change's previous owner is asked for as long as it says it still hands entries
     * over ({@link PreviousOwners}), and a hand-off, a late copy or a question about a regained copy may come at any
     * moment of the minute, so a switch tied to ring changes would have to foresee them all. It costs one memory write
     * per eviction of a written value, as a delete pays.
     */
    private void evicting(String key, StoredValue value) {
        // A max, as for removals: what is remembered of a key never goes back to an older version.
        recentEvictions.note(key, value.version());
    }

    /**
     * Stores an entry handed over by its previous holder after a ring change, unless this node holds, or in the
     * last minute deleted or let expire, a version of the key at least as new, or evicted a newer one: a value
     * written here since the ring changed is newer than the one in transit, while a value this node kept from before
     * (say, from before a write its stand-in applied while this node did not answer) is older.
     *
     * @param version the entry's version at the previous holder, kept with it
     * @return whether the entry was stored
     */
    public boolean acceptHandedOver(String key, byte[] value, long expiresAtMillis, long version) {
        if (expiresAtMillis != StoredValue.NEVER && expiresAtMillis <= time.nowMillis()) {
            return false;
        }
        stamps.observe(version);
        boolean[] stored = new boolean[1];
        writeEpochs.write(key, () -> {
            if (isNewer(key, version)) {
                try {
                    mainStore.put(key, value, expiresAtMillis, version);
                    // As after a copied write: a load of the key in flight may have asked the origin before it.
                    loadsInFlight.forget(key);
                    stored[0] = true;
                } catch (EntryTooLargeException e) {
                    // A budget smaller than the sender's: the entry cannot live here, as if evicted at once.
                }
            }
        });
        return stored[0];
    }

    /**
     * Removes {@code key} after it was handed to its new owner, unless it was written again meanwhile
     * (then the newer value stays until it is handed over too).
     */
    public void dropHandedOver(String key, StoredValue handedOver) {
        writeEpochs.write(key, () -> {
            if (mainStore.peek(key) == handedOver) {
                mainStore.remove(key);
            }
        });
    }

    /**
     * Removes {@code key} as its owner; a load of it already in flight will not cache its result, and a get after
     * the delete does not wait for it but loads anew.
     *
     * @return the delete's version, and whether a value was removed
     * @throws InvalidKeyException for a key that breaks the limits
     */
    public AppliedWrite delete(String key) {
        checkKey(key);
        AppliedWrite[] applied = new AppliedWrite[1];
        writeEpochs.write(key, () -> applied[0] = remove(key));
        return applied[0];
    }

    /**
     * Removes {@code key} under its write lock as its owner, remembering the delete's version against
     * hand-overs still in transit and older copies arriving late.
     */
    private AppliedWrite remove(String key) {
        long version = stamps.next();
        boolean removed = mainStore.remove(key);
        remember(key, version);
        // A get after the delete must not wait for a load that asked the origin before it (the origin may have
        // changed, and the delete be what says so): it starts a load of its own.
        loadsInFlight.forget(key);
        return new AppliedWrite(version, removed);
    }

    /**
     * Applies {@code mutation} to {@code key} atomically: it reads the value this node holds (never the loader)
     * and writes its result under the key's write lock, so no other write, delete or mutation of the key
     * interleaves, and loads already in flight for the key do not cache their result afterwards. What it
     * returns and how it fails is documented on each {@link Mutation} record. A refused mutation changes nothing.
     *
     * @throws InvalidKeyException for a key that breaks the limits
     * @throws ValueTooLargeException for a value over the value limit, before or after the mutation (for
     *     {@link Mutation.Append}), or an entry that does not fit the group's budget
     * @throws MutationRefusedException when the mutation cannot apply to the value held
     */
    public MutationResult mutate(String key, Mutation mutation) {
        return mutateAsOwner(key, mutation).result();
    }

    /**
     * As {@link #mutate}, also saying what the mutation wrote, as it was written under the key's lock: the
     * owner copies exactly that, not whatever the key holds (or no longer holds, once expired) a moment later.
     */
    AppliedMutation mutateAsOwner(String key, Mutation mutation) {
        checkMutation(key, mutation);
        AppliedMutation[] applied = new AppliedMutation[1];
        writeEpochs.write(key, () -> {
            AppliedMutation.Recorder written = new AppliedMutation.Recorder();
            MutationResult result = apply(key, mutation, written);
            applied[0] = written.of(result);
        });
        return applied[0];
    }

    /**
     * Checks the arguments of {@link #mutate} without touching the key.
     *
     * @throws InvalidKeyException for a key that breaks the limits
     * @throws ValueTooLargeException for a value or suffix over the value limit
     */
    public void checkMutation(String key, Mutation mutation) {
        limits.checkKey(key);
        if (mutation instanceof Mutation.Set set) {
            limits.checkValue(set.value().length);
        } else if (mutation instanceof Mutation.Append append) {
            limits.checkValue(append.suffix().length);
        }
    }

    /** The number of entries this node holds for the group, including expired ones not yet swept. */
    public long size() {
        return mainStore.stats().entries();
    }

    /**
     * Removes every entry this node holds for the group; loads in flight when it starts do not cache their
     * result, nor answer a get made after it. Writes racing with it may survive it, each whole. The clear gets a
     * version as a write would, and from then on copies and hand-overs of writes older than it are refused (a
     * loaded value, which has no version, for a minute): a value still on its way from another member does not
     * bring its key back.
     *
     * @return the number of live entries removed
     */
    public long clear() {
        return clear(StoredValue.UNVERSIONED);
    }

    /**
     * As {@link #clear()}, for a clear of the group on every member that the member asking for it versioned
     * with {@code version} ({@link StoredValue#UNVERSIONED}: this node versions it): every write this node
     * applies from then on gets a newer version.
     *
     * @return the number of live entries removed
     */
    public long clear(long version) {
        long clearVersion = version == StoredValue.UNVERSIONED ? stamps.next() : version;
        stamps.observe(clearVersion);
        long now = time.nowMillis();
        // Marked before the store is cleared: a hand-over is refused from here on, or was stored before and is
        // removed below. Never back: of two clears, the newer version stands.
        lastClear.accumulateAndGet(new Cleared(clearVersion, now), (before, next) -> before == null ? next
                : new Cleared(Math.max(before.version(), next.version()), next.atMillis()));
        writeEpochs.advanceAll();
        // As for a delete: a get after the clear does not wait for a load that started before it.
        loadsInFlight.forgetAll();
        return mainStore.clear();
    }

    /** A version for a clear of the group on every member: newer than every write this node applied or saw. */
    long clearVersion() {
        return stamps.next();
    }

    /**
     * Checks {@code key} against the limits.
     *
     * @throws InvalidKeyException for a key that breaks them
     */
    public void checkKey(String key) {
        limits.checkKey(key);
    }

    /**
     * Checks the arguments of {@link #put} without storing anything.
     *
     * @throws InvalidKeyException for a key that breaks the limits
     * @throws ValueTooLargeException for a value over the value limit
     * @throws IllegalArgumentException for a TTL that is not positive
     */
    public void checkPut(String key, byte[] value, Optional<Duration> ttl) {
        limits.checkKey(key);
        limits.checkValue(value.length);
        ttl.ifPresent(t -> {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("ttl must be longer than zero, was " + t);
            }
            // Expiries are whole milliseconds: a shorter TTL would expire the value as it is written.
            if (t.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException("ttl must be at least 1 ms, was " + t);
            }
        });
    }

    /**
     * The group's counters. Reads are counted once, by the main store: only {@link #getEntry} and
     * {@link #getHeld} call its {@code get}, everything else peeks.
     */
    public GroupStats stats() {
        StoreStats store = mainStore.stats();
        return new GroupStats(store.gets(), store.hits(), store.misses(), loads.sum(), loadErrors.sum(),
                loadsDeduped.sum(), store);
    }

    /** The keys with a load in flight whose writes {@link WriteEpochs} tracks now. */
    int keysLoading() {
        return writeEpochs.keysLoading();
    }

    /** The newest version this node has given a write or seen from another member. */
    long newestVersion() {
        return stamps.latest();
    }

    /** The group's main store, for the node to sweep and report. */
    public Store mainStore() {
        return mainStore;
    }

    /**
     * Before a read-modify-write of {@code key} as its new owner: when this node does not hold the key, takes
     * the entry its previous holder still has (memory only, never the loader), unless this node holds, or in the
     * last minute deleted or let expire, a version at least as new, or evicted a newer one. Otherwise an INCR, APPEND
     * or SET NX shortly after a ring change would act on a key that only seems absent, and its newer version would
     * then refuse the real entry when it arrives. An unreachable previous holder counts as one without the key, as for
     * reads. Meanwhile the key's owner holds back the key's requests that come after the mutation ({@link KeyQueues}).
     *
     * @return completes when the mutation may run
     */
    CompletableFuture<Void> takeFromPreviousHolder(String key, PreviousHolder previousHolder) {
        if (mainStore.peek(key) != null) {
            return Completed.VOID;
        }
        return takeNewerFromPreviousHolder(key, previousHolder);
    }

    /**
     * As {@link #takeFromPreviousHolder}, also when this node holds the key: its copy may be older than the previous
     * holder's ({@link RegainedCopies}). What the previous holder has is kept only if newer.
     */
    CompletableFuture<Void> takeNewerFromPreviousHolder(String key, PreviousHolder previousHolder) {
        return fetch(key, previousHolder).handle((held, error) -> {
            if (error == null) {
                keepNewer(key, held);
            }
            return null;
        });
    }

    /** Asks {@code previousHolder} for {@code key}; completes with what it had and this node kept, else empty. */
    private CompletableFuture<Optional<StoredValue>> askPreviousHolder(String key, PreviousHolder previousHolder) {
        // An unreachable previous holder is no worse than one without the key: go on as on any miss.
        // A value refused here (written, deleted, expired or evicted since) is not answered: that newer truth is served
        // after the question, and when it is that the key is gone, a read-through group loads it as after any delete.
        return fetch(key, previousHolder).exceptionally(error -> PreviousHolder.Held.NOTHING)
                .thenApply(held -> keepNewer(key, held) ? held.value() : Optional.empty());
    }

    /** {@code previousHolder}'s answer about {@code key}, or its failure, also when it fails to ask. */
    private static CompletableFuture<PreviousHolder.Held> fetch(String key, PreviousHolder previousHolder) {
        try {
            return previousHolder.fetch(key);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Keeps what a previous holder answered about {@code key} if it is newer than what this node holds or last removed
     * of it: its value, or its removal, which takes an older copy away here and is remembered against older writes
     * arriving later, or its eviction, which does so too but is remembered as one made here is: a copy of the evicted
     * write itself, held here or arriving later, is kept. Returns whether a value was kept.
     */
    private boolean keepNewer(String key, PreviousHolder.Held held) {
        if (held.value().isPresent()) {
            StoredValue v = held.value().get();
            return acceptHandedOver(key, v.value(), v.expiresAtMillis(), v.version());
        }
        if (held.removedVersion() != StoredValue.UNVERSIONED) {
            deleteIfNewer(key, held.removedVersion());
        }
        if (held.evictedVersion() != StoredValue.UNVERSIONED) {
            removeIfNewer(key, held.evictedVersion(), recentEvictions);
        }
        return false;
    }

    /** A miss whose previous holder had nothing this node kept: what is here now, else a load, else empty. */
    private CompletableFuture<Optional<StoredValue>> afterQuestion(String key) {
        // The previous holder may also have let go of it because its hand-off reached us meanwhile.
        StoredValue arrived = mainStore.peek(key);
        if (arrived != null) {
            return CompletableFuture.completedFuture(Optional.of(arrived));
        }
        return loadAfterMiss(key);
    }

    private CompletableFuture<Optional<StoredValue>> load(String key, boolean keep) {
        // Noted before the look below, not after: a write landing between that look (which missed) and this
        // line would otherwise count as older than the load, and the origin's older value would replace it.
        WriteEpochs.Load inFlight = writeEpochs.start(key);
        CompletableFuture<Optional<StoredValue>> loaded;
        try {
            loaded = loadNoted(key, keep, inFlight);
        } catch (RuntimeException | Error e) {
            // A loader that throws an Error ends the load as well: its key must not stay tracked for good.
            loaded = CompletableFuture.failedFuture(e);
        }
        return loaded.whenComplete((value, error) -> writeEpochs.finish(inFlight));
    }

    /** The load {@link #load(String, boolean)} has noted as {@code inFlight}, which it finishes however it ends. */
    private CompletableFuture<Optional<StoredValue>> loadNoted(String key, boolean keep, WriteEpochs.Load inFlight) {
        // A load of this key may have finished between our miss in getEntry() and our entering the flight: it
        // cached the value and then left the flight table, so we started a new flight. Looking once more
        // turns that interleaving into a hit instead of a second load of the same key. A peek: the read was
        // already counted (as a miss) and used for eviction by that first look.
        StoredValue cachedMeanwhile = mainStore.peek(key);
        if (cachedMeanwhile != null) {
            return CompletableFuture.completedFuture(Optional.of(cachedMeanwhile));
        }
        loads.increment();
        CompletableFuture<Optional<byte[]>> started;
        try {
            started = loader.load(key);
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        if (started == null) {
            started = CompletableFuture.failedFuture(loaderMistake("returned no future", key));
        }
        CompletableFuture<Optional<byte[]>> loading = started;
        // A dependent future, not the loader's own: the timeout below must not complete the loader's future.
        return started.thenApply(answer -> {
                    if (answer == null) {
                        throw loaderMistake("completed with null instead of a value or Optional.empty()", key);
                    }
                    return answer;
                })
                .orTimeout(settings.loadTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .<Optional<StoredValue>>handle((result, error) -> {
                    if (error != null) {
                        loadErrors.increment();
                        if (error instanceof TimeoutException) {
                            // Every caller is told it timed out: nothing is left to wait for the origin's answer.
                            loading.cancel(true);
                        }
                        throw loadFailure(error);
                    }
                    if (result.isEmpty()) {
                        return Optional.empty();
                    }
                    StoredValue loaded = StoredValue.of(result.get(), expiryOf(settings.defaultTtl()));
                    if (keep) {
                        cacheLoaded(key, loaded, inFlight);
                    }
                    return Optional.of(loaded);
                });
    }

    private void cacheLoaded(String key, StoredValue loaded, WriteEpochs.Load inFlight) {
        try {
            limits.checkValue(loaded.value().length);
            writeEpochs.fillIfUnwritten(inFlight, () -> {
                // Anything the load replaces has expired: a live value would have been a hit, and a write since
                // the load started stops this fill. The store tells of the expired values it removes, not of
                // those a put replaces, so an unversioned load would otherwise lose that value's version.
                StoredValue expired = mainStore.peekIncludingExpired(key);
                if (expired != null) {
                    expiring(key, expired);
                }
                storeOrRefuse(key, loaded.value(), loaded.expiresAtMillis(), StoredValue.UNVERSIONED);
            });
        } catch (ValueTooLargeException e) {
            loadErrors.increment();
            throw new LoadFailedException("the origin's value for group '" + name() + "' cannot be cached: "
                    + e.getMessage(), e);
        }
    }

    private void storeOrRefuse(String key, byte[] value, long expiresAt, long version) {
        try {
            mainStore.put(key, value, expiresAt, version);
        } catch (EntryTooLargeException e) {
            throw doesNotFit(e);
        }
    }

    /**
     * Checks that an entry of {@code key} and {@code value} fits this group's budget, as a write checks it on the
     * owner (every member has the same budget), without writing: for commands that write several entries and must
     * refuse them all before writing any.
     *
     * @throws ValueTooLargeException when it does not fit
     */
    public void checkFits(String key, byte[] value) {
        try {
            mainStore.checkFits(key, value);
        } catch (EntryTooLargeException e) {
            throw doesNotFit(e);
        }
    }

    private ValueTooLargeException doesNotFit(EntryTooLargeException e) {
        return new ValueTooLargeException("the entry does not fit group '" + name() + "': " + e.getMessage(), e);
    }

    /** Runs under the key's write lock; tells {@code written} the write it makes, if any. */
    private MutationResult apply(String key, Mutation mutation, AppliedMutation.Recorder written) {
        StoredValue held = mainStore.peek(key);
        long now = time.nowMillis();
        if (mutation instanceof Mutation.Set set) {
            boolean applies = switch (set.condition()) {
                case ALWAYS -> true;
                case IF_ABSENT -> held == null;
                case IF_PRESENT -> held != null;
            };
            if (applies) {
                writeOrRemove(key, set.value(), expiryFor(set.expiry(), set.expiryMillis(), held, now), now, written);
            }
            return new MutationResult(applies, set.returnOld() && held != null ? held.value() : null, 0);
        }
        if (mutation instanceof Mutation.IncrementBy increment) {
            long sum = increment(held, increment.delta());
            storeAsOwner(key, Long.toString(sum).getBytes(StandardCharsets.US_ASCII),
                    expiryFor(Mutation.ExpiryMode.KEEP, 0, held, now), written);
            return MutationResult.number(sum);
        }
        if (mutation instanceof Mutation.Append append) {
            byte[] base = held == null ? new byte[0] : held.value();
            limits.checkValue((long) base.length + append.suffix().length);
            byte[] joined = new byte[base.length + append.suffix().length];
            System.arraycopy(base, 0, joined, 0, base.length);
            System.arraycopy(append.suffix(), 0, joined, base.length, append.suffix().length);
            storeAsOwner(key, joined, expiryFor(Mutation.ExpiryMode.KEEP, 0, held, now), written);
            return MutationResult.number(joined.length);
        }
        if (mutation instanceof Mutation.Expire expire) {
            if (held == null) {
                return MutationResult.applied(false);
            }
            long deadline = expiryFor(expire.expiry(), expire.expiryMillis(), held, now);
            if (!expireApplies(expire.condition(), held.expiresAtMillis(), deadline)) {
                return MutationResult.applied(false);
            }
            writeOrRemove(key, held.value(), deadline, now, written);
            return MutationResult.applied(true);
        }
        if (mutation instanceof Mutation.Persist) {
            if (held == null || held.expiresAtMillis() == StoredValue.NEVER) {
                return MutationResult.applied(false);
            }
            storeAsOwner(key, held.value(), StoredValue.NEVER, written);
            return MutationResult.applied(true);
        }
        if (mutation instanceof Mutation.GetAndDelete) {
            if (held != null) {
                written.deleted(remove(key).version());
            }
            return MutationResult.value(held == null ? null : held.value());
        }
        if (mutation instanceof Mutation.GetAndExpire getAndExpire) {
            if (held != null && getAndExpire.expiry() != Mutation.ExpiryMode.KEEP) {
                long deadline = expiryFor(getAndExpire.expiry(), getAndExpire.expiryMillis(), held, now);
                if (deadline != held.expiresAtMillis()) {
                    writeOrRemove(key, held.value(), deadline, now, written);
                }
            }
            return MutationResult.value(held == null ? null : held.value());
        }
        throw new IllegalArgumentException("unknown mutation " + mutation);
    }

    private static long increment(StoredValue held, long delta) {
        long current;
        try {
            current = held == null ? 0 : DecimalIntegers.parse(held.value());
        } catch (NumberFormatException e) {
            throw new MutationRefusedException(MutationRefusedException.Reason.NOT_AN_INTEGER,
                    "value is not an integer or out of range");
        }
        try {
            return Math.addExact(current, delta);
        } catch (ArithmeticException e) {
            throw new MutationRefusedException(MutationRefusedException.Reason.WOULD_OVERFLOW,
                    "increment or decrement would overflow");
        }
    }

    /** Redis's rule: a key without an expiry counts as expiring never, later than any deadline. */
    private static boolean expireApplies(Mutation.ExpireCondition condition, long current, long deadline) {
        return switch (condition) {
            case ALWAYS -> true;
            case IF_NO_EXPIRY -> current == StoredValue.NEVER;
            case IF_HAS_EXPIRY -> current != StoredValue.NEVER;
            case IF_LATER -> current != StoredValue.NEVER && deadline > current;
            case IF_SOONER -> current == StoredValue.NEVER || deadline < current;
            case IF_HAS_EXPIRY_AND_SOONER -> current != StoredValue.NEVER && deadline < current;
        };
    }

    /**
     * The absolute expiry a mutation asks for; a relative one of zero or less is due now. An explicit expiry,
     * however far, stays a deadline (Redis reports its TTL), never {@link StoredValue#NEVER}.
     */
    private long expiryFor(Mutation.ExpiryMode mode, long millis, StoredValue held, long now) {
        return switch (mode) {
            case GROUP_DEFAULT -> expiryOf(settings.defaultTtl());
            case KEEP -> held == null ? expiryOf(settings.defaultTtl()) : held.expiresAtMillis();
            case NONE -> StoredValue.NEVER;
            case AFTER_MILLIS -> millis <= 0 ? now : deadlineAfter(now, millis);
            case AT_MILLIS -> Math.min(millis, StoredValue.LATEST_DEADLINE);
        };
    }

    /** Stores the value, or removes the key when its deadline has already come. */
    private void writeOrRemove(String key, byte[] value, long expiresAt, long now, AppliedMutation.Recorder written) {
        if (expiresAt <= now) {
            written.deleted(remove(key).version());
        } else {
            storeAsOwner(key, value, expiresAt, written);
        }
    }

    /** Stores a mutation's result, under the key's write lock, with a new version. */
    private void storeAsOwner(String key, byte[] value, long expiresAt, AppliedMutation.Recorder written) {
        written.stored(value, expiresAt, storeNewVersion(key, value, expiresAt));
    }

    /**
     * Stores a write this node applies as the key's owner, with a new version; returns it. Runs under the key's
     * write lock, so the order of the versions is the order the writes were applied in.
     */
    private long storeNewVersion(String key, byte[] value, long expiresAt) {
        long version = stamps.next();
        storeOrRefuse(key, value, expiresAt, version);
        // As after a delete: once the value is evicted or expires, a get must not wait for a load that asked the
        // origin before this write, but load anew.
        loadsInFlight.forget(key);
        return version;
    }

    /**
     * {@code now} + {@code millis} (positive), at most {@link StoredValue#LATEST_DEADLINE}: a time to live however
     * long stays a deadline (Redis reports its TTL), never {@link StoredValue#NEVER}, and never overflows.
     */
    private static long deadlineAfter(long now, long millis) {
        return millis > StoredValue.LATEST_DEADLINE - now ? StoredValue.LATEST_DEADLINE : now + millis;
    }

    /** Now + {@code ttl} as a deadline ({@link #deadlineAfter}), or {@link StoredValue#NEVER} without a TTL. */
    private long expiryOf(Optional<Duration> ttl) {
        return ttl.map(t -> deadlineAfter(time.nowMillis(), t.compareTo(LONGEST_TTL) > 0 ? Long.MAX_VALUE
                : t.toMillis())).orElse(StoredValue.NEVER);
    }

    private RuntimeException loadFailure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof LoadFailedException || cause instanceof LoadTimeoutException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof TimeoutException) {
            return new LoadTimeoutException("loading a key of group '" + name() + "' took longer than "
                    + settings.loadTimeout().toMillis() + " ms", cause);
        }
        return new LoadFailedException("the loader of group '" + name() + "' failed: " + cause, cause);
    }

    /** A loader that breaks its contract fails the load as an origin failure does, naming the mistake. */
    private LoadFailedException loaderMistake(String mistake, String key) {
        return new LoadFailedException("the loader of group '" + name() + "' " + mistake + " for key '" + key + "'");
    }

    /** A clear of the group: its version, and when it happened on this node's clock. */
    private record Cleared(long version, long atMillis) {
    }
}
