package io.ringcache.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A fixed sequence of keys drawn from a Zipf distribution, computed once so that a timed loop only reads an
 * array. The key of rank {@code r} (1 is the most popular) is drawn with probability proportional to
 * {@code 1 / r^exponent}; each rank has one {@link String} instance, whose hash is computed once.
 */
final class ZipfKeys {

    private ZipfKeys() {
    }

    /** The key of rank {@code rank}: {@code "key:" + rank}. */
    static String keyOf(int rank) {
        return "key:" + rank;
    }

    /**
     * Draws {@code count} keys from ranks {@code 1..keyspace}.
     *
     * @param seed the same seed draws the same sequence, so every cache under test sees the same keys
     */
    static String[] draw(int count, int keyspace, double exponent, long seed) {
        String[] keyOfRank = new String[keyspace];
        double[] cumulativeWeight = new double[keyspace];
        double total = 0;
        for (int i = 0; i < keyspace; i++) {
            keyOfRank[i] = keyOf(i + 1);
            total += 1 / Math.pow(i + 1, exponent);
            cumulativeWeight[i] = total;
        }
        SplittableRandom random = new SplittableRandom(seed);
        String[] keys = new String[count];
        for (int i = 0; i < count; i++) {
            int found = Arrays.binarySearch(cumulativeWeight, random.nextDouble() * total);
            int index = found >= 0 ? found : -found - 1;
            keys[i] = keyOfRank[Math.min(index, keyspace - 1)];
        }
        return keys;
    }
}
