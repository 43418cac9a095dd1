package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExpirySweeperTest {

    @Test
    void sweeperExpiresEntriesOfRegisteredStoresWithoutReads() {
        FakeClock clock = new FakeClock();
        Store store = Stores.create(EvictionPolicyName.LRU, 1_000, EntryCharge.BYTES, clock);
        store.put("k", new byte[1], clock.nowMillis() + 10);
        clock.advanceMillis(10);

        try (ExpirySweeper sweeper = new ExpirySweeper(Duration.ofMillis(5))) {
            sweeper.register(store);
            await().atMost(Duration.ofSeconds(5)).until(() -> store.stats().expirations() > 0);
        }
        assertThat(store.stats()).extracting(StoreStats::expirations, StoreStats::entries, StoreStats::gets)
                .containsExactly(1L, 0L, 0L);
    }

    @Test
    void aFailingStoreDoesNotStopTheSweep() throws InterruptedException {
        int sweepsOfBad = sweepsOfAFailingStoreBesideAGoodOne(sweep -> {
            throw new IllegalStateException("broken store (expected by the test)");
        });
        assertThat(sweepsOfBad).isGreaterThanOrEqualTo(2);
    }

    /**
     * An Error out of one sweep (an expiry listener's broken assertion, say) is no reason to stop expiring: thrown out
     * of the sweeper's scheduled task it would cancel every later sweep, silently. The entry the failed sweep left
     * behind is expired by the next one.
     */
    @ParameterizedTest
    @EnumSource(EvictionPolicyName.class)
    void sweepingGoesOnAfterASweepFailsWithAnError(EvictionPolicyName policy) {
        FakeClock clock = new FakeClock();
        Store store = Stores.create(policy, 1_000, EntryCharge.BYTES, clock);
        AtomicInteger told = new AtomicInteger();
        store.onExpiry((key, value) -> {
            if (told.incrementAndGet() == 1) {
                throw new AssertionError("broken listener (expected by the test)");
            }
        });
        store.put("k", new byte[1], clock.nowMillis() + 10);
        clock.advanceMillis(10);

        try (ExpirySweeper sweeper = new ExpirySweeper(Duration.ofMillis(5))) {
            sweeper.register(store);
            await().atMost(Duration.ofSeconds(5)).until(() -> store.stats().expirations() > 0);
        }
        assertThat(told.get()).as("the failed sweep and the one that expired the entry").isEqualTo(2);
        assertThat(store.stats().entries()).isZero();
    }

    /**
     * The virtual machine's own errors do not stop the sweep either: a stack overflow is over once the stack has
     * unwound, and an expiry sweep is what gives memory back when the heap runs short.
     */
    @Test
    void sweepingGoesOnAfterSweepsFailWithVirtualMachineErrors() throws InterruptedException {
        int sweepsOfBad = sweepsOfAFailingStoreBesideAGoodOne(sweep -> {
            if (sweep % 2 == 1) {
                throw new StackOverflowError("deep listener (expected by the test)");
            }
            throw new OutOfMemoryError("short heap (expected by the test)");
        });
        assertThat(sweepsOfBad).isGreaterThanOrEqualTo(3);
    }

    /**
     * Registers a store whose every sweep throws what {@code failure} throws (given the sweep's number, from 1) and,
     * after it, a good store; waits for three sweeps of the good one and returns how often the bad one was swept.
     */
    private static int sweepsOfAFailingStoreBesideAGoodOne(IntConsumer failure) throws InterruptedException {
        Store good = Stores.create(EvictionPolicyName.FIFO, 1_000, EntryCharge.BYTES, TimeSource.SYSTEM);
        AtomicInteger sweepsOfBad = new AtomicInteger();
        CountDownLatch sweepsOfGood = new CountDownLatch(3);
        Store bad = new ForwardingStore(good) {
            @Override
            public void expireNow() {
                failure.accept(sweepsOfBad.incrementAndGet());
            }
        };
        Store counted = new ForwardingStore(good) {
            @Override
            public void expireNow() {
                sweepsOfGood.countDown();
            }
        };

        try (ExpirySweeper sweeper = new ExpirySweeper(Duration.ofMillis(5))) {
            sweeper.register(bad);
            sweeper.register(counted);
            assertThat(sweepsOfGood.await(5, TimeUnit.SECONDS)).isTrue();
        }
        return sweepsOfBad.get();
    }
}
