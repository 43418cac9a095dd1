package io.ringcache.node.group;

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
