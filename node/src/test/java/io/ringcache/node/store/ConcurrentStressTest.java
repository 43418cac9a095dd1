package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Four threads of random gets, puts and removes with random value sizes, a third of the puts with a TTL that
 * does not pass during the test (bounded in count and in time), while a checker watches the charge; then the
 * counters must agree with the operations issued and with what is actually held.
 */
class ConcurrentStressTest {

    private static final int THREADS = 4;
    private static final int OPS_PER_THREAD = 200_000;
    private static final long TIME_CAP_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final int KEYS = 500;
    private static final long MAX_BYTES = 64 * 1024;
    private static final int LARGEST_VALUE_BYTES = 4_096;

    @ParameterizedTest
    @EnumSource(EvictionPolicyName.class)
    void countersStayExactAndChargeWithinBudgetUnderConcurrentUse(EvictionPolicyName policy) throws Exception {
        Store store = Stores.create(policy, MAX_BYTES, EntryCharge.BYTES, TimeSource.SYSTEM);
        // The policy stores account and evict under their lock, so no reader ever sees more than the budget.
        // Caffeine adds a write's weight and evicts for it in its maintenance, shortly after the write, and
        // its weighted size is read without its lock: under concurrent writes a reader can catch it above
        // the budget (measured here: up to 5x, with bare Caffeine too). Its bound is asserted at rest below.
        boolean boundHoldsWhileWriting = policy != EvictionPolicyName.TINYLFU;
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong worstCharge = new AtomicLong();
        AtomicLong checks = new AtomicLong();
        Thread checker = new Thread(() -> {
            while (running.get()) {
                worstCharge.accumulateAndGet(store.stats().charge(), Math::max);
                checks.incrementAndGet();
            }
        });
        if (boundHoldsWhileWriting) {
            checker.start();
        }

        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        LongAdder getsIssued = new LongAdder();
        LongAdder putsIssued = new LongAdder();
        long farFuture = System.currentTimeMillis() + TimeUnit.HOURS.toMillis(1);
        long deadline = System.nanoTime() + TIME_CAP_NANOS;
        for (int t = 0; t < THREADS; t++) {
            Thread worker = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try {
                    start.await();
                    for (int i = 0; i < OPS_PER_THREAD && (i % 1024 != 0 || System.nanoTime() < deadline); i++) {
                        String key = "key-" + random.nextInt(KEYS);
                        int op = random.nextInt(100);
                        if (op < 60) {
                            store.get(key);
                            getsIssued.increment();
                        } else if (op < 90) {
                            long expiry = op < 70 ? farFuture : StoredValue.NEVER;
                            store.put(key, new byte[random.nextInt(LARGEST_VALUE_BYTES)], expiry);
                            putsIssued.increment();
                        } else {
                            store.remove(key);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        running.set(false);
        if (boundHoldsWhileWriting) {
            checker.join();
        }

        assertThat(failures).isEmpty();
        StoreStats stats = store.stats();
        assertThat(stats.gets()).isEqualTo(getsIssued.sum());
        assertThat(stats.hits() + stats.misses()).isEqualTo(stats.gets());
        assertThat(stats.puts()).isEqualTo(putsIssued.sum());
        assertThat(stats.expirations()).isZero();
        long present = 0;
        long presentCharge = 0;
        long presentWithTtl = 0;
        for (int k = 0; k < KEYS; k++) {
            String key = "key-" + k;
            if (store.containsKey(key)) {
                StoredValue value = store.get(key);
                present++;
                presentCharge += EntryCharge.BYTES.charge(key, value.value());
                presentWithTtl += value.expiresAtMillis() == StoredValue.NEVER ? 0 : 1;
            }
        }
        if (boundHoldsWhileWriting) {
            assertThat(checks.get()).isPositive();
            assertThat(worstCharge.get()).isLessThanOrEqualTo(MAX_BYTES);
        }
        assertThat(stats.charge()).isLessThanOrEqualTo(MAX_BYTES).isEqualTo(presentCharge);
        assertThat(stats.entries()).isEqualTo(present);
        if (store instanceof CaffeineStore caffeine) {
            assertThat(caffeine.trackedExpiries()).isEqualTo(presentWithTtl);
        }
    }

    /** An operator compares gets with hits + misses: every snapshot must add up, not only one taken at rest. */
    @ParameterizedTest
    @EnumSource(EvictionPolicyName.class)
    void everySnapshotTakenDuringReadsHasGetsEqualToHitsPlusMisses(EvictionPolicyName policy) throws Exception {
        Store store = Stores.create(policy, MAX_BYTES, EntryCharge.BYTES, TimeSource.SYSTEM);
        for (int k = 0; k < KEYS; k += 2) {
            store.put("key-" + k, new byte[8], StoredValue.NEVER);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread reader = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (running.get()) {
                    store.get("key-" + random.nextInt(KEYS));
                }
            });
            readers.add(reader);
            reader.start();
        }
        List<StoreStats> unbalanced = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        try {
            while (System.nanoTime() < deadline && unbalanced.isEmpty()) {
                StoreStats stats = store.stats();
                if (stats.gets() != stats.hits() + stats.misses()) {
                    unbalanced.add(stats);
                }
            }
        } finally {
            running.set(false);
            for (Thread reader : readers) {
                reader.join();
            }
        }
        assertThat(unbalanced).isEmpty();
        assertThat(store.stats().gets()).isPositive();
    }
}
