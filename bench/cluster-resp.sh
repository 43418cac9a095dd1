#!/usr/bin/env bash
# RESP through a node that owns few of the keys: three packaged nodes on 127.0.0.1 (static peers, RESP on each, hot
# keys off so that every request for another node's key makes the peer hop), and
#   redis-benchmark -t get,set -n 100000 -c 50 -d 100 -r 100000 -P 1   and   ... -P 16
# against node 0, where about two keys in three are owned by one of the other two nodes. Every request goes through
# node 0's RESP event loop, so its forwarded calls are made from a thread outside the peer client's event loops.
# Each build runs on a freshly started cluster, warmed with unmeasured runs of both depths, then measured once per
# depth; given several builds, the rounds alternate them (A B, then B A, ...), so that a slow phase of the machine
# does not always fall on the same one. Prints per build, test and depth the medians of ops/s, p50 and p99 over the
# rounds, and the ratios of each build to the first.
# Usage: bench/cluster-resp.sh [--jar PATH]... [--rounds N]
#   --jar PATH   a node's quarkus-run.jar (default: this tree's node/target/quarkus-app, built when missing); give
#                it twice or more to compare builds in one run, e.g. a previous commit's worktree's jar first.
#   --rounds N   rounds (default 3); a round measures every build once.
# Node JVMs run with BENCH_NODE_JAVA_OPTS (default as bench/resp-vs-redis.sh's, with a 512 MiB heap: three nodes
# share the machine). Installs redis-tools when redis-benchmark is missing (as root). Every run's figures are kept
# in bench/target/cluster-resp/runs.csv, the nodes' logs beside it.
set -euo pipefail

bench_dir="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench_dir")"
default_jar="$root/node/target/quarkus-app/quarkus-run.jar"
jars=()
rounds=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jar) jars+=("${2:-}"); shift 2 ;;
    --rounds) rounds="${2:-}"; shift 2 ;;
    *) echo "unknown argument '$1'; usage: $0 [--jar PATH]... [--rounds N]" >&2; exit 2 ;;
  esac
