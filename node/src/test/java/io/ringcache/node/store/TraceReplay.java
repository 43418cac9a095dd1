package io.ringcache.node.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Replays key-only access traces through a {@link Store} to measure its hit rate, the way cache
 * simulators do: every access is a get; a miss is followed by a put of a one-byte value, so the store
 * decides what to keep. Stores are built with {@link EntryCharge#UNIT}, so the capacity is an entry
 * count. Shared with the {@code bench} module through the test jar.
 */
public final class TraceReplay {

    /** The system property naming the shared directory that holds {@code traces/}. */
    public static final String SHARED_DIR_PROPERTY = "ringcache.shared.dir";

    private static final byte[] ONE_BYTE = {1};
    private static final int MAX_HASH_KEY = 65535 * 961 + 960;

    private TraceReplay() {
    }

    /**
     * The shared directory from {@value #SHARED_DIR_PROPERTY}.
     *
     * @throws IllegalStateException when the property is not set
     */
    public static Path sharedDir() {
        String dir = System.getProperty(SHARED_DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException("system property " + SHARED_DIR_PROPERTY
                    + " is not set; point it at the directory holding traces/ (surefire sets it)");
        }
        return Paths.get(dir);
    }

    /** The directory of the LIRS traces, {@code <shared>/traces/lirs}. */
    public static Path lirsTraceDir() {
        return sharedDir().resolve("traces").resolve("lirs");
    }

    /**
     * Reads a gzip-compressed LIRS trace: one integer key per line. Blank lines and lines that are not an
     * integer (such as the {@code *} breakpoints) are skipped.
     */
    public static int[] readLirsTrace(Path gzipFile) throws IOException {
        int[] keys = new int[1 << 16];
        int count = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gzipFile), 1 << 16), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                String text = line.trim();
                if (!isInteger(text)) {
                    continue;
                }
                if (count == keys.length) {
                    keys = Arrays.copyOf(keys, count * 2);
                }
                keys[count++] = Integer.parseInt(text);
            }
        }
        return Arrays.copyOf(keys, count);
    }

    /**
     * The hit rate, in percent, of a new {@code policy} store of {@code cacheSize} entries replaying
     * {@code keys}. The store's clock is frozen: nothing expires.
     */
    public static double hitRatePercent(EvictionPolicyName policy, long cacheSize, int[] keys) {
        return hitRatePercent(Stores.create(policy, cacheSize, EntryCharge.UNIT, () -> 0L), keys);
    }

    /** The hit rate, in percent, of replaying {@code keys} through {@code store}: get, and put on a miss. */
    public static double hitRatePercent(Store store, int[] keys) {
        long hits = 0;
        for (int key : keys) {
            String name = keyOf(key);
            if (store.get(name) != null) {
                hits++;
            } else {
                store.put(name, ONE_BYTE, StoredValue.NEVER);
            }
        }
        return keys.length == 0 ? 0 : 100.0 * hits / keys.length;
    }

    /**
     * The store key for trace key {@code key}: a string whose {@link String#hashCode()} equals
     * {@code key}, the hash an {@code Integer} key has in a cache simulator. Hash-sensitive policies
     * (Caffeine's frequency sketch) then see the same hashes as in the reference runs; decimal strings
     * would hash differently and move TinyLFU's hit rate by up to 10 points on small traces. Distinct keys
     * give distinct strings: the three characters are the digits of {@code key} in the mixed radix
     * (65536, 31, 31) of {@code c0 * 31^2 + c1 * 31 + c2}.
     *
     * @throws IllegalArgumentException for keys outside {@code [0, 65535 * 961 + 960]}
     */
    public static String keyOf(int key) {
        if (key < 0 || key > MAX_HASH_KEY) {
            throw new IllegalArgumentException("trace key " + key + " is outside [0, " + MAX_HASH_KEY + "]");
        }
        int low = key % 961;
        return new String(new char[] {(char) (key / 961), (char) (low / 31), (char) (low % 31)});
    }

    private static boolean isInteger(String text) {
        if (text.isEmpty() || text.length() > 10) {
            return false;
        }
        int start = text.charAt(0) == '-' ? 1 : 0;
        if (start == text.length()) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        try {
            Integer.parseInt(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
