#!/usr/bin/env bash
# Store throughput: runs CacheThroughputBenchmark (get and put of every eviction policy and of bare Caffeine)
# at 1 and 2 threads and prints each policy's median ops/s and its ratio to bare Caffeine in the same run.
# Usage: bench/jmh.sh [JMH options]    default: -f 1 -wi 3 -w 1s -i 5 -r 1s (about 5 minutes on 2 cores)
# Builds bench/target/benchmarks.jar only when it is missing; JSON results go to bench/target/jmh-threads-N.json.
set -euo pipefail

bench_dir="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench_dir")"
jar="$bench_dir/target/benchmarks.jar"

if [[ ! -f "$jar" ]]; then
  (cd "$root" && ./mvnw -B -q package -DskipTests -pl bench -am)
fi
if [[ $# -eq 0 ]]; then
  set -- -f 1 -wi 3 -w 1s -i 5 -r 1s
fi
cd "$bench_dir"
exec java -cp "$jar" io.ringcache.bench.PolicyThroughputReport "$@"
