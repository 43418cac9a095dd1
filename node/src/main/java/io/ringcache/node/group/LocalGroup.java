package io.ringcache.node.group;

import io.ringcache.node.store.EntryTooLargeException;
import io.ringcache.node.store.Store;
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
import java.util.concurrent.atomic.LongAdder;

/**
 * This node's own part of a group: the keys it is authoritative for. Look in memory, else load once
 * (however many callers wait), else not found. Writes and deletes apply to memory and win over loads that started before them. Every method checks the
 * key and value limits first, so a refused request changes nothing.
 *
 * <p>Thread-safe: the store is concurrent, loads are deduplicated by {@link SingleFlight}, and the only
 * lock is the per-stripe monitor of {@link WriteEpochs}, held for one store write.
 */
public final class LocalGroup {

    private final GroupSettings settings;
    /** The entries this node holds for the group. */
    private final Store mainStore;
    /** Where misses are loaded from; {@code null} for a plain key-value group. */
    private final Loader loader;
    private final Limits limits;
    private final TimeSource time;
    private final SingleFlight<Optional<byte[]>> loadsInFlight = new SingleFlight<>();
    private final WriteEpochs writeEpochs = new WriteEpochs();

    private final LongAdder gets = new LongAdder();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
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
    }

    public String name() {
        return settings.name();
    }

    public GroupSettings settings() {
        return settings;
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
        limits.checkKey(key);
        gets.increment();
        StoredValue held = mainStore.get(key);
        if (held != null) {
            hits.increment();
            return CompletableFuture.completedFuture(Optional.of(held.value()));
        }
        misses.increment();
        if (loader == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return loadsInFlight.run(key, this::loadAndCache, loadsDeduped::increment);
    }

    /**
     * Stores {@code value} under {@code key}, replacing any older value.
     *
     * @param ttl the value's time to live; empty means the group's default TTL (if any)
     * @throws InvalidKeyException for a key that breaks the limits
     * @throws ValueTooLargeException for a value over the value limit or the group's whole budget
     * @throws IllegalArgumentException for a TTL that is not positive
     */
    public void put(String key, byte[] value, Optional<Duration> ttl) {
        checkPut(key, value, ttl);
        long expiresAt = expiryOf(ttl.or(settings::defaultTtl));
        writeEpochs.write(key, () -> storeOrRefuse(key, value, expiresAt));
    }

    /**
     * Removes {@code key}; a load of it already in flight will not cache its result.
     *
     * @return whether a value was removed
     * @throws InvalidKeyException for a key that breaks the limits
     */
    public boolean delete(String key) {
        checkKey(key);
        boolean[] removed = new boolean[1];
        writeEpochs.write(key, () -> removed[0] = mainStore.remove(key));
        return removed[0];
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
        checkMutation(key, mutation);
        MutationResult[] result = new MutationResult[1];
        writeEpochs.write(key, () -> result[0] = apply(key, mutation));
        return result[0];
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

    /**
     * The value this node holds for {@code key} with its expiry, or {@code null}: never loaded, not counted as a
     * read and not a use of the key for eviction, since it answers questions about the entry (its TTL, whether
     * it exists).
     *
     * @throws InvalidKeyException for a key that breaks the limits
     */
    public StoredValue getEntry(String key) {
        limits.checkKey(key);
        return mainStore.peek(key);
    }

    /** The number of entries this node holds for the group, including expired ones not yet swept. */
    public long size() {
        return mainStore.stats().entries();
    }

    /**
     * Removes every entry this node holds for the group; loads in flight when it starts do not cache their
     * result. Writes racing with it may survive it, each whole.
     *
     * @return the number of live entries removed
     */
    public long clear() {
        writeEpochs.advanceAll();
        return mainStore.clear();
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
        });
    }

    public GroupStats stats() {
        return new GroupStats(gets.sum(), hits.sum(), misses.sum(), loads.sum(), loadErrors.sum(),
                loadsDeduped.sum(), mainStore.stats());
    }

    /** The group's main store, for the node to sweep and report. */
    public Store mainStore() {
        return mainStore;
    }

    private CompletableFuture<Optional<byte[]>> loadAndCache(String key) {
        // A load of this key may have finished between our miss in get() and our entering the flight: it
        // cached the value and then left the flight table, so we started a new flight. Looking once more
        // turns that interleaving into a hit instead of a second load of the same key.
        StoredValue cachedMeanwhile = mainStore.get(key);
        if (cachedMeanwhile != null) {
            return CompletableFuture.completedFuture(Optional.of(cachedMeanwhile.value()));
        }
        loads.increment();
        long epoch = writeEpochs.current(key);
        CompletableFuture<Optional<byte[]>> loading;
        try {
            loading = loader.load(key).copy();
        } catch (RuntimeException e) {
            loading = CompletableFuture.failedFuture(e);
        }
        return loading
                .orTimeout(settings.loadTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((result, error) -> {
                    if (error != null) {
                        loadErrors.increment();
                        throw loadFailure(error);
                    }
                    result.ifPresent(value -> cacheLoaded(key, value, epoch));
                    return result;
                });
    }

    private void cacheLoaded(String key, byte[] value, long epoch) {
        try {
            limits.checkValue(value.length);
            long expiresAt = expiryOf(settings.defaultTtl());
            writeEpochs.runIfUnchanged(key, epoch, () -> storeOrRefuse(key, value, expiresAt));
        } catch (ValueTooLargeException e) {
            loadErrors.increment();
            throw new LoadFailedException("the origin's value for group '" + name() + "' cannot be cached: "
                    + e.getMessage(), e);
        }
    }

    private void storeOrRefuse(String key, byte[] value, long expiresAt) {
        try {
            mainStore.put(key, value, expiresAt);
        } catch (EntryTooLargeException e) {
            throw new ValueTooLargeException("the entry does not fit group '" + name() + "': " + e.getMessage(), e);
        }
    }

    /** Runs under the key's write lock. */
    private MutationResult apply(String key, Mutation mutation) {
        StoredValue held = mainStore.peek(key);
        long now = time.nowMillis();
        if (mutation instanceof Mutation.Set set) {
            boolean applies = switch (set.condition()) {
                case ALWAYS -> true;
                case IF_ABSENT -> held == null;
                case IF_PRESENT -> held != null;
            };
            if (applies) {
                writeOrRemove(key, set.value(), expiryFor(set.expiry(), set.expiryMillis(), held, now), now);
            }
            return new MutationResult(applies, set.returnOld() && held != null ? held.value() : null, 0);
        }
        if (mutation instanceof Mutation.IncrementBy increment) {
            long sum = increment(held, increment.delta());
            storeOrRefuse(key, Long.toString(sum).getBytes(StandardCharsets.US_ASCII),
                    expiryFor(Mutation.ExpiryMode.KEEP, 0, held, now));
            return MutationResult.number(sum);
        }
        if (mutation instanceof Mutation.Append append) {
            byte[] base = held == null ? new byte[0] : held.value();
            limits.checkValue((long) base.length + append.suffix().length);
            byte[] joined = new byte[base.length + append.suffix().length];
            System.arraycopy(base, 0, joined, 0, base.length);
            System.arraycopy(append.suffix(), 0, joined, base.length, append.suffix().length);
            storeOrRefuse(key, joined, expiryFor(Mutation.ExpiryMode.KEEP, 0, held, now));
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
            writeOrRemove(key, held.value(), deadline, now);
            return MutationResult.applied(true);
        }
        if (mutation instanceof Mutation.Persist) {
            if (held == null || held.expiresAtMillis() == StoredValue.NEVER) {
                return MutationResult.applied(false);
            }
            storeOrRefuse(key, held.value(), StoredValue.NEVER);
            return MutationResult.applied(true);
        }
        if (mutation instanceof Mutation.GetAndDelete) {
            if (held != null) {
                mainStore.remove(key);
            }
            return MutationResult.value(held == null ? null : held.value());
        }
        if (mutation instanceof Mutation.GetAndExpire getAndExpire) {
            if (held != null && getAndExpire.expiry() != Mutation.ExpiryMode.KEEP) {
                long deadline = expiryFor(getAndExpire.expiry(), getAndExpire.expiryMillis(), held, now);
                if (deadline != held.expiresAtMillis()) {
                    writeOrRemove(key, held.value(), deadline, now);
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

    /** The absolute expiry a mutation asks for; a relative one of zero or less is due now. */
    private long expiryFor(Mutation.ExpiryMode mode, long millis, StoredValue held, long now) {
        return switch (mode) {
            case GROUP_DEFAULT -> expiryOf(settings.defaultTtl());
            case KEEP -> held == null ? expiryOf(settings.defaultTtl()) : held.expiresAtMillis();
            case NONE -> StoredValue.NEVER;
            case AFTER_MILLIS -> millis <= 0 ? now : saturatedSum(now, millis);
            case AT_MILLIS -> millis;
        };
    }

    /** Stores the value, or removes the key when its deadline has already come. */
    private void writeOrRemove(String key, byte[] value, long expiresAt, long now) {
        if (expiresAt <= now) {
            mainStore.remove(key);
        } else {
            storeOrRefuse(key, value, expiresAt);
        }
    }

    private static long saturatedSum(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? StoredValue.NEVER : sum;
    }

    private long expiryOf(Optional<Duration> ttl) {
        return ttl.map(t -> time.nowMillis() + t.toMillis()).orElse(StoredValue.NEVER);
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
}
