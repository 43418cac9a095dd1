package io.ringcache.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.ListStatistics;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link CacheThroughputBenchmark} at 1 and 2 threads and prints, for get and put, each cache's median
 * throughput, its ratio to bare Caffeine and, for the stores, to Caffeine holding the store's values (what the
 * store's own code costs), all measured in the same run, against the targets: tinylfu at least
 * {@value #TINYLFU_TARGET} of Caffeine on get and put, every other policy at least {@value #POLICY_READ_TARGET}
 * on get.
 *
 * <p>The machine is noisy, and JMH runs one benchmark after the other, so a burst of load elsewhere would fall on
 * one cache and skew its ratio. The whole matrix is therefore run {@value #ROUNDS} times in a row and each cache's
 * median is taken over the measurement iterations of all rounds. Arguments are JMH's own command line for one
 * round (e.g. {@code -f 1 -wi 2 -w 1s -i 3 -r 1s}); the thread count and the JSON result files
 * ({@code target/jmh-round-R-threads-N.json}, relative to the working directory) are set here.
 */
public final class PolicyThroughputReport {

    private static final int ROUNDS = 3;
    private static final int[] THREAD_COUNTS = {1, 2};
    private static final double TINYLFU_TARGET = 0.9;
    private static final double POLICY_READ_TARGET = 0.25;

    private PolicyThroughputReport() {
    }

    /** One benchmark of the matrix. */
    private record Case(String operation, int threads, String cache) {
    }

    public static void main(String[] args) throws CommandLineOptionException, RunnerException {
        Options commandLine = new CommandLineOptions(args);
        Map<Case, ListStatistics> opsPerSecond = new LinkedHashMap<>();
        for (int round = 1; round <= ROUNDS; round++) {
            for (int threads : THREAD_COUNTS) {
                Options options = new OptionsBuilder()
                        .parent(commandLine)
                        .include(CacheThroughputBenchmark.class.getName())
                        .threads(threads)
                        .resultFormat(ResultFormatType.JSON)
                        .result("target/jmh-round-" + round + "-threads-" + threads + ".json")
                        .build();
                for (RunResult run : new Runner(options).run()) {
                    String benchmark = run.getParams().getBenchmark();
                    Case measured = new Case(benchmark.substring(benchmark.lastIndexOf('.') + 1), threads,
                            run.getParams().getParam("cache"));
                    ListStatistics iterations = opsPerSecond.computeIfAbsent(measured, c -> new ListStatistics());
                    for (BenchmarkResult fork : run.getBenchmarkResults()) {
                        for (IterationResult iteration : fork.getIterationResults()) {
                            iterations.addValue(iteration.getPrimaryResult().getScore());
                        }
                    }
                }
            }
        }
        print(opsPerSecond);
    }

    private static void print(Map<Case, ListStatistics> opsPerSecond) {
        System.out.println();
        System.out.println("Throughput: median over the measurement iterations of " + ROUNDS + " rounds;"
                + " x caffeine = median / median of bare Caffeine for the same operation and threads;"
                + " x storedvalue = median / median of Caffeine holding the store's values");
        System.out.printf(Locale.ROOT, "%-4s %7s %-20s %14s %28s %10s %13s %8s %s%n", "op", "threads", "cache",
                "median ops/s", "min..max ops/s", "x caffeine", "x storedvalue", "target", "verdict");
        List<Case> cases = new ArrayList<>(opsPerSecond.keySet());
        cases.sort(Comparator.comparing(Case::operation).thenComparing(Case::threads));
        for (Case c : cases) {
            Statistics iterations = opsPerSecond.get(c);
            OptionalDouble ratio = ratio(opsPerSecond, c, CacheUnderTest.BARE_CAFFEINE);
            OptionalDouble toStoredValues = isPeer(c.cache())
                    ? OptionalDouble.empty()
                    : ratio(opsPerSecond, c, CacheUnderTest.CAFFEINE_OF_STORED_VALUES);
            OptionalDouble target = target(c.cache(), c.operation());
            System.out.println(String.format(Locale.ROOT, "%-4s %7d %-20s %,14.0f %,13.0f..%,-13.0f %10s %13s %8s %s",
                    c.operation(), c.threads(), c.cache(), iterations.getPercentile(50), iterations.getMin(),
                    iterations.getMax(), formatRatio(ratio), formatRatio(toStoredValues),
                    target.isPresent() ? format(">= %.2f", target.getAsDouble()) : "",
                    verdict(ratio, target)).stripTrailing());
        }
    }

    /** The median of {@code measured} over the median of {@code peer} for the same operation and threads. */
    private static OptionalDouble ratio(Map<Case, ListStatistics> opsPerSecond, Case measured, String peer) {
        Statistics peerIterations = opsPerSecond.get(new Case(measured.operation(), measured.threads(), peer));
        return peerIterations == null
                ? OptionalDouble.empty()
                : OptionalDouble.of(opsPerSecond.get(measured).getPercentile(50) / peerIterations.getPercentile(50));
    }

    private static boolean isPeer(String cache) {
        return cache.equals(CacheUnderTest.BARE_CAFFEINE) || cache.equals(CacheUnderTest.CAFFEINE_OF_STORED_VALUES);
    }

    private static String formatRatio(OptionalDouble ratio) {
        return ratio.isPresent() ? format("%.2f", ratio.getAsDouble()) : "-";
    }

    private static String verdict(OptionalDouble ratio, OptionalDouble target) {
        if (ratio.isEmpty() || target.isEmpty()) {
            return "";
        }
        return ratio.getAsDouble() >= target.getAsDouble() ? "met" : "MISSED";
    }

    private static String format(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }

    /** The lowest acceptable ratio to bare Caffeine, or empty where none is set. */
    private static OptionalDouble target(String cache, String operation) {
        if (cache.equals("tinylfu")) {
            return OptionalDouble.of(TINYLFU_TARGET);
        }
        if (operation.equals("get") && !isPeer(cache)) {
            return OptionalDouble.of(POLICY_READ_TARGET);
        }
        return OptionalDouble.empty();
    }
}
