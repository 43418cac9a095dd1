package io.ringcache.node.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A few exact counts that a store bumps without an atomic instruction: hits and misses on every get, and for
 * {@code tinylfu} puts, evictions and expiries too.
 *
 * <p>Each thread adds to a cell that it alone owns, picked by its thread id, with a plain write. A {@link LongAdder}
 * does the same add with a compare-and-swap, which on x86 is a full fence. Measured on the {@code tinylfu} store,
 * counting its gets with plain writes gave 1.00 to 1.12 times the 2-thread get throughput of counting them with
 * {@code LongAdder}s over five measurements, and nothing measurable at 1 thread ({@code bench/RESULTS.md},
 * nineteenth session). Counts that the same threads bump (a get's hit or miss) share a cell: a thread keeps one
 * cell's line or two in its cache instead of one per count, which gave 2-thread get 1.05 times the throughput of
 * a counter per count in paired runs (twenty-fourth session).
 *
 * <p>A thread whose cell another live thread owns adds to a shared {@link LongAdder} instead, so collisions cost
 * speed, never counts. A cell whose owner has ended is taken over by the next thread that needs it, which goes on
 * from the ended owner's counts, so nothing an ended thread counted is lost and the cells do not run out as a
 * pool's threads come and go.
 */
final class ThreadOwnedCounters {

    /** Cells for this many thread ids; a power of two. Event-loop threads are made together and have nearby ids. */
    private static final int CELLS = 64;

    /** The most counts a cell holds: 128 bytes, the pair of cache lines the processor fetches together. */
    private static final int MAX_KINDS = 16;

    /**
     * Longs from one cell's start to the next's: 256 bytes. The array is aligned to 8 bytes only, so a cell of up to
     * 128 bytes can start anywhere in a pair of lines and reach into the next pair; 256 bytes apart, no two threads'
     * cells share a line or a pair. Cell {@code i} starts at {@code (i + 1) * STRIDE}, keeping cell 0 off the array's
     * header and whatever the heap put before it.
     */
    private static final int STRIDE = 2 * MAX_KINDS;

    private static final VarHandle OWNERS = MethodHandles.arrayElementVarHandle(Thread[].class);
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final Thread[] owners = new Thread[CELLS];
    private final long[] counts = new long[(CELLS + 1) * STRIDE];
    private final LongAdder[] shared;
    /** How many counts a cell holds; a field of this object, so checking a kind touches no other line. */
    private final int kinds;

    /** Counters of {@code kinds} counts, numbered {@code 0} to {@code kinds - 1}. */
    ThreadOwnedCounters(int kinds) {
        if (kinds < 1 || kinds > MAX_KINDS) {
            throw new IllegalArgumentException("a cell holds 1 to " + MAX_KINDS + " counts, not " + kinds);
        }
        this.kinds = kinds;
        shared = new LongAdder[kinds];
        for (int kind = 0; kind < kinds; kind++) {
            shared[kind] = new LongAdder();
        }
    }

    /** Adds one to count {@code kind}. */
    void increment(int kind) {
        Objects.checkIndex(kind, kinds);
        Thread thread = Thread.currentThread();
        int cell = cellOf(thread);
        if (owners[cell] == thread) {
            int at = offsetOf(cell) + kind;
            // Only the owner writes its cell, so it reads its own last write. A release store is a plain one on
            // x86; it makes the count visible to sum() without the fence of an atomic add.
            COUNTS.setRelease(counts, at, counts[at] + 1);
        } else {
            incrementUnowned(thread, cell, kind);
        }
    }

    /**
     * Count {@code kind}: every increment that happens-before this call (a joined thread's, a served request's),
     * and maybe some that overlap it, as with {@link LongAdder#sum()}.
     */
    long sum(int kind) {
        Objects.checkIndex(kind, kinds);
        long sum = shared[kind].sum();
        for (int cell = 0; cell < CELLS; cell++) {
            sum += (long) COUNTS.getAcquire(counts, offsetOf(cell) + kind);
        }
        return sum;
    }

    /** What threads that found their cell owned by another live thread added to count {@code kind}; for tests. */
    long sharedSum(int kind) {
        Objects.checkIndex(kind, kinds);
        return shared[kind].sum();
    }

    private void incrementUnowned(Thread thread, int cell, int kind) {
        Thread owner = (Thread) OWNERS.getVolatile(owners, cell);
        if ((owner == null || hasEnded(owner)) && OWNERS.compareAndSet(owners, cell, owner, thread)) {
            // An ended owner's last writes happen-before isAlive() returned false, so its counts are read whole here.
            int at = offsetOf(cell) + kind;
            COUNTS.setRelease(counts, at, (long) COUNTS.getVolatile(counts, at) + 1);
        } else {
            shared[kind].increment();
        }
    }

    /**
     * Whether {@code owner} has ended. The state is a field read, cheap enough for every collision; only
     * {@code isAlive()} (a native call) guarantees that the thread's writes are visible, so it confirms.
     */
    private static boolean hasEnded(Thread owner) {
        return owner.getState() == Thread.State.TERMINATED && !owner.isAlive();
    }

    private static int cellOf(Thread thread) {
        return (int) thread.getId() & (CELLS - 1);
    }

    private static int offsetOf(int cell) {
        return (cell + 1) * STRIDE;
    }
}
