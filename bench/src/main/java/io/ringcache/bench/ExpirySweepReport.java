package io.ringcache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.Store;
import io.ringcache.node.store.StoreStats;
import io.ringcache.node.store.StoredValue;
import io.ringcache.node.store.Stores;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * What one active-expiry sweep of a big {@code tinylfu} store costs, beside its peer: a full scan of the same
 * entries checking each one's expiry, which is what the store's sweep did before it kept an index of the
 * values with a TTL. The store holds {@value #ENTRIES} entries of which {@value #ENTRIES_WITH_TTL} have a TTL;
 * the clock is frozen, so a sweep finds nothing due. Then, {@value #SWEEPS} times twice, the TTL entries are
 * written again and the clock moved past them, and the sweep that expires them is timed. Each figure is the
 * median of {@value #SWEEPS} sweeps after {@value #SWEEPS} unmeasured ones.
 */
public final class ExpirySweepReport {

    private static final int ENTRIES = 1_000_000;
    private static final int ENTRIES_WITH_TTL = 1_000;
    private static final long TTL_MILLIS = 60_000;
    private static final int SWEEPS = 9;
    private static final long NOW_MILLIS = 1_000_000_000L;

    private ExpirySweepReport() {
    }

    public static void main(String[] args) {
        long[] now = {NOW_MILLIS};
        Store store = Stores.create(EvictionPolicyName.TINYLFU, 1L << 30, EntryCharge.BYTES, () -> now[0]);
        Cache<String, StoredValue> scanned = Caffeine.newBuilder().executor(Runnable::run).build();
        byte[] value = new byte[100];
        for (int i = 0; i < ENTRIES; i++) {
            long expiresAt = i < ENTRIES_WITH_TTL ? NOW_MILLIS + TTL_MILLIS : StoredValue.NEVER;
            String key = "key:" + i;
            store.put(key, value, expiresAt);
            scanned.put(key, StoredValue.of(value, expiresAt));
        }

        long indexed = medianNanos(store::expireNow);
        long[] expiredByScan = new long[1];
        long fullScan = medianNanos(() -> {
            for (Map.Entry<String, StoredValue> entry : scanned.asMap().entrySet()) {
                if (entry.getValue().isExpiredAt(now[0])) {
                    expiredByScan[0]++;
                }
            }
        });
        long[] dueSweeps = new long[SWEEPS];
        for (int i = 0; i < 2 * SWEEPS; i++) {
            for (int k = 0; k < ENTRIES_WITH_TTL; k++) {
                store.put("key:" + k, value, now[0] + TTL_MILLIS);
            }
            now[0] += TTL_MILLIS;
            long start = System.nanoTime();
            store.expireNow();
            if (i >= SWEEPS) {
                dueSweeps[i - SWEEPS] = System.nanoTime() - start;
            }
        }
        Arrays.sort(dueSweeps);
        StoreStats stats = store.stats();

        System.out.printf(Locale.ROOT, "%,d entries, %,d of them with a TTL; median of %d sweeps with nothing due%n",
                ENTRIES, ENTRIES_WITH_TTL, SWEEPS);
        System.out.printf(Locale.ROOT, "tinylfu sweep (expiry index)          %,14d ns%n", indexed);
        System.out.printf(Locale.ROOT, "full scan of the entries (peer)       %,14d ns  (found %d expired)%n",
                fullScan, expiredByScan[0]);
        System.out.printf(Locale.ROOT, "ratio sweep / full scan               %14.6f%n", (double) indexed / fullScan);
        System.out.printf(Locale.ROOT, "tinylfu sweep expiring %,d entries  %,14d ns  (expirations in all %,d, entries left %,d)%n",
                ENTRIES_WITH_TTL, dueSweeps[SWEEPS / 2], stats.expirations(), stats.entries());
    }

    private static long medianNanos(Runnable sweep) {
        long[] nanos = new long[SWEEPS];
        for (int i = 0; i < 2 * SWEEPS; i++) {
            long start = System.nanoTime();
            sweep.run();
            if (i >= SWEEPS) {
                nanos[i - SWEEPS] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        return nanos[SWEEPS / 2];
    }
}
