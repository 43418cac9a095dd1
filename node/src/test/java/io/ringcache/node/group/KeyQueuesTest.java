package io.ringcache.node.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeyQueuesTest {

    private final KeyQueues queues = new KeyQueues();
    private final List<String> ran = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** A step that notes it ran and finishes at once. */
    private Supplier<CompletableFuture<String>> step(String name) {
        return () -> {
            ran.add(name);
            return CompletableFuture.completedFuture(name);
        };
    }

    /** A step that notes it ran and finishes when {@code finish} does. */
    private Supplier<CompletableFuture<String>> waiting(String name, CompletableFuture<String> finish) {
        return () -> {
            ran.add(name);
            return finish;
        };
    }

    @Test
    void aKeyWithNothingWaitingRunsItsStepAtOnceAndKeepsNoQueue() throws Exception {
        CompletableFuture<String> result = queues.run("k", step("a"));

        assertThat(result).isCompletedWithValue("a");
        assertThat(queues.isQueued("k")).isFalse();
        assertThat(queues.queuedKeys()).isZero();
    }

    @Test
    void stepsArrivingBehindOneThatWaitsRunInArrivalOrderOnceItFinishes() throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        queues.run("k", waiting("first", first));
        CompletableFuture<String> second = queues.run("k", step("second"));
        CompletableFuture<String> third = queues.run("k", step("third"));

        assertThat(ran).containsExactly("first");
        assertThat(second).isNotDone();
        assertThat(queues.isQueued("k")).isTrue();

        first.complete("first");
        assertThat(ran).containsExactly("first", "second", "third");
        assertThat(List.of(second.get(), third.get())).containsExactly("second", "third");
        assertThat(queues.queuedKeys()).isZero();
    }

    @Test
    void otherKeysDoNotWait() {
        queues.run("k", waiting("k", new CompletableFuture<>()));

        assertThat(queues.run("other", step("other"))).isCompletedWithValue("other");
        assertThat(queues.isQueued("other")).isFalse();
    }

    @Test
    void aStepThatFailsOrThrowsStillLetsTheNextOnesRun() throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> failed = queues.run("k", waiting("first", first));
        CompletableFuture<String> throwing = queues.run("k", () -> {
            throw new IllegalStateException("refused");
        });
        CompletableFuture<String> last = queues.run("k", step("last"));

        first.completeExceptionally(new IllegalStateException("timed out"));

        assertThatThrownBy(failed::get).hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("timed out");
        assertThatThrownBy(throwing::get).isInstanceOf(ExecutionException.class).hasMessageContaining("refused");
        assertThat(last.get()).isEqualTo("last");
        assertThat(queues.queuedKeys()).isZero();
    }

    @Test
    void aQueuedStepThatWaitsInTurnHoldsBackTheStepsAfterIt() {
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        queues.run("k", waiting("first", first));
        queues.run("k", waiting("second", second));
        queues.run("k", step("third"));

        first.complete("first");
        assertThat(ran).containsExactly("first", "second");

        second.complete("second");
        assertThat(ran).containsExactly("first", "second", "third");
        assertThat(queues.queuedKeys()).isZero();
    }

    @Test
    void aLongQueueRunsInALoopWithoutDeepeningTheStack() throws Exception {
        int steps = 200_000;
        CompletableFuture<String> first = new CompletableFuture<>();
        queues.run("k", waiting("first", first));
        AtomicInteger next = new AtomicInteger();
        List<CompletableFuture<Boolean>> inOrder = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            int expected = i;
            inOrder.add(queues.run("k", () -> CompletableFuture.completedFuture(next.getAndIncrement() == expected)));
        }

        threads.submit(() -> first.complete("first")).get(10, TimeUnit.SECONDS);

        assertThat(CompletableFuture.allOf(inOrder.toArray(CompletableFuture[]::new))).succeedsWithin(10,
                TimeUnit.SECONDS);
        assertThat(inOrder).allMatch(CompletableFuture::join);
        assertThat(queues.queuedKeys()).isZero();
    }

    @Test
    void aStepForAllKeysRunsAtOnceWhenNothingWaitsAndHoldsNothingBack() {
        assertThat(queues.runForAllKeys(step("all"))).isCompletedWithValue("all");
        assertThat(queues.isQueued("k")).isFalse();
        assertThat(queues.run("k", step("k"))).isCompletedWithValue("k");
    }

    @Test
    void aStepForAllKeysWaitsForEveryKeysStepsBeforeItAndHoldsBackEveryStepAfterIt() throws Exception {
        CompletableFuture<String> a = new CompletableFuture<>();
        CompletableFuture<String> b = new CompletableFuture<>();
        queues.run("a", waiting("a", a));
        queues.run("b", waiting("b", b));
        queues.run("a", step("a behind a"));
        CompletableFuture<String> all = queues.runForAllKeys(step("all"));
        CompletableFuture<String> other = queues.run("other", step("other after all"));
        CompletableFuture<String> afterAll = queues.run("a", step("a after all"));

        assertThat(queues.isQueued("other")).as("every key waits for a step for all keys").isTrue();
        a.complete("a");
        assertThat(ran).containsExactly("a", "b", "a behind a");
        assertThat(all).isNotDone();
        assertThat(other).isNotDone();

        b.complete("b");
        assertThat(ran).containsExactly("a", "b", "a behind a", "all", "other after all", "a after all");
        assertThat(List.of(all.get(), other.get(), afterAll.get())).containsExactly("all", "other after all",
                "a after all");
        assertThat(queues.isQueued("other")).isFalse();
        assertThat(queues.queuedKeys()).isZero();
    }

    @Test
    void aStepForAllKeysThatWaitsHoldsBackTheStepsAfterItUntilItFinishes() throws Exception {
        CompletableFuture<String> all = new CompletableFuture<>();
        CompletableFuture<String> k = new CompletableFuture<>();
        queues.runForAllKeys(waiting("all", all));
        queues.run("k", waiting("k", k));
        CompletableFuture<String> second = queues.run("k", step("k again"));
        CompletableFuture<String> secondAll = queues.runForAllKeys(step("all again"));
        CompletableFuture<String> last = queues.run("other", step("other"));

        assertThat(ran).containsExactly("all");
        all.complete("all");
        assertThat(ran).as("a step let through that waits holds back its key and the next step for all keys")
                .containsExactly("all", "k");
        k.complete("k");
        assertThat(ran).containsExactly("all", "k", "k again", "all again", "other");
        assertThat(List.of(second.get(), secondAll.get(), last.get())).containsExactly("k again", "all again", "other");
        assertThat(queues.isQueued("k")).isFalse();
    }

    @Test
    void aStepForAllKeysThatFailsOrThrowsStillLetsTheStepsAfterItRun() throws Exception {
        CompletableFuture<String> k = new CompletableFuture<>();
        queues.run("k", waiting("k", k));
        CompletableFuture<String> throwing = queues.runForAllKeys(() -> {
            throw new IllegalStateException("refused");
        });
        CompletableFuture<String> after = queues.run("k", step("after"));

        k.completeExceptionally(new IllegalStateException("timed out"));

        assertThatThrownBy(throwing::get).isInstanceOf(ExecutionException.class).hasMessageContaining("refused");
        assertThat(after.get()).isEqualTo("after");
        assertThat(queues.isQueued("k")).isFalse();
    }

    @Test
    void manyStepsForAllKeysInARowRunInALoopWithoutDeepeningTheStack() throws Exception {
        int steps = 100_000;
        CompletableFuture<String> first = new CompletableFuture<>();
        queues.run("k", waiting("first", first));
        AtomicInteger next = new AtomicInteger();
        List<CompletableFuture<Boolean>> inOrder = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            int expected = i;
            Supplier<CompletableFuture<Boolean>> step =
                    () -> CompletableFuture.completedFuture(next.getAndIncrement() == expected);
            inOrder.add(i % 2 == 0 ? queues.runForAllKeys(step) : queues.run("k" + i % 7, step));
        }

        threads.submit(() -> first.complete("first")).get(10, TimeUnit.SECONDS);

        assertThat(CompletableFuture.allOf(inOrder.toArray(CompletableFuture[]::new))).succeedsWithin(10,
                TimeUnit.SECONDS);
        assertThat(inOrder).allMatch(CompletableFuture::join);
        assertThat(queues.isQueued("k")).isFalse();
    }

    @Test
    void eachCallersStepsForAllKeysComeAfterItsStepsBeforeThemAndBeforeThoseAfterThem() throws Exception {
        int callers = 3;
        int stepsEach = 10_000;
        String[] keys = {"a", "b", "c"};
        // Per caller, how many of its steps have finished, and the number of its last step for all keys that ran.
        AtomicInteger[] finished = new AtomicInteger[callers];
        AtomicInteger[] lastAllKeysRun = new AtomicInteger[callers];
        AtomicInteger outOfOrder = new AtomicInteger();
        List<CompletableFuture<?>> all = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int caller = c;
            finished[c] = new AtomicInteger();
            lastAllKeysRun[c] = new AtomicInteger(-1);
            running.add(threads.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                int lastAllKeys = -1;
                for (int i = 0; i < stepsEach; i++) {
                    int number = i;
                    if (random.nextInt(50) == 0) {
                        lastAllKeys = number;
                        all.add(queues.runForAllKeys(() -> {
                            // Every step the caller sent before this one has finished.
                            if (finished[caller].get() != number) {
                                outOfOrder.incrementAndGet();
                            }
                            lastAllKeysRun[caller].set(number);
                            finished[caller].incrementAndGet();
                            return CompletableFuture.completedFuture(null);
                        }));
                        continue;
                    }
                    int allKeysBefore = lastAllKeys;
                    boolean waits = random.nextInt(8) == 0;
                    all.add(queues.run(keys[random.nextInt(keys.length)], () -> {
                        if (lastAllKeysRun[caller].get() != allKeysBefore) {
                            outOfOrder.incrementAndGet();
                        }
                        if (!waits) {
                            finished[caller].incrementAndGet();
                            return CompletableFuture.completedFuture(null);
                        }
                        // Finishes later, on the fourth thread, as an answer from a peer would.
                        return CompletableFuture.runAsync(finished[caller]::incrementAndGet, threads);
                    }));
                }
            }));
        }
        for (Future<?> caller : running) {
            caller.get(30, TimeUnit.SECONDS);
        }

        assertThat(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))).succeedsWithin(30, TimeUnit.SECONDS);
        assertThat(outOfOrder).hasValue(0);
        assertThat(all).hasSize(callers * stepsEach);
        await().atMost(Duration.ofSeconds(5)).until(() -> queues.queuedKeys() == 0 && !queues.isQueued("a"));
    }

    @Test
    void eachCallersStepsOfAKeyRunInItsOrderWhateverFinishesOnOtherThreads() throws Exception {
        int callers = 3;
        int stepsEach = 20_000;
        String[] keys = {"a", "b", "c"};
        // Per key and caller, the number of the caller's last step of the key that ran.
        Map<String, Integer> lastRun = new ConcurrentHashMap<>();
        AtomicInteger outOfOrder = new AtomicInteger();
        List<CompletableFuture<?>> all = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int caller = c;
            running.add(threads.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < stepsEach; i++) {
                    String key = keys[random.nextInt(keys.length)];
                    int number = i;
                    boolean waits = random.nextInt(8) == 0;
                    all.add(queues.run(key, () -> {
                        Integer before = lastRun.put(key + "/" + caller, number);
                        if (before != null && before >= number) {
                            outOfOrder.incrementAndGet();
                        }
                        // Some steps finish later, on the fourth thread, as an answer from a peer would.
                        return waits ? CompletableFuture.runAsync(() -> { }, threads)
                                : CompletableFuture.completedFuture(null);
                    }));
                }
            }));
        }
        for (Future<?> caller : running) {
            caller.get(30, TimeUnit.SECONDS);
        }

        assertThat(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))).succeedsWithin(30, TimeUnit.SECONDS);
        assertThat(outOfOrder).hasValue(0);
        assertThat(all).hasSize(callers * stepsEach);
        // The last step's caller may hear of it just before its queue goes.
        await().atMost(Duration.ofSeconds(5)).until(() -> queues.queuedKeys() == 0);
    }
}
