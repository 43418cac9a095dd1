#!/usr/bin/env bash
# RESP throughput and latency of one ringcache node beside redis-server 7, on the same machine in the same run.
# Starts redis-server (--save "" --appendonly no) and node/target/quarkus-app/quarkus-run.jar on 127.0.0.1 (free
# ports), warms both (5 unmeasured runs of each depth), then runs
#   redis-benchmark -t get,set -n 200000 -c 50 -d 100 -r 100000 -P 1   and   ... -P 16
# against each, alternating which goes first, 3 rounds, and prints the medians of ops/s and p99 per test and
# pipeline depth, the ringcache/redis ratios, and the verdict against the targets (ops/s ratio >= 1.0 at -P 1,
# >= 0.8 at -P 16).
# Usage: bench/resp-vs-redis.sh   builds the node only when its jar is missing; installs redis when missing (root).
# The node's JVM runs with BENCH_NODE_JAVA_OPTS (not RINGCACHE_...: the node reads RINGCACHE_* variables as settings), by default a fixed 1 GiB heap with the parallel collector: a cache
# keeps every value it is written, so each young collection copies them; G1's young generation stays small on 2
# cores and collects every second or two, the parallel one with a large young generation every ~25 s. The heap is
# on transparent huge pages (as in the node's JVM image, Dockerfile.node) and touched at start-up: lookups of
# random keys miss the TLB less, and first writes to the young generation take no page faults.
# BENCH_CONTROL=redis runs a second redis-server in the node's place: an A/A run, whose ratios show how far this
# machine's noise alone moves them from 1.0.
# The raw CSV of every run is kept in bench/target/resp-vs-redis/runs.csv, the servers' logs beside it.
set -euo pipefail

bench_dir="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench_dir")"
node_jar="$root/node/target/quarkus-app/quarkus-run.jar"
work_dir="$bench_dir/target/resp-vs-redis"
rounds=3
warmup_rounds=5
benchmark_args=(-t get,set -n 200000 -c 50 -d 100 -r 100000)
pipelines=(1 16)
java_opts="${BENCH_NODE_JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC -XX:+UseTransparentHugePages -XX:+AlwaysPreTouch}"
control="${BENCH_CONTROL:-}"
if [[ -n "$control" && "$control" != redis ]]; then
  echo "BENCH_CONTROL may only be 'redis' (got '$control')" >&2
  exit 1
fi

if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "redis-server and redis-benchmark are not installed; run: sudo apt-get install -y redis-server redis-tools" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq redis-server redis-tools >/dev/null
fi
if [[ -z "$control" && ! -f "$node_jar" ]]; then
  (cd "$root" && ./mvnw -B -q package -DskipTests -pl node -am)
fi

# A port no socket uses now, below the kernel's ephemeral range (so no client connection can hold it), and not
# handed out before (there is a small race with other programs until the server binds it).
chosen_ports=" "
free_port() {
  local port
  for port in $(shuf -i 20000-32000 -n 200); do
    if [[ "$chosen_ports" != *" $port "* && -z "$(ss -Htan "( sport = :$port or dport = :$port )")" ]]; then
      chosen_ports+="$port "
      echo "$port"
      return
    fi
  done
  echo "no free port found" >&2
  exit 1
}

mkdir -p "$work_dir"
free_port >"$work_dir/ports"
free_port >>"$work_dir/ports"
free_port >>"$work_dir/ports"
free_port >>"$work_dir/ports"
{ read -r redis_port; read -r resp_port; read -r http_port; read -r peer_port; } <"$work_dir/ports"

redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --daemonize no \
  >"$work_dir/redis.log" 2>&1 &
redis_pid=$!
if [[ "$control" == redis ]]; then
  redis-server --bind 127.0.0.1 --port "$resp_port" --save "" --appendonly no --daemonize no \
    >"$work_dir/node.log" 2>&1 &
else
  # shellcheck disable=SC2086 # the options are words
  java $java_opts -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$http_port" \
    -Dringcache.peer-host=127.0.0.1 -Dringcache.peer-port="$peer_port" -Dringcache.discovery=static \
    -Dringcache.resp.host=127.0.0.1 -Dringcache.resp.port="$resp_port" \
    -jar "$node_jar" >"$work_dir/node.log" 2>&1 &
fi
node_pid=$!
stop_servers() {
  kill "$node_pid" "$redis_pid" 2>/dev/null || true
  wait "$node_pid" "$redis_pid" 2>/dev/null || true
}
trap stop_servers EXIT

