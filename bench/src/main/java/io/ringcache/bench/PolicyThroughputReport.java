package io.ringcache.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
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
 * <p>Two kinds of noise decide how the matrix is run. Single forks of one build differ by up to a third, with the
 * heap layout they happen to get; and the machine is shared, so a burst of load elsewhere falls on whatever runs
 * then. So the matrix runs in rounds (default {@value #DEFAULT_ROUNDS}), in which every operation of every cache at
 * every thread count is one fork of its own, and each round runs its forks in a new random order (printed): no fork
 * always runs first or last, and none always follows the same one, so nothing a fork leaves behind on the machine
 * can favour one side in every round. Until the twenty-fifth session a fixed order paired them ({@code tinylfu}'s
 * 2-thread get always followed Caffeine's put); a 16-round test hinted that this cost {@code tinylfu} a sixth, but
 * 717 forks of three shuffled reports showed no effect of the fork before (bench/RESULTS.md, twenty-fifth session).
 * A ratio is the median over the rounds of the ratio within one round (each cache's median iteration in that
 * round), so a cache is always compared with its peer measured minutes apart, never with the peer's best or worst
 * fork.
 *
 * <p>Arguments: optionally {@code --rounds N} first, then JMH's own command line for one cache in one round (e.g.
 * {@code -f 1 -wi 2 -w 1s -i 3 -r 1s}, and {@code -p cache=...} to run some caches only). The thread count and
 * the JSON result files ({@code target/jmh-round-R-OPERATION-threads-N-CACHE.json}, relative to the working
 * directory) are set here.
 */
public final class PolicyThroughputReport {

    private static final int DEFAULT_ROUNDS = 3;
    private static final String ROUNDS_OPTION = "--rounds";
    private static final int[] THREAD_COUNTS = {1, 2};
    private static final double TINYLFU_TARGET = 0.9;
    private static final double POLICY_READ_TARGET = 0.25;

    private PolicyThroughputReport() {
    }

    /** One benchmark of the matrix. */
    private record Case(String operation, int threads, String cache) {

        Case withCache(String other) {
            return new Case(operation, threads, other);
        }

        @Override
        public String toString() {
            return operation + "/" + threads + "t/" + cache;
        }
    }

    /** What one case measured: every measurement iteration, and its median iteration per round. */
    private static final class Measured {
        final ListStatistics iterations = new ListStatistics();
        final Map<Integer, ListStatistics> iterationsByRound = new LinkedHashMap<>();

        void add(int round, double opsPerSecond) {
            iterations.addValue(opsPerSecond);
            iterationsByRound.computeIfAbsent(round, r -> new ListStatistics()).addValue(opsPerSecond);
        }

        OptionalDouble roundMedian(int round) {
            ListStatistics inRound = iterationsByRound.get(round);
            return inRound == null ? OptionalDouble.empty() : OptionalDouble.of(inRound.getPercentile(50));
        }
    }

    public static void main(String[] args) throws CommandLineOptionException, RunnerException {
        int rounds = DEFAULT_ROUNDS;
        String[] jmhArgs = args;
        if (args.length > 0 && args[0].equals(ROUNDS_OPTION)) {
            rounds = parseRounds(args);
            jmhArgs = Arrays.copyOfRange(args, 2, args.length);
        }
        Options commandLine = new CommandLineOptions(jmhArgs);
        Collection<String> caches = commandLine.getParameter("cache").orElseGet(PolicyThroughputReport::allCaches);
        // Filled in the matrix's own order, which is the order the results are printed in.
        Map<Case, Measured> measured = new LinkedHashMap<>();
        for (String operation : operations()) {
            for (int threads : THREAD_COUNTS) {
                for (String cache : caches) {
                    measured.put(new Case(operation, threads, cache), new Measured());
                }
            }
        }
        List<Case> matrix = new ArrayList<>(measured.keySet());
        Random order = new Random();
        for (int round = 1; round <= rounds; round++) {
            Collections.shuffle(matrix, order);
            System.out.println("Round " + round + " of " + rounds + ", forks in this order: " + matrix);
            for (Case c : matrix) {
                run(commandLine, round, c, measured);
            }
        }
        print(measured, rounds);
    }

    private static int parseRounds(String[] args) {
        try {
            int rounds = Integer.parseInt(args.length > 1 ? args[1] : "");
            if (rounds > 0) {
                return rounds;
            }
        } catch (NumberFormatException notANumber) {
            // reported below with the other bad values
        }
        throw new IllegalArgumentException(ROUNDS_OPTION + " takes a positive whole number of rounds, e.g. "
                + ROUNDS_OPTION + " 8, but was followed by "
                + (args.length > 1 ? "'" + args[1] + "'" : "nothing"));
    }

    /** The caches the benchmark's own {@code @Param} lists, for a command line that names none. */
    private static List<String> allCaches() {
        try {
            return List.of(CacheThroughputBenchmark.class.getField("cache").getAnnotation(Param.class).value());
        } catch (NoSuchFieldException renamed) {
            throw new IllegalStateException("CacheThroughputBenchmark has no public field 'cache' any more", renamed);
        }
    }

    /** The benchmark's operations: its {@code @Benchmark} methods, in name order. */
    private static List<String> operations() {
        List<String> operations = new ArrayList<>();
        for (var method : CacheThroughputBenchmark.class.getMethods()) {
            if (method.isAnnotationPresent(Benchmark.class)) {
                operations.add(method.getName());
            }
        }
        Collections.sort(operations);
        return operations;
    }

    private static void run(Options commandLine, int round, Case c, Map<Case, Measured> measured)
            throws RunnerException {
        Options options = new OptionsBuilder()
                .parent(commandLine)
                .include(Pattern.quote(CacheThroughputBenchmark.class.getName() + "." + c.operation()) + "$")
                .param("cache", c.cache())
                .threads(c.threads())
                .resultFormat(ResultFormatType.JSON)
                .result("target/jmh-round-" + round + "-" + c.operation() + "-threads-" + c.threads() + "-"
                        + c.cache() + ".json")
                .build();
        Measured results = measured.get(c);
        for (RunResult run : new Runner(options).run()) {
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    results.add(round, iteration.getPrimaryResult().getScore());
                }
            }
        }
    }

    private static void print(Map<Case, Measured> measured, int rounds) {
        System.out.println();
        System.out.println("Throughput over " + rounds + " rounds, each round's forks in a random order:"
                + " median and min..max over all measurement iterations;"
                + " x caffeine = median over the rounds of this cache's median iteration / bare Caffeine's in that round"
                + " (same operation and threads), and the middle half of those ratios (first..third quartile), which"
                + " shows how far one round's ratio can be trusted; x storedvalue = the same median against Caffeine"
                + " holding the store's values");
        System.out.printf(Locale.ROOT, "%-4s %7s %-20s %14s %28s %10s %12s %13s %8s %s%n", "op", "threads", "cache",
                "median ops/s", "min..max ops/s", "x caffeine", "middle half", "x storedvalue", "target", "verdict");
        for (Case c : measured.keySet()) {
            Statistics iterations = measured.get(c).iterations;
            Statistics ratios = pairedRatios(measured, c, CacheUnderTest.BARE_CAFFEINE);
            OptionalDouble ratio = median(ratios);
            OptionalDouble toStoredValues = isPeer(c.cache())
                    ? OptionalDouble.empty()
                    : median(pairedRatios(measured, c, CacheUnderTest.CAFFEINE_OF_STORED_VALUES));
            OptionalDouble target = target(c.cache(), c.operation());
            String middleHalf = ratios.getN() == 0 ? "-"
                    : format("%.2f", ratios.getPercentile(25)) + ".." + format("%.2f", ratios.getPercentile(75));
            System.out.println(String.format(Locale.ROOT, "%-4s %7d %-20s %,14.0f %,13.0f..%,-13.0f %10s %12s %13s %8s %s",
                    c.operation(), c.threads(), c.cache(), iterations.getPercentile(50), iterations.getMin(),
                    iterations.getMax(), formatRatio(ratio), middleHalf, formatRatio(toStoredValues),
                    target.isPresent() ? format(">= %.2f", target.getAsDouble()) : "",
                    verdict(ratio, target)).stripTrailing());
        }
    }

    /**
     * For each round, {@code c}'s median iteration over {@code peer}'s in that round, for the same operation and
     * threads; none when the peer was not run.
     */
    private static Statistics pairedRatios(Map<Case, Measured> measured, Case c, String peer) {
        ListStatistics ratios = new ListStatistics();
        Measured peerResults = measured.get(c.withCache(peer));
        if (peerResults == null) {
            return ratios;
        }
        for (int round : measured.get(c).iterationsByRound.keySet()) {
            OptionalDouble theirs = peerResults.roundMedian(round);
            if (theirs.isPresent()) {
                ratios.addValue(measured.get(c).roundMedian(round).getAsDouble() / theirs.getAsDouble());
            }
        }
        return ratios;
    }

    private static OptionalDouble median(Statistics ratios) {
        return ratios.getN() == 0 ? OptionalDouble.empty() : OptionalDouble.of(ratios.getPercentile(50));
    }

    private static boolean isPeer(String cache) {
        return cache.equals(CacheUnderTest.BARE_CAFFEINE) || cache.equals(CacheUnderTest.CAFFEINE_OF_STORED_VALUES);
    }

    /** Three decimals, so that a ratio just under a target never prints as the target beside "MISSED". */
    private static String formatRatio(OptionalDouble ratio) {
        return ratio.isPresent() ? format("%.3f", ratio.getAsDouble()) : "-";
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
