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
 * {@link Store#expireNow()} on every registered store once per period. A store that throws, whatever it throws, is
 * logged and skipped; the sweep goes on with the other stores and the next period (see {@link #sweep()}).
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

    /**
     * One sweep of every store. Nothing may be thrown out of it: thrown out of a scheduled task, a throwable cancels
     * every later run and goes into a future nobody reads, not to an uncaught-exception handler, so expiry would stop
     * for good without a word. Errors are caught with exceptions: an expiry listener's failed assertion or a class
     * that failed to link concerns that store's sweep, not the next one.
     *
     * <p>The virtual machine's own errors are caught too, on purpose, and logged as errors. A
     * {@link StackOverflowError} (a listener recursing) is over once the stack has unwound to here. An
     * {@link OutOfMemoryError} is answered for the whole process by the JVM's flags ({@code
     * -XX:+ExitOnOutOfMemoryError}, {@code -XX:+HeapDumpOnOutOfMemoryError}), which act where it is thrown, before
     * any catch, so catching it here takes no decision away from them; and removing expired entries is what gives
     * memory back, so a shortage that stopped the sweep would only keep expired entries in the heap for good.
     */
    private void sweep() {
        for (Store store : stores) {
            try {
                store.expireNow();
            } catch (Throwable failure) {
                report(store, failure);
            }
        }
    }

    private static void report(Store store, Throwable failure) {
        try {
            boolean vmError = failure instanceof VirtualMachineError;
            LOG.log(vmError ? System.Logger.Level.ERROR : System.Logger.Level.WARNING, "expiring entries of a "
                    + store.policy().configName() + " store failed" + (vmError ? " in the virtual machine" : "")
                    + "; will retry next period", failure);
        } catch (Throwable logFailed) {
            // Logging needs memory too, which may have run out: a throwable out of here would end every later sweep.
            // The next period sweeps again, and reports again if it fails again.
        }
    }
}
