package io.ringcache.bench;

import io.ringcache.node.store.EntryCharge;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of {@code get} and {@code put} on one shared cache, for each eviction policy of the store and for
 * the peer, a bare Caffeine cache of the same byte budget ({@value CacheUnderTest#BARE_CAFFEINE}), and for that
 * peer holding the store's values ({@value CacheUnderTest#CAFFEINE_OF_STORED_VALUES}).
 *
 * <p>Keys follow a Zipf distribution (exponent {@value #ZIPF_EXPONENT}) over {@value #KEYSPACE} keys, four
 * times as many as fit in the budget, so reads miss now and then and writes evict. Each thread walks the same
 * key sequence from its own random start. The thread count is JMH's {@code -t}; {@link PolicyThroughputReport}
 * runs 1 and 2.
 *
 * <p>Values are {@value #VALUE_BYTES} bytes and, as in a server, every write brings its own: each put stores a
 * new copy of its key's value, as the node's decoders make a new array per request, and a get reads the value
 * it finds ({@link CacheUnderTest#get}). Before timing, the cache is filled by writing the whole key sequence
 * once, which leaves it holding what the access pattern keeps, and then allocates garbage through two young
 * collections ({@link YoungCollections}), which leaves the entries laid out as a server's long-lived ones are.
 *
 * <p>Each fork runs with transparent huge pages, as the node's JVM image does ({@code Dockerfile.node}), and a
 * fixed heap touched up front. With 4 KiB pages, which pages a fork's entries land on moved single forks' reads
 * by up to 2x, more than the differences measured here (bench/RESULTS.md, sixteenth session).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = {"-XX:+UseTransparentHugePages", "-XX:+AlwaysPreTouch", "-Xms2g", "-Xmx2g"})
public class CacheThroughputBenchmark {

    private static final int CAPACITY_ENTRIES = 1 << 16;
    private static final int KEYSPACE = 4 * CAPACITY_ENTRIES;
    private static final double ZIPF_EXPONENT = 0.99;
    private static final int VALUE_BYTES = 100;

    /** Length of the precomputed key sequence; a power of two so that the next index is a mask. */
    private static final int SEQUENCE_LENGTH = 1 << 20;
    private static final int SEQUENCE_MASK = SEQUENCE_LENGTH - 1;
    private static final long SEED = 0x5eed_cafeL;

    @Param({CacheUnderTest.BARE_CAFFEINE, CacheUnderTest.CAFFEINE_OF_STORED_VALUES,
        "tinylfu", "lru", "lfu", "fifo", "lru2"})
    public String cache;

    private CacheUnderTest cacheUnderTest;
    private String[] keys;
    /** The value of {@code keys[i]}, one array per distinct key, shared by the positions of that key. */
    private byte[][] values;

    /** One thread's position in the key sequence. */
    @State(Scope.Thread)
    public static class Cursor {
        private int next = ThreadLocalRandom.current().nextInt();

        int nextPosition() {
            return next++ & SEQUENCE_MASK;
        }
    }

    @Setup(Level.Trial)
    public void fill() {
        keys = ZipfKeys.draw(SEQUENCE_LENGTH, KEYSPACE, ZIPF_EXPONENT, SEED);
        values = valuesOf(keys);
        cacheUnderTest = CacheUnderTest.named(cache, maxBytes());
        for (int i = 0; i < keys.length; i++) {
            cacheUnderTest.put(keys[i], values[i].clone());
        }
        // Read as a server's long-lived entries are: where the collector has copied them, not where the fill put them.
        YoungCollections.await(2);
    }

    private static byte[][] valuesOf(String[] keys) {
        Map<String, byte[]> valueOfKey = new IdentityHashMap<>();
        byte[][] values = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            values[i] = valueOfKey.computeIfAbsent(keys[i], key -> new byte[VALUE_BYTES]);
        }
        return values;
    }

    /** {@value #CAPACITY_ENTRIES} entries at the charge of the longest key. */
    private static long maxBytes() {
        return CAPACITY_ENTRIES * EntryCharge.BYTES.charge(ZipfKeys.keyOf(KEYSPACE), new byte[VALUE_BYTES]);
    }

    @Benchmark
    public int get(Cursor cursor) {
        return cacheUnderTest.get(keys[cursor.nextPosition()]);
    }

    @Benchmark
    public void put(Cursor cursor) {
        int position = cursor.nextPosition();
        cacheUnderTest.put(keys[position], values[position].clone());
    }
}
