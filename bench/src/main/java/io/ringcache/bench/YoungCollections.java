package io.ringcache.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Brings about collections of the young generation by allocating short-lived garbage, so that what a benchmark's
 * setup allocated is laid out the way the collector lays out long-lived objects.
 *
 * <p>Why a cache benchmark needs it: a server's cache entries live far longer than one young collection, and the
 * collector copies them out of the allocation buffers, mostly next to what they reference. A cache that was
 * filled and then only read has no collection at all, so it is read with every entry where the fill allocated it, a
 * state a server's cache is in only for its first seconds. Which of the two layouts a read walks moved get at 2 threads
 * by about a tenth, in opposite directions for the {@code tinylfu} store and bare Caffeine (bench/RESULTS.md,
 * twenty-third session).
 */
final class YoungCollections {

    private static final int GARBAGE_ARRAY_BYTES = 64 * 1024;
    /** Far more garbage than two young collections take on the benchmark's 2 GiB heap. */
    private static final long MAX_GARBAGE_BYTES = 64L << 30;
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);

    /** Keeps each garbage array reachable until the next one, so that the JIT cannot drop the allocation. */
    private static volatile byte[] lastGarbage;

    private YoungCollections() {
    }

    /**
     * Allocates garbage until the JVM has run {@code count} more collections (of any collector), and returns.
     *
     * @throws IllegalStateException if they have not happened within 64 GiB of garbage or a minute
     */
    static void await(int count) {
        long before = collections();
        long start = System.nanoTime();
        for (long allocated = 0; collections() < before + count; allocated += GARBAGE_ARRAY_BYTES) {
            long elapsed = System.nanoTime() - start;
            if (allocated >= MAX_GARBAGE_BYTES || elapsed > MAX_WAIT.toNanos()) {
                throw new IllegalStateException((collections() - before) + " of " + count + " collections after "
                        + allocated + " bytes of garbage in " + Duration.ofNanos(elapsed).toMillis()
                        + " ms: the benchmark needs a collector that collects the young generation");
            }
            lastGarbage = new byte[GARBAGE_ARRAY_BYTES];
        }
    }

    private static long collections() {
        long total = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, collector.getCollectionCount());
        }
        return total;
    }
}
