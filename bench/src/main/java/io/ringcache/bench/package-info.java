/**
 * Benchmarks of the node's store, each beside a named peer measured in the same run.
 * {@link io.ringcache.bench.CacheThroughputBenchmark} times get and put of every eviction policy against a
 * bare Caffeine cache of the same byte budget, and {@link io.ringcache.bench.PolicyThroughputReport} prints the
 * ratios; {@link io.ringcache.bench.TraceHitRateReport} replays the shared LIRS traces through every policy and
 * prints the hit rates beside the recorded reference policies. Results are recorded in {@code bench/RESULTS.md}.
 */
package io.ringcache.bench;
