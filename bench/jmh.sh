#!/usr/bin/env bash
# Store throughput: runs CacheThroughputBenchmark (get and put of every eviction policy and of bare Caffeine)
# at 1 and 2 threads, in rounds (default 3) that run their forks in a random order, and prints each cache's median ops/s
# and its ratio to bare Caffeine, the median of the ratios within each round.
# Usage: bench/jmh.sh [--rounds N] [JMH options for one cache in one round]
#   default JMH options: -f 1 -wi 2 -w 1s -i 3 -r 1s, about 10 minutes in all on 2 cores
# Builds bench/target/benchmarks.jar only when it is missing; JMH's JSON goes to
# bench/target/jmh-round-R-OPERATION-threads-N-CACHE.json.
set -euo pipefail

bench_dir="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench_dir")"
jar="$bench_dir/target/benchmarks.jar"

if [[ ! -f "$jar" ]]; then
  (cd "$root" && ./mvnw -B -q package -DskipTests -pl bench -am)
fi
rounds=()
if [[ "${1:-}" == --rounds ]]; then
  rounds=("${@:1:2}")
  shift ${#rounds[@]}
fi
if [[ $# -eq 0 ]]; then
  set -- -f 1 -wi 2 -w 1s -i 3 -r 1s
fi
cd "$bench_dir"
exec java -cp "$jar" io.ringcache.bench.PolicyThroughputReport "${rounds[@]}" "$@"
