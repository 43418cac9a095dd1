package io.ringcache.node.group;

/**
 * Makes a write win over a load that started before it. A load that began before a write of the same key
 * may finish after it; caching its result then would bring back the value the write replaced. Each key
 * maps to one of a fixed set of stripes with a write counter; a loader notes its stripe's counter when it
 * starts and caches its result only if no write touched the stripe since. The check and the write happen
 * under the stripe's monitor, so there is no gap between them. A write to another key of the same stripe
 * only costs a skipped cache fill, never a wrong value.
 */
final class WriteEpochs {

    private static final int STRIPES = 256;

    private final long[] epochs = new long[STRIPES];
    private final Object[] monitors = new Object[STRIPES];

    WriteEpochs() {
        for (int i = 0; i < STRIPES; i++) {
            monitors[i] = new Object();
        }
    }

    /** The write count of {@code key}'s stripe now; pass it to {@link #runIfUnchanged}. */
    long current(String key) {
        int stripe = stripe(key);
        synchronized (monitors[stripe]) {
            return epochs[stripe];
        }
    }

    /** Runs {@code write} as a write of {@code key}: later {@link #runIfUnchanged} calls with older epochs do nothing. */
    void write(String key, Runnable write) {
        int stripe = stripe(key);
        synchronized (monitors[stripe]) {
            epochs[stripe]++;
            write.run();
        }
    }

    /** Counts a write on every stripe, so no load started before this call caches its result. */
    void advanceAll() {
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            synchronized (monitors[stripe]) {
                epochs[stripe]++;
            }
        }
    }

    /** Runs {@code fill} only if no write touched {@code key}'s stripe since {@code epoch} was read; says whether it ran. */
    boolean runIfUnchanged(String key, long epoch, Runnable fill) {
        int stripe = stripe(key);
        synchronized (monitors[stripe]) {
            if (epochs[stripe] != epoch) {
                return false;
            }
            fill.run();
            return true;
        }
    }

    private static int stripe(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
