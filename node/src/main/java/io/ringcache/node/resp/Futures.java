package io.ringcache.node.resp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Combining the futures of multi-key commands. */
final class Futures {

    private Futures() {
    }

    /** The results in the order of {@code futures}, once all are done; fails with the first failure. */
    static <T> CompletableFuture<List<T>> allInOrder(List<CompletableFuture<T>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<T> results = new ArrayList<>(futures.size());
            for (CompletableFuture<T> future : futures) {
                results.add(future.join());
            }
            return results;
        });
    }

    /** How many of {@code futures} completed with {@code true}. */
    static CompletableFuture<Long> countTrue(List<CompletableFuture<Boolean>> futures) {
        return allInOrder(futures).thenApply(results -> results.stream().filter(Boolean::booleanValue).count());
    }
}
