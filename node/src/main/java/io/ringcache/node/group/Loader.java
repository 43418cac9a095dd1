package io.ringcache.node.group;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Produces the value of a key the cache does not hold: the "origin" of a read-through group.
 * A group calls its loader at most once at a time per key (singleflight) and only on a miss.
 */
@FunctionalInterface
public interface Loader {

    /**
     * Starts loading {@code key} and returns at once; the caller may be an event loop, so never block.
     *
     * @return completes with the value, with {@link Optional#empty()} when the origin has no such key, or
     *     exceptionally with {@link LoadFailedException} when the origin failed; a group also times it out, and then
     *     cancels it: a loader should stop its work when the returned future is cancelled. Never {@code null}, nor
     *     completed with {@code null}: a group fails such a load with {@link LoadFailedException}
     */
    CompletableFuture<Optional<byte[]>> load(String key);
}
