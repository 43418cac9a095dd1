package io.ringcache.node.group;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Runs at most one call per key at a time: callers that arrive while a call for their key is in flight
 * share its outcome, value or error. The in-flight entry is removed when the call completes in any way
 * (value, exception, timeout), before any caller is told, so a failure is never remembered.
 *
 * @param <V> the result type
 */
final class SingleFlight<V> {

    private final ConcurrentHashMap<String, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

    /**
     * Returns the outcome of {@code call.apply(key)}, started now or joined if already in flight.
     * Each caller gets its own future, so one caller cancelling does not cancel the others.
     */
    CompletableFuture<V> run(String key, Function<String, CompletableFuture<V>> call, Runnable onJoin) {
        CompletableFuture<V> flight = new CompletableFuture<>();
        CompletableFuture<V> existing = inFlight.putIfAbsent(key, flight);
        if (existing != null) {
            onJoin.run();
            return existing.copy();
        }
        CompletableFuture<V> started;
        try {
            started = call.apply(key);
        } catch (RuntimeException | Error e) {
            started = CompletableFuture.failedFuture(e);
        }
        started.whenComplete((value, error) -> {
            inFlight.remove(key, flight);
            if (error != null) {
                flight.completeExceptionally(error);
            } else {
                flight.complete(value);
            }
        });
        return flight.copy();
    }

    /**
     * Lets the call in flight for {@code key}, if any, answer only the callers already waiting on it: the next caller
     * starts a new call. For when what that call will answer is out of date, the key having been deleted since it
     * started. Its completion then leaves a newer call's entry in place.
     */
    void forget(String key) {
        inFlight.remove(key);
    }

    /** As {@link #forget}, for every key. */
    void forgetAll() {
        inFlight.clear();
    }

    /** Keys with a call in flight now. */
    int inFlightCount() {
        return inFlight.size();
    }
}
