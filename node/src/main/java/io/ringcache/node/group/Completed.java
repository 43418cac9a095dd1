package io.ringcache.node.group;

import java.util.concurrent.CompletableFuture;

/**
 * Futures completed at once, shared by every write that is done when it returns (most writes: applied here,
 * nothing to copy): a pipelined SET then allocates no future of its own, and a cache's young collections, which
 * copy every value written since the last one, come less often. A completed future cannot be completed again
 * ({@code complete} does nothing), so sharing one is safe for callers that only read or chain it, as every
 * caller here does; none may {@code obtrude} a value.
 */
public final class Completed {

    public static final CompletableFuture<Void> VOID = CompletableFuture.completedFuture(null);
    private static final CompletableFuture<Boolean> TRUE = CompletableFuture.completedFuture(true);
    private static final CompletableFuture<Boolean> FALSE = CompletableFuture.completedFuture(false);

    private Completed() {
    }

    public static CompletableFuture<Boolean> of(boolean value) {
        return value ? TRUE : FALSE;
    }

    /** Whether {@code future} has completed normally, so that its result can be read without waiting. */
    public static boolean normally(CompletableFuture<?> future) {
        return future.isDone() && !future.isCompletedExceptionally();
    }
}
