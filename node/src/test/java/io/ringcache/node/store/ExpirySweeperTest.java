package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

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
        Store good = Stores.create(EvictionPolicyName.FIFO, 1_000, EntryCharge.BYTES, TimeSource.SYSTEM);
        AtomicInteger sweepsOfBad = new AtomicInteger();
        CountDownLatch sweepsOfGood = new CountDownLatch(3);
        Store bad = new CountingStore(good) {
            @Override
            public void expireNow() {
                sweepsOfBad.incrementAndGet();
                throw new IllegalStateException("broken store (expected by the test)");
            }
        };
        Store counted = new CountingStore(good) {
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
        assertThat(sweepsOfBad.get()).isGreaterThanOrEqualTo(2);
    }

    /** A store that delegates everything but {@code expireNow}, which each test overrides. */
    private abstract static class CountingStore implements Store {
        private final Store delegate;

        CountingStore(Store delegate) {
            this.delegate = delegate;
        }

        @Override
        public StoredValue get(String key) {
            return delegate.get(key);
        }

        @Override
        public StoredValue peek(String key) {
            return delegate.peek(key);
        }

        @Override
        public StoredValue peekIncludingExpired(String key) {
            return delegate.peekIncludingExpired(key);
        }

        @Override
        public boolean containsKey(String key) {
            return delegate.containsKey(key);
        }

        @Override
        public void onExpiry(ExpiryListener listener) {
            delegate.onExpiry(listener);
        }

        @Override
        public void forEachEntry(java.util.function.BiConsumer<String, StoredValue> action) {
            delegate.forEachEntry(action);
        }

        @Override
        public void put(String key, byte[] value, long expiresAtMillis, long version) {
            delegate.put(key, value, expiresAtMillis, version);
        }

        @Override
        public long clear() {
            return delegate.clear();
        }

        @Override
        public boolean remove(String key) {
            return delegate.remove(key);
        }

        @Override
        public long maxCharge() {
            return delegate.maxCharge();
        }

        @Override
        public EvictionPolicyName policy() {
            return delegate.policy();
        }

        @Override
        public StoreStats stats() {
            return delegate.stats();
        }
    }
}
