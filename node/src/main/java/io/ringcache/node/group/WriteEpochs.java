package io.ringcache.node.group;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a key's writes one at a time, and makes them win over a load of the key that started before them. A load
 * that began before a write of its key may finish after it; caching its result then would bring back the value the
 * write replaced. A key with a load in flight has an epoch, counting its writes since; a load notes it when it starts
 * and caches its result only if no write of its key, and no clear, came since. A write of another key costs nothing.
 *
 * <p>A key is tracked only while one of its loads is in flight. Every step (a write, a load starting, checking and
 * filling, finishing) runs within {@link ConcurrentHashMap#compute} of its key, which holds off every other step of
 * that key until it returns: there is no gap between a fill's check and the fill, and a key's writes do not
 * interleave. Keys that share one of the map's bins wait for each other too, for one store write.
 */
final class WriteEpochs {

    /** Bins enough that two keys written at once seldom share one (the map keeps at least this many). */
    private static final int BINS = 1024;

    private final ConcurrentHashMap<String, Epoch> loading = new ConcurrentHashMap<>(BINS);

    /** The writes of a key (and clears) since it was tracked, and how many of its loads are in flight. */
    private static final class Epoch {
        long writes;
        int loads;
    }

    /** A load of {@code key} in flight, noting its key's epoch when it started. */
    record Load(String key, long writes) {
    }

    /**
     * Notes that a load of {@code key} starts now; {@link #finish} it however it ends, or the key stays tracked.
     * A write of the key running now has applied by the time this returns.
     */
    Load start(String key) {
        long[] writes = new long[1];
        loading.compute(key, (k, epoch) -> {
            Epoch started = epoch == null ? new Epoch() : epoch;
            started.loads++;
            writes[0] = started.writes;
            return started;
        });
        return new Load(key, writes[0]);
    }

    /** Runs {@code write} as a write of {@code key}: loads of the key in flight will not {@link #fillIfUnwritten}. */
    void write(String key, Runnable write) {
        loading.compute(key, (k, epoch) -> {
            // Counted first: a write that fails half way has still touched the key.
            if (epoch != null) {
                epoch.writes++;
            }
            write.run();
            return epoch;
        });
    }

    /** Counts a write of every key with a load in flight, so that none of those loads caches its result. */
    void advanceAll() {
        for (String key : loading.keySet()) {
            loading.computeIfPresent(key, (k, epoch) -> {
                epoch.writes++;
                return epoch;
            });
        }
    }

    /** Runs {@code fill} only if no write of {@code load}'s key, and no clear, came since it started; says whether. */
    boolean fillIfUnwritten(Load load, Runnable fill) {
        boolean[] filled = new boolean[1];
        loading.computeIfPresent(load.key(), (k, epoch) -> {
            if (epoch.writes == load.writes()) {
                fill.run();
                filled[0] = true;
            }
            return epoch;
        });
        return filled[0];
    }

    /** Notes that {@code load} has ended; its key is no longer tracked once none of its loads is in flight. */
    void finish(Load load) {
        loading.computeIfPresent(load.key(), (k, epoch) -> --epoch.loads == 0 ? null : epoch);
    }

    /** The keys with a load in flight now. */
    int keysLoading() {
        return loading.size();
    }
}
