package io.ringcache.node.group;

import io.ringcache.node.store.StoredValue;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A named group as the front ends (HTTP, RESP) see it: every method may be served by another node, so
 * every result is a future. Arguments are checked before anything happens: a key or value that breaks the
 * limits throws at once and changes nothing anywhere.
 */
public final class Group {

    /** The keys this node is authoritative for, its loader and its counters. */
    private final LocalGroup local;

    public Group(LocalGroup local) {
        this.local = Objects.requireNonNull(local, "local");
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
     *     {@link LoadFailedException} or {@link LoadTimeoutException}
     */
    public CompletableFuture<Optional<byte[]>> get(String key) {
        return local.get(key);
    }

    /**
     * Stores {@code value} under {@code key}; the future completes once the write is acknowledged.
     *
     * @param ttl the value's time to live; empty means the group's default TTL (if any)
     * @throws InvalidKeyException for a key that breaks the limits
     * @throws ValueTooLargeException for a value over the value limit
     * @throws IllegalArgumentException for a TTL that is not positive
     * @return completes when acknowledged; exceptionally with {@link ValueTooLargeException} when the entry does
     *     not fit the group's budget
     */
    public CompletableFuture<Void> put(String key, byte[] value, Optional<Duration> ttl) {
        local.checkPut(key, value, ttl);
        return run(() -> local.put(key, value, ttl));
    }

    /**
     * Removes {@code key}; the future completes once the delete is acknowledged.
     *
     * @throws InvalidKeyException for a key that breaks the limits
     * @return completes with whether a value was removed
     */
    public CompletableFuture<Boolean> delete(String key) {
        local.checkKey(key);
        return CompletableFuture.completedFuture(local.delete(key));
    }

    /**
     * Applies {@code mutation} to {@code key} atomically on the key's owner: no write, delete or other mutation
     * of the key interleaves with it, wherever it was sent from. It acts on the value held in memory and never
     * calls the loader. What it returns is documented on each {@link Mutation} record.
     *
     * @throws InvalidKeyException at once, for a key that breaks the limits
     * @throws ValueTooLargeException at once, for a value or suffix over the value limit
     * @return completes with the result, or exceptionally with {@link MutationRefusedException} (the value
     *     held is not an integer, the sum would overflow) or {@link ValueTooLargeException} (the result passes
     *     the value limit or does not fit the group's budget); a refused mutation changes nothing
     */
    public CompletableFuture<MutationResult> mutate(String key, Mutation mutation) {
        local.checkMutation(key, mutation);
        try {
            return CompletableFuture.completedFuture(local.mutate(key, mutation));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The value held for {@code key} with its expiry ({@link StoredValue#NEVER} for none), as the key's owner
     * holds it: never loaded, and not counted as a read or a use of the key (for TTL, EXISTS, TYPE).
     *
     * @throws InvalidKeyException at once, for a key that breaks the limits
     * @return completes with the entry, or empty when the key holds no live value
     */
    public CompletableFuture<Optional<StoredValue>> getEntry(String key) {
        local.checkKey(key);
        return CompletableFuture.completedFuture(Optional.ofNullable(local.getEntry(key)));
    }

    /**
     * The number of entries of the group in the whole cluster (each key counted on its owner), including
     * expired entries not yet swept.
     */
    public CompletableFuture<Long> size() {
        return CompletableFuture.completedFuture(local.size());
    }

    /**
     * Removes every entry of the group in the whole cluster; completes once every node has. Writes that race
     * with it may survive it, each whole; loads in flight when it starts do not cache their result.
     */
    public CompletableFuture<Void> clear() {
        return run(local::clear);
    }

    /** This node's counters for the group. */
    public GroupStats stats() {
        return local.stats();
    }

    /** This node's own part of the group. */
    public LocalGroup local() {
        return local;
    }

    private static CompletableFuture<Void> run(Runnable action) {
        try {
            action.run();
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
