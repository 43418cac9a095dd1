package io.ringcache.bench;

import io.ringcache.node.store.EntryCharge;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * times as many as fit in the budget, so reads miss now and then and writes evict. Every value is
 * {@value #VALUE_BYTES} bytes. Before timing, the cache is filled by writing the whole key sequence once, which
 * leaves it holding what the access pattern keeps. Each thread walks the same key sequence from its own random
 * start. The thread count is JMH's {@code -t}; {@link PolicyThroughputReport} runs 1 and 2.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
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
    private byte[] value;

    /** One thread's position in the key sequence. */
    @State(Scope.Thread)
    public static class Cursor {
        private int next = ThreadLocalRandom.current().nextInt();

        String nextKey(String[] keys) {
            return keys[next++ & SEQUENCE_MASK];
        }
    }

    @Setup(Level.Trial)
    public void fill() {
        keys = ZipfKeys.draw(SEQUENCE_LENGTH, KEYSPACE, ZIPF_EXPONENT, SEED);
        value = new byte[VALUE_BYTES];
        cacheUnderTest = CacheUnderTest.named(cache, maxBytes(value));
        for (String key : keys) {
            cacheUnderTest.put(key, value);
        }
    }

    /** {@value #CAPACITY_ENTRIES} entries at the charge of the longest key. */
    private static long maxBytes(byte[] value) {
        return CAPACITY_ENTRIES * EntryCharge.BYTES.charge(ZipfKeys.keyOf(KEYSPACE), value);
    }

    @Benchmark
    public Object get(Cursor cursor) {
        return cacheUnderTest.get(cursor.nextKey(keys));
    }

    @Benchmark
    public void put(Cursor cursor) {
        cacheUnderTest.put(cursor.nextKey(keys), value);
    }
}
