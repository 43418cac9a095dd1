#!/usr/bin/env bash
# Hit rates: replays every shared LIRS trace (traces/lirs/*.trace.gz) through every eviction policy at the
# cache sizes of traces/reference_hit_rates.tsv and prints them beside the recorded reference policies.
# Usage: bench/hit-rates.sh    the shared directory is ../shared beside the checkout, or $RINGCACHE_SHARED_DIR.
# Builds bench/target/benchmarks.jar only when it is missing.
set -euo pipefail

bench_dir="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench_dir")"
jar="$bench_dir/target/benchmarks.jar"
shared_dir="${RINGCACHE_SHARED_DIR:-$root/../shared}"

if [[ ! -f "$jar" ]]; then
  (cd "$root" && ./mvnw -B -q package -DskipTests -pl bench -am)
fi
exec java -cp "$jar" io.ringcache.bench.TraceHitRateReport "$shared_dir"
