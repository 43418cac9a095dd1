package io.ringcache.node.group;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Keeps a key's requests in the order they reached its owner while one of them waits. Shortly after a ring change,
 * a request of a key the new owner does not hold yet first takes the key from its previous owner: a read-modify-write
 * ({@link LocalGroup#takeFromPreviousHolder}) or a read ({@link LocalGroup#answerAfterMiss}). A SET, DEL or GET of
 * the key that arrives meanwhile, such as the next command of the same pipeline, would otherwise run at once and be
 * overtaken by it: {@code INCR k; DEL k} would leave {@code k} at 1, a GET between them would read a value the INCR
 * then changes, and {@code GET k; SET k v2} would answer {@code v2}.
 *
 * <p>A key has a queue only while one of its steps waits. A step of a key without one runs at once, on the
 * caller's thread, and costs one map lookup; so do all steps of every other key. A step that does not finish at
 * once holds back the steps of its key that arrive after it, which then run in arrival order once it has finished,
 * however it finished (a value, a failure, a timeout), and the queue goes once none is left.
 *
 * <p>A step for all keys (a clear of the group: {@link #runForAllKeys}) runs once every step of every key that came
 * before it has finished, and holds back every step of every key that comes after it until it has finished; they
 * then go on in arrival order. With no key's step waiting, as almost always, it runs at once. While one waits or
 * runs, every step goes through the queues: keys that have none cost one more check of a volatile flag.
 *
 * <p>Thread-safe. Each queue is guarded by its own monitor, and the steps held behind a step for all keys by theirs,
 * held only to add or take a step and never while one runs, so nothing here waits for another thread. Queued steps
 * run on the thread that finished the step before them, one after another in a loop rather than each from within
 * the completion of the one before, so that a long queue (a pipeline of thousands of INCRs of one key, or of
 * FLUSHDBs) cannot overflow the stack.
 */
final class KeyQueues {

    private final ConcurrentHashMap<String, Queue> queues = new ConcurrentHashMap<>();
    /**
     * The steps that came while a step for all keys waited or ran, in arrival order, further steps for all keys
     * among them; guarded by its own monitor.
     */
    private final ArrayDeque<Held> heldBehindAllKeys = new ArrayDeque<>();
    /**
     * A step for all keys waits or runs, or the steps held behind it are being let through: every step arriving now
     * is held behind them. Written under {@link #heldBehindAllKeys}'s monitor; read without it by {@link #run}.
     */
    private volatile boolean allKeysHeld;

    /** Whether a step of {@code key} is waiting or held back now, so that a new one must go through {@link #run}. */
    boolean isQueued(String key) {
        return allKeysHeld || queues.containsKey(key);
    }

    /** The keys with a queue now. */
    int queuedKeys() {
        return queues.size();
    }

    /**
     * Runs {@code step} now when no step of {@code key} is waiting and no step for all keys waits or runs, else once
     * every step of the key, and every step for all keys, that came before it has finished. Until the future
     * {@code step} returns completes, later steps of the key are held back. A step that throws finishes at once,
     * with that exception.
     *
     * @return completes as the future {@code step} returns does
     */
    <T> CompletableFuture<T> run(String key, Supplier<CompletableFuture<T>> step) {
        if (allKeysHeld) {
            synchronized (heldBehindAllKeys) {
                if (allKeysHeld) {
                    KeyStep<T> held = new KeyStep<>(key, step);
                    heldBehindAllKeys.add(held);
                    return held.result;
                }
            }
        }
        return runOfKey(key, step);
    }

    /**
     * Runs {@code step} once every step of every key that came before it has finished, and holds back every step
     * that comes after it, of any key, until the future it returns completes. With nothing waiting, it runs at
     * once, on the caller's thread. A step that throws finishes at once, with that exception.
     *
     * @return completes as the future {@code step} returns does
     */
    <T> CompletableFuture<T> runForAllKeys(Supplier<CompletableFuture<T>> step) {
        AllKeysStep<T> allKeys = new AllKeysStep<>(step);
        synchronized (heldBehindAllKeys) {
            if (allKeysHeld) {
                heldBehindAllKeys.add(allKeys);
                return allKeys.result;
            }
            allKeysHeld = true;
        }
        letThrough(allKeys);
        return allKeys.result;
    }

    /** {@link #run}, for a step not held behind a step for all keys. */
    private <T> CompletableFuture<T> runOfKey(String key, Supplier<CompletableFuture<T>> step) {
        while (true) {
            Queue queue = queues.get(key);
            if (queue == null) {
                CompletableFuture<T> started = start(step);
                if (!started.isDone()) {
                    holdBackLaterSteps(key, started);
                }
                return started;
            }
            CompletableFuture<Void> turn = new CompletableFuture<>();
            CompletableFuture<T> result = turn.thenCompose(go -> {
                CompletableFuture<T> started = start(step);
                started.whenComplete((value, error) -> finished(key, queue));
                return started;
            });
            if (queue.add(turn)) {
                return result;
            }
            // That queue emptied meanwhile: every step before this one has finished. Its last thread may not have
            // taken it out of the map yet; doing it here spares looping until it has.
            queues.remove(key, queue);
        }
    }

    private static <T> CompletableFuture<T> start(Supplier<CompletableFuture<T>> step) {
        try {
            return step.get();
        } catch (RuntimeException | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Makes the steps of {@code key} that arrive from now on wait until {@code started} finishes. */
    private void holdBackLaterSteps(String key, CompletableFuture<?> started) {
        while (true) {
            Queue queue = queues.computeIfAbsent(key, k -> new Queue());
            if (queue.startedOutsideIt()) {
                started.whenComplete((value, error) -> finished(key, queue));
                return;
            }
            queues.remove(key, queue);
        }
    }

    /**
     * Lets the steps held behind a step for all keys go on, in arrival order, from {@code next}: a step of a key
     * goes to its key's queue (or runs), a step for all keys waits until every key's queue has gone, then runs. Goes
     * on until a step for all keys does not finish at once (its completion goes on from there) or none is left
     * (then steps run at once again). Only one thread at a time runs this.
     */
    private void letThrough(Held next) {
        while (next != null) {
            if (next instanceof AllKeysStep<?> allKeys) {
                CompletableFuture<Void> drained = everyQueueGone();
                if (!drained.isDone()) {
                    drained.whenComplete((done, error) -> {
                        if (ranAtOnce(allKeys)) {
                            letThrough(nextHeld());
                        }
                    });
                    return;
                }
                if (!ranAtOnce(allKeys)) {
                    return;
                }
            } else {
                ((KeyStep<?>) next).letThrough();
            }
            next = nextHeld();
        }
    }

    /** Runs a step for all keys; {@code false} when it did not finish at once (its completion lets the rest through). */
    private boolean ranAtOnce(AllKeysStep<?> allKeys) {
        CompletableFuture<?> ran = allKeys.start();
        if (ran.isDone()) {
            return true;
        }
        ran.whenComplete((value, error) -> letThrough(nextHeld()));
        return false;
    }

    /** The next step held behind a step for all keys; {@code null}, and steps run at once again, when none is left. */
    private Held nextHeld() {
        synchronized (heldBehindAllKeys) {
            Held next = heldBehindAllKeys.poll();
            if (next == null) {
                allKeysHeld = false;
            }
            return next;
        }
    }

    /**
     * Completes once every queue there is now has gone. No step joins them meanwhile: those arriving are held
     * behind the step for all keys that waits for this.
     */
    private CompletableFuture<Void> everyQueueGone() {
        if (queues.isEmpty()) {
            return Completed.VOID;
        }
        return CompletableFuture.allOf(queues.values().stream().map(Queue::gone).toArray(CompletableFuture[]::new));
    }

    /** A step of {@code queue} finished: when it was the last one running, the steps waiting take their turns. */
    private void finished(String key, Queue queue) {
        if (queue.lastRunningFinished()) {
            takeTurns(key, queue);
        }
    }

    /**
     * Runs the steps waiting in {@code queue}, in order, until one does not finish at once (its completion goes on
     * from there) or none is left (then the queue goes). Only one thread at a time runs this for a queue.
     */
    private void takeTurns(String key, Queue queue) {
        while (true) {
            CompletableFuture<Void> next = queue.nextTurn();
            if (next == null) {
                if (queue.hasEmptied()) {
                    queues.remove(key, queue);
                    // Last: a step for all keys waiting for this queue may run from here.
                    queue.gone.complete(null);
                }
                return;
            }
            // Runs the step; one that finishes at once tells finished() while it is here, which leaves the loop
            // to this thread.
            next.complete(null);
        }
    }

    /**
     * The steps of one key waiting for their turn, and how many of its steps are running. Steps start in the
     * order they were added; a step that is running and has not finished holds back every step after it.
     */
    private static final class Queue {

        private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
        /** Completes once the queue has emptied and gone from the map. */
        private final CompletableFuture<Void> gone = new CompletableFuture<>();
        private int running;
        /** A thread is in {@link KeyQueues#takeTurns} for this queue: a step that finishes leaves the next to it. */
        private boolean takingTurns;
        /** Nothing ran or waited any more when a turn was asked for: the queue takes no more steps and goes. */
        private boolean emptied;

        /** Adds a step to wait for its turn; {@code false} when the queue has emptied and gone. */
        synchronized boolean add(CompletableFuture<Void> turn) {
            if (emptied) {
                return false;
            }
            waiting.add(turn);
            return true;
        }

        /** Counts a step that started outside the queue and has not finished; {@code false} when it has gone. */
        synchronized boolean startedOutsideIt() {
            if (emptied) {
                return false;
            }
            running++;
            return true;
        }

        /** Counts a step as finished; says whether the caller must now take the waiting steps' turns. */
        synchronized boolean lastRunningFinished() {
            running--;
            if (running > 0 || takingTurns) {
                return false;
            }
            takingTurns = true;
            return true;
        }

        /**
         * The turn of the next waiting step, counted as running; {@code null} when a step is still running (that
         * step's finish goes on from here) or none is left (the queue has emptied).
         */
        synchronized CompletableFuture<Void> nextTurn() {
            if (running > 0) {
                takingTurns = false;
                return null;
            }
            CompletableFuture<Void> next = waiting.poll();
            if (next == null) {
                takingTurns = false;
                emptied = true;
                return null;
            }
            running++;
            return next;
        }

        synchronized boolean hasEmptied() {
            return emptied;
        }

        CompletableFuture<Void> gone() {
            return gone;
        }
    }

    /** A step that came while a step for all keys waited or ran. */
    private sealed interface Held permits KeyStep, AllKeysStep {
    }

    /** A step of one key held behind a step for all keys; in its turn it goes to its key's queue, or runs. */
    private final class KeyStep<T> implements Held {

        private final CompletableFuture<Void> turn = new CompletableFuture<>();
        private final CompletableFuture<T> result;

        KeyStep(String key, Supplier<CompletableFuture<T>> step) {
            this.result = turn.thenCompose(go -> runOfKey(key, step));
        }

        void letThrough() {
            turn.complete(null);
        }
    }

    /** A step for all keys; {@link #result} completes as its step's future does, before the steps after it go on. */
    private static final class AllKeysStep<T> implements Held {

        private final Supplier<CompletableFuture<T>> step;
        private final CompletableFuture<T> result = new CompletableFuture<>();

        AllKeysStep(Supplier<CompletableFuture<T>> step) {
            this.step = step;
        }

        /** Runs the step; the future returned completes once it finished and {@link #result} was told. */
        CompletableFuture<T> start() {
            return KeyQueues.start(step).whenComplete((value, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(value);
                }
            });
        }
    }
}
