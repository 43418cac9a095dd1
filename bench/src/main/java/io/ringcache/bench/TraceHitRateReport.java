package io.ringcache.bench;

import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.TraceReplay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Replays every {@code traces/lirs/*.trace.gz} of the shared directory through every eviction policy, at each
 * cache size (in entries) that {@code traces/reference_hit_rates.tsv} lists for that trace, and prints each
 * policy's hit rate, rounded to the table's 0.01, beside the recorded hit rate of its reference
 * ({@code tinylfu} beside {@code Caffeine_median}, {@code lru} beside {@code LRU}, ...) with the difference in
 * percentage points, then the mean and the largest difference of each policy. Traces are read and replayed by
 * the node's own {@link TraceReplay}: a get per access, a put on a miss, one unit of charge per entry.
 *
 * <p>Usage: {@code TraceHitRateReport SHARED_DIR}, where {@code SHARED_DIR} holds {@code traces/}.
 */
public final class TraceHitRateReport {

    private static final Map<EvictionPolicyName, String> REFERENCE_COLUMN = new EnumMap<>(Map.of(
            EvictionPolicyName.TINYLFU, "Caffeine_median",
            EvictionPolicyName.LRU, "LRU",
            EvictionPolicyName.LFU, "LFU",
            EvictionPolicyName.FIFO, "FIFO",
            EvictionPolicyName.LRU2, "LRU2"));

    private TraceHitRateReport() {
    }

    /** One policy's hit rate on one trace at one size, and its reference's. */
    private record Comparison(String trace, long cacheSize, EvictionPolicyName policy, double percent,
                              double referencePercent) {

        double difference() {
            return hundredths(percent - referencePercent);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: TraceHitRateReport SHARED_DIR (the directory holding traces/)");
            System.exit(2);
        }
        Path traces = Path.of(args[0], "traces");
        ReferenceHitRates reference = ReferenceHitRates.read(traces.resolve("reference_hit_rates.tsv"));
        List<Comparison> comparisons = new ArrayList<>();
        printHeader();
        for (Path trace : traceFiles(traces.resolve("lirs"))) {
            String name = trace.getFileName().toString();
            List<ReferenceHitRates.Row> rows = reference.rowsOf(name);
            if (rows.isEmpty()) {
                System.out.println(name + ": no cache sizes in reference_hit_rates.tsv, not replayed");
                continue;
            }
            int[] keys = TraceReplay.readLirsTrace(trace);
            for (ReferenceHitRates.Row row : rows) {
                List<Comparison> line = new ArrayList<>();
                for (EvictionPolicyName policy : EvictionPolicyName.values()) {
                    line.add(new Comparison(name, row.cacheSize(), policy,
                            hundredths(TraceReplay.hitRatePercent(policy, row.cacheSize(), keys)),
                            row.percent(REFERENCE_COLUMN.get(policy))));
                }
                printLine(line);
                comparisons.addAll(line);
            }
        }
        printSummary(comparisons);
    }

    /** Rounds to the precision of the reference table, so that a difference below it reads as zero. */
    private static double hundredths(double percent) {
        return Math.round(percent * 100) / 100.0;
    }

    private static List<Path> traceFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".trace.gz")).sorted().toList();
        }
    }

    private static void printHeader() {
        System.out.println("Hit rates in percent; diff = ringcache policy - its reference, in percentage points");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-16s %6s", "trace", "size"));
        for (EvictionPolicyName policy : EvictionPolicyName.values()) {
            header.append(String.format(Locale.ROOT, " | %7s %15s %6s", policy.configName(),
                    REFERENCE_COLUMN.get(policy), "diff"));
        }
        System.out.println(header);
    }

    private static void printLine(List<Comparison> line) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-16s %6d",
                line.get(0).trace(), line.get(0).cacheSize()));
        for (Comparison c : line) {
            text.append(String.format(Locale.ROOT, " | %7.2f %15.2f %+6.2f", c.percent(), c.referencePercent(),
                    c.difference()));
        }
        System.out.println(text);
    }

    private static void printSummary(List<Comparison> comparisons) {
        System.out.println();
        System.out.println("policy  reference        mean diff  mean |diff|  largest |diff| at");
        for (EvictionPolicyName policy : EvictionPolicyName.values()) {
            List<Comparison> ofPolicy = comparisons.stream().filter(c -> c.policy() == policy).toList();
            if (ofPolicy.isEmpty()) {
                continue;
            }
            Comparison largest = ofPolicy.stream()
                    .max((a, b) -> Double.compare(Math.abs(a.difference()), Math.abs(b.difference()))).orElseThrow();
            System.out.printf(Locale.ROOT, "%-7s %-15s %+10.2f %12.2f %+15.2f %s@%d%n", policy.configName(),
                    REFERENCE_COLUMN.get(policy),
                    ofPolicy.stream().mapToDouble(Comparison::difference).average().orElseThrow(),
                    ofPolicy.stream().mapToDouble(c -> Math.abs(c.difference())).average().orElseThrow(),
                    largest.difference(), largest.trace(), largest.cacheSize());
        }
    }
}
