package io.ringcache.node.store;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Removes expired entries from registered stores without waiting for reads: one daemon thread calls
 * {@link Store#expireNow()} on every registered store once per period. A store that throws is logged
 * and skipped; the sweep goes on with the other stores and the next period.
 */
public final class ExpirySweeper implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ExpirySweeper.class.getName());

    private final Set<Store> stores = new CopyOnWriteArraySet<>();
    private final ScheduledExecutorService thread;

    /**
     * Starts sweeping every {@code period}.
     *
     * @throws IllegalArgumentException when {@code period} is not positive
     */
    public ExpirySweeper(Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("sweep period must be positive but was " + period);
        }
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "ringcache-expiry-sweeper");
            t.setDaemon(true);
            return t;
        });
        long nanos = period.toNanos();
        thread.scheduleWithFixedDelay(this::sweep, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** Adds {@code store} to the sweep, from the next period on; registering it twice has no effect. */
    public void register(Store store) {
        stores.add(Objects.requireNonNull(store, "store"));
    }

    /** Stops the thread; a sweep in progress finishes. Idempotent. */
    @Override
    public void close() {
        thread.shutdown();
    }

    private void sweep() {
        for (Store store : stores) {
            try {
                store.expireNow();
            } catch (RuntimeException e) {
                // Thrown out of a scheduled task it would cancel every later sweep of every store.
                LOG.log(System.Logger.Level.WARNING, "expiring entries of a " + store.policy().configName()
                        + " store failed; will retry next period", e);
            }
        }
    }
}
