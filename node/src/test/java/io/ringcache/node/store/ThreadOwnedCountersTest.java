package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ThreadOwnedCountersTest {

    @Test
    void countsExactlyWhenMoreThreadsThanCellsAddAtOnce() throws InterruptedException {
        ThreadOwnedCounters counter = new ThreadOwnedCounters(2);
        // 100 live threads and 64 cells: at least 36 of them find their cell owned and add to the shared count.
        int threads = 100;
        int perThread = 10_000;
        // Every thread is alive from before the first add until after the last, so a cell's owner is alive
        // whenever another thread of the same cell adds.
        CountDownLatch allStarted = new CountDownLatch(threads);
        CountDownLatch allAdded = new CountDownLatch(threads);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                allStarted.countDown();
                awaitQuietly(allStarted);
                for (int i = 0; i < perThread; i++) {
                    counter.increment(i % 2);
                }
                allAdded.countDown();
                awaitQuietly(allAdded);
            });
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join(30_000);
        }

        assertThat(counter.sum(0)).isEqualTo((long) threads * perThread / 2);
        assertThat(counter.sum(1)).isEqualTo((long) threads * perThread / 2);
        assertThat(counter.sharedSum(0)).isPositive();
        assertThat(counter.sharedSum(1)).isPositive();
    }

    @Test
    void endedThreadsKeepTheirCountsAndFreeTheirCells() throws InterruptedException {
        ThreadOwnedCounters counter = new ThreadOwnedCounters(3);
        // One after another, each ended before the next starts: 200 threads pass over every one of the 64 cells
        // at least three times, each taking over a cell an ended thread owned, with counts of every kind in it.
        for (int t = 0; t < 200; t++) {
            int other = t % 2 == 0 ? 1 : 2;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 5; i++) {
                    counter.increment(0);
                }
                counter.increment(other);
                counter.increment(other);
            });
            thread.start();
            thread.join(10_000);
            assertThat(thread.isAlive()).isFalse();
        }

        assertThat(counter.sum(0)).isEqualTo(200 * 5);
        assertThat(counter.sum(1)).isEqualTo(100 * 2);
        assertThat(counter.sum(2)).isEqualTo(100 * 2);
        for (int kind = 0; kind < 3; kind++) {
            assertThat(counter.sharedSum(kind)).as("no thread found its cell held by a live thread").isZero();
        }
    }

    @Test
    void theSumNeverGoesBackWhileThreadsAdd() throws InterruptedException {
        ThreadOwnedCounters counter = new ThreadOwnedCounters(1);
        int perThread = 2_000_000;
        List<Thread> adders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread adder = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    counter.increment(0);
                }
            });
            adder.start();
            adders.add(adder);
        }
        long last = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (adders.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
            long sum = counter.sum(0);
            assertThat(sum).isGreaterThanOrEqualTo(last);
            last = sum;
        }
        for (Thread adder : adders) {
            adder.join(10_000);
        }

        assertThat(counter.sum(0)).isEqualTo(4L * perThread).isGreaterThanOrEqualTo(last);
    }

    @Test
    void aLoneThreadCountsInItsOwnCell() {
        ThreadOwnedCounters counter = new ThreadOwnedCounters(1);
        for (int i = 0; i < 1_000; i++) {
            counter.increment(0);
        }
        assertThat(counter.sum(0)).isEqualTo(1_000);
        assertThat(counter.sharedSum(0)).isZero();
    }

    @Test
    void countsOfOneCellStaySeparate() throws InterruptedException {
        ThreadOwnedCounters counters = new ThreadOwnedCounters(3);
        List<Thread> adders = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread adder = new Thread(() -> {
                for (int i = 0; i < 30_000; i++) {
                    counters.increment(i % 3 == 0 ? 0 : 2);
                }
            });
            adder.start();
            adders.add(adder);
        }
        for (Thread adder : adders) {
            adder.join(10_000);
        }

        assertThat(counters.sum(0)).isEqualTo(2 * 10_000);
        assertThat(counters.sum(1)).isZero();
        assertThat(counters.sum(2)).isEqualTo(2 * 20_000);
    }

    @Test
    void refusesKindsItDoesNotHold() {
        assertThatThrownBy(() -> new ThreadOwnedCounters(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 16 counts, not 0");
        assertThatThrownBy(() -> new ThreadOwnedCounters(17)).isInstanceOf(IllegalArgumentException.class);
        ThreadOwnedCounters counters = new ThreadOwnedCounters(2);
        assertThatThrownBy(() -> counters.increment(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> counters.increment(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> counters.sum(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> counters.sharedSum(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(counters.sum(0) + counters.sum(1)).isZero();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
