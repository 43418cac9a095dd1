package io.ringcache.bench;

import io.ringcache.node.resp.RespCodecBenchmark;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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
 * Runs {@link RespCodecBenchmark} {@value #ROUNDS} times and prints, for decode and encode at each pipeline depth,
 * the median commands per second of ringcache's hand-written codec and of netty-codec-redis over the measurement
 * iterations of all rounds, and their ratio. Arguments are JMH's command line for one round (e.g.
 * {@code -f 1 -wi 3 -w 1s -i 5 -r 1s}); JSON results go to {@code target/jmh-resp-codec-round-R.json}.
 */
public final class RespCodecReport {

    private static final int ROUNDS = 3;

    private RespCodecReport() {
    }

    private record Case(String operation, int pipeline, String codec) {
    }

    public static void main(String[] args) throws CommandLineOptionException, RunnerException {
        Options commandLine = new CommandLineOptions(args);
        Map<Case, ListStatistics> commandsPerSecond = new LinkedHashMap<>();
        for (int round = 1; round <= ROUNDS; round++) {
            Options options = new OptionsBuilder()
                    .parent(commandLine)
                    .include(RespCodecBenchmark.class.getName())
                    .resultFormat(ResultFormatType.JSON)
                    .result("target/jmh-resp-codec-round-" + round + ".json")
                    .build();
            for (RunResult run : new Runner(options).run()) {
                String benchmark = run.getParams().getBenchmark();
                int pipeline = Integer.parseInt(run.getParams().getParam("pipeline"));
                Case measured = new Case(benchmark.substring(benchmark.lastIndexOf('.') + 1), pipeline,
                        run.getParams().getParam("codec"));
                ListStatistics iterations = commandsPerSecond.computeIfAbsent(measured, c -> new ListStatistics());
                for (BenchmarkResult fork : run.getBenchmarkResults()) {
                    for (IterationResult iteration : fork.getIterationResults()) {
                        iterations.addValue(iteration.getPrimaryResult().getScore() * pipeline);
                    }
                }
            }
        }
        System.out.println();
        System.out.println("Commands/s: median over the measurement iterations of " + ROUNDS + " rounds;"
                + " ratio = ringcache / netty-codec-redis");
        System.out.printf(Locale.ROOT, "%-6s %8s %18s %18s %7s%n", "op", "pipeline", "netty-codec-redis",
                "ringcache", "ratio");
        for (String operation : new String[] {"decode", "encode"}) {
            for (int pipeline : new int[] {1, 16}) {
                Statistics netty = commandsPerSecond.get(new Case(operation, pipeline, RespCodecBenchmark.NETTY));
                Statistics ours = commandsPerSecond.get(new Case(operation, pipeline, RespCodecBenchmark.RINGCACHE));
                if (netty == null || ours == null) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "%-6s %8d %,18.0f %,18.0f %7.2f%n", operation, pipeline,
                        netty.getPercentile(50), ours.getPercentile(50),
                        ours.getPercentile(50) / netty.getPercentile(50));
            }
        }
    }
}