done
if [[ ! "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "--rounds must be a positive number, was '$rounds'" >&2
  exit 2
fi
if [[ ${#jars[@]} -eq 0 ]]; then
  jars=("$default_jar")
  if [[ ! -f "$default_jar" ]]; then
    (cd "$root" && ./mvnw -B -q package -DskipTests -pl node -am)
  fi
fi
for jar in "${jars[@]}"; do
  if [[ ! -f "$jar" ]]; then
    echo "no node jar at $jar" >&2
    exit 1
  fi
done
if ! command -v redis-benchmark >/dev/null || ! command -v redis-cli >/dev/null; then
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "redis-benchmark is not installed; run: sudo apt-get install -y redis-tools" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq redis-tools >/dev/null
fi

work_dir="$bench_dir/target/cluster-resp"
warmup_runs=3
benchmark_args=(-t get,set -n 100000 -c 50 -d 100 -r 100000)
pipelines=(1 16)
java_opts="${BENCH_NODE_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC -XX:+UseTransparentHugePages -XX:+AlwaysPreTouch}"
mkdir -p "$work_dir"

# A build's name in the table: the short commit of the tree its jar was built in, else its position.
labels=()
for i in "${!jars[@]}"; do
  tree="$(cd "$(dirname "${jars[$i]}")" && git rev-parse --short HEAD 2>/dev/null || true)"
  label="${tree:-build$i}"
  if [[ " ${labels[*]} " == *" $label "* ]]; then label="$label-$i"; fi
  labels+=("$label")
done

# Ports no socket uses now, below the kernel's ephemeral range (so no client connection can hold one), chosen once
# for all clusters (as bench/resp-vs-redis.sh does).
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
http_ports=() peer_ports=() resp_ports=()
for i in 0 1 2; do
  http_ports+=("$(free_port)")
  peer_ports+=("$(free_port)")
  resp_ports+=("$(free_port)")
done
peers="127.0.0.1:${peer_ports[0]},127.0.0.1:${peer_ports[1]},127.0.0.1:${peer_ports[2]}"

pids=()
start_cluster() {   # jar
  local i
  pids=()
  for i in 0 1 2; do
    # shellcheck disable=SC2086 # the options are words
    java $java_opts -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="${http_ports[$i]}" \
      -Dringcache.discovery=static -Dringcache.peer-host=127.0.0.1 -Dringcache.peer-port="${peer_ports[$i]}" \
      -Dringcache.self="127.0.0.1:${peer_ports[$i]}" -Dringcache.peers="$peers" \
      -Dringcache.resp.host=127.0.0.1 -Dringcache.resp.port="${resp_ports[$i]}" \
      -Dringcache.hot-keys.enabled=false -jar "$1" >"$work_dir/node-$i.log" 2>&1 &
    pids+=($!)
  done
  for i in 0 1 2; do
    for _ in $(seq 1 120); do
      curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:${http_ports[$i]}/q/health/ready" && break
      kill -0 "${pids[$i]}" 2>/dev/null || break
      sleep 0.5
    done
    if ! curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:${http_ports[$i]}/q/health/ready" \
      || [[ "$(redis-cli -h 127.0.0.1 -p "${resp_ports[$i]}" PING 2>/dev/null)" != PONG ]]; then
      echo "node $i did not become ready; see $work_dir/node-$i.log" >&2
      exit 1
    fi
  done
}
stop_cluster() {   # a node that has not stopped 30 s after TERM (handing entries to peers that stop too) is killed
  local pid alive
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 60); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap stop_cluster EXIT

# Appends "build,round,pipeline,test,rps,p50_ms,p99_ms" rows of one redis-benchmark run; fails if it did not report
# both tests.
measure() {   # build label, round, pipeline
  local out
  out="$(timeout 300 redis-benchmark -h 127.0.0.1 -p "${resp_ports[0]}" "${benchmark_args[@]}" -P "$3" --csv)"
  if [[ "$(grep -c -e '^"SET"' -e '^"GET"' <<<"$out")" -ne 2 ]]; then
    echo "redis-benchmark (-P $3) did not report SET and GET:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk -F'"' -v b="$1" -v r="$2" -v p="$3" \
    '$2 == "SET" || $2 == "GET" { print b "," r "," p "," $2 "," $4 "," $10 "," $14 }' <<<"$out" >>"$work_dir/runs.csv"
}

# The share of redis-benchmark's keys (key:000000NNNNNN) that node 0 owns, from a sample of 200.
local_share() {
  local owned=0 n key owners
  for n in $(shuf -i 0-99999 -n 200); do
    key="$(printf 'key:%012d' "$n")"
    owners="$(curl -fs --max-time 5 "http://127.0.0.1:${http_ports[0]}/v1/cluster/owners/$key")"
    if [[ "$owners" == *"\"owners\":[\"127.0.0.1:${peer_ports[0]}\""* ]]; then
      owned=$((owned + 1))
    fi
  done
  echo "$owned"
}

echo "build,round,pipeline,test,rps,p50_ms,p99_ms" >"$work_dir/runs.csv"
: >"$work_dir/warmup.log"
owned=""
for round in $(seq 1 "$rounds"); do
  order=("${!jars[@]}")
  if ((round % 2 == 0)); then
    order=()
    for ((i = ${#jars[@]} - 1; i >= 0; i--)); do order+=("$i"); done
  fi
  for i in "${order[@]}"; do
    start_cluster "${jars[$i]}"
    [[ -n "$owned" ]] || owned="$(local_share)"
    # Unmeasured runs first: the JIT compiles the request and forwarding paths of all three nodes.
    for _ in $(seq 1 "$warmup_runs"); do
      for pipeline in "${pipelines[@]}"; do
        timeout 300 redis-benchmark -h 127.0.0.1 -p "${resp_ports[0]}" "${benchmark_args[@]}" -P "$pipeline" -q \
          >>"$work_dir/warmup.log" 2>&1
      done
    done
    for pipeline in "${pipelines[@]}"; do
      measure "${labels[$i]}" "$round" "$pipeline"
    done
    errors="$(cat "$work_dir"/node-*.log | grep -c -e ' ERROR ' -e 'Exception' || true)"
    stop_cluster
    echo "round $round, ${labels[$i]}: done (ERROR or exception lines in the nodes' logs: $errors)"
  done
done

median() {
  sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
value_of() {   # build, pipeline, test, column
  awk -F, -v b="$1" -v p="$2" -v t="$3" -v c="$4" '$1 == b && $3 == p && $4 == t { print $c }' "$work_dir/runs.csv" \
    | median
}

echo
echo "redis-benchmark ${benchmark_args[*]} -P 1|16 against node 0 of 3 (hot keys off), $rounds rounds, medians"
echo "node 0 owns $owned of 200 sampled keys; JVM $java_opts"
for i in "${!jars[@]}"; do echo "${labels[$i]}: ${jars[$i]}"; done
printf '%-10s %4s %-4s %12s %9s %9s' build "-P" test "ops/s" "p50 ms" "p99 ms"
[[ ${#jars[@]} -gt 1 ]] && printf ' %9s %9s %9s' "ops/s x" "p50 x" "p99 x"
echo
for pipeline in "${pipelines[@]}"; do
  for test in SET GET; do
    base_rps="$(value_of "${labels[0]}" "$pipeline" "$test" 5)"
    base_p50="$(value_of "${labels[0]}" "$pipeline" "$test" 6)"
    base_p99="$(value_of "${labels[0]}" "$pipeline" "$test" 7)"
    for label in "${labels[@]}"; do
      awk -v b="$label" -v p="$pipeline" -v t="$test" -v many="${#jars[@]}" \
        -v rps="$(value_of "$label" "$pipeline" "$test" 5)" -v p50="$(value_of "$label" "$pipeline" "$test" 6)" \
        -v p99="$(value_of "$label" "$pipeline" "$test" 7)" -v brps="$base_rps" -v bp50="$base_p50" \
        -v bp99="$base_p99" 'BEGIN {
          printf "%-10s %4d %-4s %12.0f %9.3f %9.3f", b, p, t, rps, p50, p99
          if (many > 1) printf " %9.2f %9.2f %9.2f", rps / brps, p50 / bp50, p99 / bp99
          printf "\n"
        }'
    done
  done
done
[[ ${#jars[@]} -gt 1 ]] && echo "(x: ratio to ${labels[0]}'s median; above 1 is more ops/s, or a longer latency)"
exit 0
