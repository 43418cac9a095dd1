package io.ringcache.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link CacheThroughputBenchmark} at 1 and 2 threads and prints, for get and put, each cache's median
 * throughput and its ratio to bare Caffeine measured in the same run, against the targets: tinylfu at least
 * {@value #TINYLFU_TARGET} of Caffeine on get and put, every other policy at least {@value #POLICY_READ_TARGET}
 * on get. Arguments are JMH's own command line (e.g. {@code -f 1 -wi 3 -w 1s -i 5 -r 1s}); the thread count
 * and the JSON result files ({@code target/jmh-threads-N.json}, relative to the working directory) are set here.
 */
public final class PolicyThroughputReport {

    private static final int[] THREAD_COUNTS = {1, 2};
    private static final double TINYLFU_TARGET = 0.9;
    private static final double POLICY_READ_TARGET = 0.25;

    private PolicyThroughputReport() {
    }

    /** One benchmark's throughput over its measurement iterations, in operations per second. */
    private record Throughput(String operation, int threads, String cache, Statistics iterations) {

        double median() {
            return iterations.getPercentile(50);
        }
    }

    public static void main(String[] args) throws CommandLineOptionException, RunnerException {
        Options commandLine = new CommandLineOptions(args);
        List<Throughput> measured = new ArrayList<>();
        for (int threads : THREAD_COUNTS) {
            Options options = new OptionsBuilder()
                    .parent(commandLine)
                    .include(CacheThroughputBenchmark.class.getName())
                    .threads(threads)
                    .resultFormat(ResultFormatType.JSON)
                    .result("target/jmh-threads-" + threads + ".json")
                    .build();
            for (RunResult run : new Runner(options).run()) {
                String benchmark = run.getParams().getBenchmark();
                measured.add(new Throughput(benchmark.substring(benchmark.lastIndexOf('.') + 1), threads,
                        run.getParams().getParam("cache"), run.getPrimaryResult().getStatistics()));
            }
        }
        print(measured);
    }

    private static void print(List<Throughput> measured) {
        System.out.println();
        System.out.println("Throughput: median of the measurement iterations; x caffeine = median / median of bare"
                + " Caffeine for the same operation and threads in this run");
        System.out.printf(Locale.ROOT, "%-4s %7s %-9s %14s %28s %10s %8s %s%n",
                "op", "threads", "cache", "median ops/s", "min..max ops/s", "x caffeine", "target", "verdict");
        measured.sort(Comparator.comparing(Throughput::operation).thenComparing(Throughput::threads));
        for (Throughput t : measured) {
            OptionalDouble ratio = measured.stream()
                    .filter(p -> p.operation().equals(t.operation()) && p.threads() == t.threads()
                            && p.cache().equals(CacheUnderTest.BARE_CAFFEINE))
                    .mapToDouble(p -> t.median() / p.median()).findFirst();
            OptionalDouble target = target(t.cache(), t.operation());
            System.out.printf(Locale.ROOT, "%-4s %7d %-9s %,14.0f %,13.0f..%,-13.0f %10s %8s %s%n",
                    t.operation(), t.threads(), t.cache(), t.median(), t.iterations().getMin(),
                    t.iterations().getMax(), ratio.isPresent() ? format("%.2f", ratio.getAsDouble()) : "-",
                    target.isPresent() ? format(">= %.2f", target.getAsDouble()) : "",
                    verdict(ratio, target));
        }
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
        if (operation.equals("get") && !cache.equals(CacheUnderTest.BARE_CAFFEINE)) {
            return OptionalDouble.of(POLICY_READ_TARGET);
        }
        return OptionalDouble.empty();
    }
}
