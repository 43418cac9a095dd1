package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the LIRS traces and compares hit rates with {@code traces/reference_hit_rates.tsv}: LRU, FIFO,
 * LFU (in-cache, ties to LRU) and LRU-2 must match the reference policies exactly (within 0.01 points,
 * the tsv's rounding); TinyLFU's median of 7 replays must be within 2 points of the reference Caffeine's median.
 */
class TraceReplayTest {

    private static final double EXACT = 0.01;
    private static final double TINYLFU_TOLERANCE = 2.0;
    /** Replays per row for {@code tinylfu}; see {@link #tinylfuIsWithinTwoPointsOfCaffeine}. */
    private static final int TINYLFU_RUNS = 7;
    private static final Map<String, int[]> TRACES = new ConcurrentHashMap<>();

    /** One row of the reference table whose trace is present. */
    record Row(String trace, long cacheSize, double lru, double fifo, double lfu, double lru2, double caffeine) {
        @Override
        public String toString() {
            return trace + "/" + cacheSize;
        }
    }

    static Stream<Row> rows() throws IOException {
        List<String> lines = Files.readAllLines(TraceReplay.sharedDir().resolve("traces/reference_hit_rates.tsv"));
        List<String> header = null;
        List<Row> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> cells = Arrays.asList(line.split("\t"));
            if (header == null) {
                header = cells;
                continue;
            }
            if (!Files.exists(TraceReplay.lirsTraceDir().resolve(cells.get(0)))) {
                continue;
            }
            List<String> h = header;
            rows.add(new Row(cells.get(0), Long.parseLong(cells.get(h.indexOf("cache_size"))),
                    cell(cells, h, "LRU"), cell(cells, h, "FIFO"), cell(cells, h, "LFU"), cell(cells, h, "LRU2"),
                    cell(cells, h, "Caffeine_median")));
        }
        return rows.stream();
    }

    private static double cell(List<String> cells, List<String> header, String column) {
        int index = header.indexOf(column);
        if (index < 0) {
            throw new IllegalStateException("reference table has no column " + column + "; header: " + header);
        }
        return Double.parseDouble(cells.get(index));
    }

    private static int[] trace(String name) {
        return TRACES.computeIfAbsent(name, n -> {
            try {
                return TraceReplay.readLirsTrace(TraceReplay.lirsTraceDir().resolve(n));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void everyPresentLirsTraceHasReferenceRows() throws IOException {
        assertThat(rows().map(Row::trace).distinct().count()).isGreaterThanOrEqualTo(13);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void classicPoliciesMatchTheReferenceExactly(Row row) {
        int[] keys = trace(row.trace());
        assertThat(TraceReplay.hitRatePercent(EvictionPolicyName.LRU, row.cacheSize(), keys))
                .as("lru").isCloseTo(row.lru(), within(EXACT));
        assertThat(TraceReplay.hitRatePercent(EvictionPolicyName.FIFO, row.cacheSize(), keys))
                .as("fifo").isCloseTo(row.fifo(), within(EXACT));
        assertThat(TraceReplay.hitRatePercent(EvictionPolicyName.LFU, row.cacheSize(), keys))
                .as("lfu").isCloseTo(row.lfu(), within(EXACT));
        assertThat(TraceReplay.hitRatePercent(EvictionPolicyName.LRU2, row.cacheSize(), keys))
                .as("lru2").isCloseTo(row.lru2(), within(EXACT));
    }

    /**
     * Caffeine's admission is randomised (a warm candidate beats the victim by chance, against hash flooding),
     * so one replay varies, and its spread has a long tail: sprite.trace at 100 entries (reference 26.78) gave
     * 26.2 to 27.7 in the middle 80% of 240 replays, but above the 2-point band in 8 of them (up to 30.9). A
     * median of 3 then fails about once in 300 runs (CI saw it); a median of 7 needs 4 tail replays, about
     * once in 20,000. The reference column is Caffeine 3.1.8's median of 3 runs.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void tinylfuIsWithinTwoPointsOfCaffeine(Row row) {
        int[] keys = trace(row.trace());
        double[] runs = new double[TINYLFU_RUNS];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = TraceReplay.hitRatePercent(EvictionPolicyName.TINYLFU, row.cacheSize(), keys);
        }
        Arrays.sort(runs);
        assertThat(runs[runs.length / 2]).as("median of %d replays %s", runs.length, Arrays.toString(runs))
                .isCloseTo(row.caffeine(), within(TINYLFU_TOLERANCE));
    }

    @Test
    void readerSkipsBlankAndNonNumericLines(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.trace.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("1\n\n*\n 2 \nabc\n3\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        assertThat(TraceReplay.readLirsTrace(file)).containsExactly(1, 2, 3);
    }

    @Test
    void traceKeysMapToDistinctStringsWithTheIntegerHash() {
        for (int key : new int[] {0, 1, 30, 31, 960, 961, 123_456, 62_980_095}) {
            assertThat(TraceReplay.keyOf(key).hashCode()).isEqualTo(key);
        }
        assertThat(TraceReplay.keyOf(31)).isNotEqualTo(TraceReplay.keyOf(1));
    }
}
