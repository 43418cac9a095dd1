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
 * nineteenth session). The counts that one operation bumps (a get's hit or miss) share the cell, so an operation
 * finds its cell once and touches one cache line whichever count it bumps.
 *
 * <p>A thread whose cell another live thread owns adds to a shared {@link LongAdder} instead, so collisions cost
 * speed, never counts. A cell whose owner has ended is taken over by the next thread that needs it, which goes on
 * from the ended owner's counts, so nothing an ended thread counted is lost and the cells do not run out as a
 * pool's threads come and go.
 */
final class ThreadOwnedCounters {

    /** Cells for this many thread ids; a power of two. Event-loop threads are made together and have nearby ids. */
    private static final int CELLS = 64;

    /**
     * Longs between two cells: 128 bytes, so that no two threads' cells share a cache line or the pair of lines
     * the processor fetches together. Cell {@code i} is at {@code (i + 1) * STRIDE}, keeping cell 0 off the
     * array's header and whatever the heap put before it. A cell holds up to this many counts.
     */
    private static final int STRIDE = 16;

    private static final VarHandle OWNERS = MethodHandles.arrayElementVarHandle(Thread[].class);
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final Thread[] owners = new Thread[CELLS];
    private final long[] counts = new long[(CELLS + 1) * STRIDE];
    private final LongAdder[] shared;
    /** How many counts a cell holds; a field of this object, so checking a kind touches no other line. */
    private final int kinds;

    /** Counters of {@code kinds} counts, numbered {@code 0} to {@code kinds - 1}. */
    ThreadOwnedCounters(int kinds) {
        if (kinds < 1 || kinds > STRIDE) {
            throw new IllegalArgumentException("a cell holds 1 to " + STRIDE + " counts, not " + kinds);
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
        long sum = shared[kind].sum();
        for (int cell = 0; cell < CELLS; cell++) {
            sum += (long) COUNTS.getAcquire(counts, offsetOf(cell) + kind);
        }
        return sum;
    }

    /** What threads that found their cell owned by another live thread added to count {@code kind}; for tests. */
    long sharedSum(int kind) {
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
