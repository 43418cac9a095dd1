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