wait_for_ping() {
  local name="$1" port="$2" pid="$3"
  for _ in $(seq 1 120); do
    if [[ "$(redis-cli -h 127.0.0.1 -p "$port" PING 2>/dev/null)" == PONG ]]; then
      return
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    sleep 0.5
  done
  echo "$name did not answer PING on 127.0.0.1:$port within 60 s; its log:" >&2
  cat "$work_dir/$name.log" >&2
  exit 1
}
wait_for_ping redis "$redis_port" "$redis_pid"
wait_for_ping node "$resp_port" "$node_pid"

port_of() {
  if [[ "$1" == ringcache ]]; then echo "$resp_port"; else echo "$redis_port"; fi
}

# Appends "server,pipeline,round,test,rps,p99_ms" rows of one redis-benchmark run; fails if it did not report both tests.
measure() {
  local server="$1" pipeline="$2" round="$3" out
  out="$(timeout 300 redis-benchmark -h 127.0.0.1 -p "$(port_of "$server")" "${benchmark_args[@]}" -P "$pipeline" --csv)"
  if [[ "$(grep -c -e '^"SET"' -e '^"GET"' <<<"$out")" -ne 2 ]]; then
    echo "redis-benchmark against $server (-P $pipeline) did not report SET and GET:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk -F'"' -v s="$server" -v p="$pipeline" -v r="$round" \
    '$2 == "SET" || $2 == "GET" { print s "," p "," r "," $2 "," $4 "," $14 }' <<<"$out" >>"$work_dir/runs.csv"
}

median() {
  sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# Unmeasured runs first, so that the node's JIT has finished compiling the request path: after one run per server
# and depth, C2 still took 0.36 s of CPU during a measured 3.3 s -P 1 run (/proc/PID/task/*/stat), on the two
# cores the client and both servers share; after four, none.
for warmup in $(seq 1 "$warmup_rounds"); do
  for pipeline in "${pipelines[@]}"; do
    for server in ringcache redis; do
      timeout 300 redis-benchmark -h 127.0.0.1 -p "$(port_of "$server")" "${benchmark_args[@]}" -P "$pipeline" -q \
        >>"$work_dir/warmup.log" 2>&1
    done
  done
done

echo "server,pipeline,round,test,rps,p99_ms" >"$work_dir/runs.csv"
for round in $(seq 1 "$rounds"); do
  # Alternate who goes first, so that a slow phase of the machine does not always fall on the same server.
  if ((round % 2)); then order=(ringcache redis); else order=(redis ringcache); fi
  for pipeline in "${pipelines[@]}"; do
    for server in "${order[@]}"; do
      measure "$server" "$pipeline" "$round"
    done
  done
  echo "round $round done"
done

value_of() {
  awk -F, -v s="$1" -v p="$2" -v t="$3" -v c="$4" '$1 == s && $2 == p && $4 == t { print $c }' "$work_dir/runs.csv" \
    | median
}

echo
echo "redis-benchmark ${benchmark_args[*]} -P 1|16, $rounds rounds, alternating; medians"
if [[ "$control" == redis ]]; then
  echo "CONTROL RUN: the 'ringcache' column is a second redis-server on 127.0.0.1:$resp_port (BENCH_CONTROL=redis)"
fi
echo "ringcache: one node (JVM $java_opts; default group, tinylfu) on 127.0.0.1:$resp_port;" \
  "redis $(redis-server --version | awk '{ sub("v=", "", $3); print $3 }') on 127.0.0.1:$redis_port"
printf '%-4s %4s %14s %14s %8s %8s | %12s %12s %8s\n' test "-P" "ringcache op/s" "redis op/s" ratio target \
  "ring p99 ms" "redis p99 ms" ratio
for pipeline in "${pipelines[@]}"; do
  target=1.0
  if [[ "$pipeline" -ne 1 ]]; then target=0.8; fi
  for test in SET GET; do
    ring_rps="$(value_of ringcache "$pipeline" "$test" 5)"
    redis_rps="$(value_of redis "$pipeline" "$test" 5)"
    ring_p99="$(value_of ringcache "$pipeline" "$test" 6)"
    redis_p99="$(value_of redis "$pipeline" "$test" 6)"
    awk -v t="$test" -v p="$pipeline" -v a="$ring_rps" -v b="$redis_rps" -v target="$target" \
      -v c="$ring_p99" -v d="$redis_p99" 'BEGIN {
        ratio = a / b
        printf "%-4s %4d %14.0f %14.0f %8.2f %8s | %12.3f %12.3f %8.2f\n", t, p, a, b, ratio,
          (ratio >= target ? ">=" target " met" : ">=" target " MISSED"), c, d, c / d
      }'
  done
done
echo "(p99 ratio = ringcache p99 / redis p99: below 1 is better for ringcache)"
