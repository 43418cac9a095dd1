package io.ringcache.node.store;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * A lossy, striped buffer of read events (the node that was read), the shape of Caffeine's read buffer.
 *
 * <p>Design note. Any thread may {@link #offer} concurrently; a thread always uses the stripe picked by
 * its id, so readers on different cores rarely touch the same counter. Each stripe is a fixed ring: a
 * writer claims a slot by CAS on the stripe's write counter and then publishes the node into it. Only
 * the thread holding the owning store's lock may {@link #drainTo drain}; it alone advances the read
 * counters. An offer that loses a CAS race is dropped (a policy hint, not data); an offer into a full
 * stripe is refused so the caller can drain under a try-lock and replay the event itself, which means a
 * single reader thread never loses an event.
 */
final class ReadBuffer {

    /** What happened to an offered event. */
    enum Offer { ADDED, FULL, DROPPED }

    private static final int STRIPE_CAPACITY = 16;
    private static final int STRIPE_MASK = STRIPE_CAPACITY - 1;

    private final int stripeMask;
    private final AtomicReferenceArray<Node> slots;
    /** Per stripe: events claimed (written by offering threads). Stride 8 keeps stripes on separate cache lines. */
    private final AtomicLongArray writeCounts;
    /** Per stripe: events consumed (written only by the draining lock holder). */
    private final AtomicLongArray readCounts;
    private static final int STRIDE = 8;

    ReadBuffer() {
        int stripes = Integer.highestOneBit(Math.min(16, Math.max(1, Runtime.getRuntime().availableProcessors())) * 2 - 1);
        this.stripeMask = stripes - 1;
        this.slots = new AtomicReferenceArray<>(stripes * STRIPE_CAPACITY);
        this.writeCounts = new AtomicLongArray(stripes * STRIDE);
        this.readCounts = new AtomicLongArray(stripes * STRIDE);
    }

    /** Records that {@code node} was read. Never blocks. */
    Offer offer(Node node) {
        int stripe = stripeOfCurrentThread();
        int counter = stripe * STRIDE;
        long tail = writeCounts.get(counter);
        if (tail - readCounts.get(counter) >= STRIPE_CAPACITY) {
            return Offer.FULL;
        }
        if (!writeCounts.compareAndSet(counter, tail, tail + 1)) {
            return Offer.DROPPED;
        }
        // The slot is claimed but not yet visible; a drainer seeing null stops there and retries later.
        slots.lazySet(stripe * STRIPE_CAPACITY + (int) (tail & STRIPE_MASK), node);
        return Offer.ADDED;
    }

    /** Hands every published event to {@code consumer}, stripe by stripe in offer order. Lock holder only. */
    void drainTo(Consumer<Node> consumer) {
        for (int stripe = 0; stripe <= stripeMask; stripe++) {
            int counter = stripe * STRIDE;
            long head = readCounts.get(counter);
            long tail = writeCounts.get(counter);
            for (; head < tail; head++) {
                int slot = stripe * STRIPE_CAPACITY + (int) (head & STRIPE_MASK);
                Node node = slots.get(slot);
                if (node == null) {
                    break;
                }
                slots.lazySet(slot, null);
                consumer.accept(node);
            }
            // Published after the slots are cleared, so a writer never reuses a slot still holding an event.
            readCounts.set(counter, head);
        }
    }

    private int stripeOfCurrentThread() {
        long id = Thread.currentThread().getId();
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> 40) & stripeMask;
    }
}
