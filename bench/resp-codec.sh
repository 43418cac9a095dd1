#!/usr/bin/env bash
# RESP codec: runs RespCodecBenchmark (ringcache's hand-written decoder and encoder against netty-codec-redis,
# decode and encode at pipeline depths 1 and 16), three rounds, and prints each codec's median commands/s and
# the ratio ringcache / netty-codec-redis.
# Usage: bench/resp-codec.sh [JMH options for one round]
#   default: -f 1 -wi 3 -w 1s -i 5 -r 1s, about 3.5 minutes on 2 cores
# Builds bench/target/benchmarks.jar only when it is missing; JMH's JSON goes to
# bench/target/jmh-resp-codec-round-R.json.
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
exec java -cp "$jar" io.ringcache.bench.RespCodecReport "$@"
