#!/usr/bin/env bash
# Three packaged nodes on 127.0.0.1 (static peers), HTTP load with wrk on node 0, in one run:
#  1. GETs of keys node 0 owns ("local") against keys other nodes own ("remote", one peer hop), alternating,
#     3 rounds, both saturating the machine (`wrk -t2 -c50 -d10s`) and at low concurrency (`wrk -t1 -c4 -d10s`,
#     where p50 is service time rather than queueing), hot keys off so that every remote GET makes the hop;
#     medians of requests/s, p50 and p99, remote/local ratios.
#  2. A Zipf(1.1) workload over 10,000 keys with hot keys off, on with the default threshold (100 requests/s) and
#     on with a threshold of 5 requests/s (each mode on a freshly started cluster), 3 rounds: requests/s on node 0
#     and peer requests/s (sum over all nodes of ringcache_group_peer_forwarded_total per second), and the
#     off/on ratios of peer requests, per second and per request served, beside the cut the threshold allows at
#     the measured request rate (without the renewal of copies for members that keep reading a key).
# Usage: bench/cluster-wrk.sh [--part remote|zipf] [--jar PATH]
#   builds the node when its jar is missing; installs wrk when missing (as root).
#   --part remote   only part 1 (~4 min); --part zipf only part 2. Default: both (~12 min).
#   --jar PATH      the node's quarkus-run.jar to start (default: this tree's node/target/quarkus-app), e.g. a
#                   previous build's, to compare builds in one session.
#   CLUSTER_WRK_HTTP_PORT, CLUSTER_WRK_PEER_PORT   node i listens on these + i (default 18180 and 17180), to keep
#                   clear of another session's servers on the same machine.
set -euo pipefail

bench_dir="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench_dir")"
node_jar="$root/node/target/quarkus-app/quarkus-run.jar"
part=all
while [[ $# -gt 0 ]]; do
  case "$1" in
    --part) part="${2:-}"; shift 2 ;;
    --jar) node_jar="${2:-}"; shift 2 ;;
    *) echo "unknown argument '$1'; usage: $0 [--part remote|zipf] [--jar PATH]" >&2; exit 2 ;;
  esac
done
case "$part" in
  all|remote|zipf) ;;
  *) echo "--part must be remote or zipf, was '$part'" >&2; exit 2 ;;
esac
work_dir="$bench_dir/target/cluster-wrk"
http_base="${CLUSTER_WRK_HTTP_PORT:-18180}"
peer_base="${CLUSTER_WRK_PEER_PORT:-17180}"
http_ports=("$http_base" $((http_base + 1)) $((http_base + 2)))
peer_ports=("$peer_base" $((peer_base + 1)) $((peer_base + 2)))
rounds=3
wrk_args=(-t2 -c50 -d10s --latency)
light_args=(-t1 -c4 -d10s --latency)
keys=2000
zipf_keys=10000

if ! command -v wrk >/dev/null; then
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "wrk is not installed; run: sudo apt-get install -y wrk" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
if [[ ! -f "$node_jar" ]]; then
  if [[ "$node_jar" != "$root/node/target/quarkus-app/quarkus-run.jar" ]]; then
    echo "no node jar at $node_jar" >&2
    exit 1
  fi
  (cd "$root" && ./mvnw -B -q package -DskipTests -pl node -am)
fi
for port in "${http_ports[@]}" "${peer_ports[@]}"; do
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
    echo "something already listens on 127.0.0.1:$port; stop it first" >&2
    exit 1
  fi
done
mkdir -p "$work_dir"

pids=()
start_cluster() {   # extra -D options for every node
  local peers="127.0.0.1:${peer_ports[0]},127.0.0.1:${peer_ports[1]},127.0.0.1:${peer_ports[2]}"
  pids=()
  for i in 0 1 2; do
    java -Xmx512m -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="${http_ports[$i]}" \
      -Dringcache.discovery=static -Dringcache.peer-host=127.0.0.1 -Dringcache.peer-port="${peer_ports[$i]}" \
      -Dringcache.self="127.0.0.1:${peer_ports[$i]}" -Dringcache.peers="$peers" \
      -Dringcache.resp.enabled=false "$@" -jar "$node_jar" >"$work_dir/node-$i.log" 2>&1 &
    pids+=($!)
  done
  for i in 0 1 2; do
    for _ in $(seq 1 120); do
      curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:${http_ports[$i]}/q/health/ready" && break
      sleep 0.5
    done
    curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:${http_ports[$i]}/q/health/ready" \
      || { echo "node $i did not become ready; see $work_dir/node-$i.log" >&2; exit 1; }
  done
}
stop_cluster() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap stop_cluster EXIT

base="http://127.0.0.1:${http_ports[0]}"
head -c 100 /dev/zero | tr '\0' 'v' > "$work_dir/value.bin"
preload() {   # key names on stdin
  xargs -P 8 -I{} curl -fs --max-time 5 -o /dev/null -X PUT --data-binary @"$work_dir/value.bin" "$base/v1/groups/default/keys/{}"
}
peer_requests() {   # the sum over all nodes of forwarded peer requests so far
  local sum=0 n
  for port in "${http_ports[@]}"; do
    n=$(curl -fs --max-time 5 "http://127.0.0.1:$port/q/metrics" | awk '/^ringcache_group_peer_forwarded_total\{/ {s += $2} END {printf "%d", s}')
    sum=$((sum + n))
  done
  echo "$sum"
}
to_ms() {   # wrk latency (e.g. 812.00us, 1.23ms, 2.01s) in milliseconds
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 } else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 } else print v }'
}
run_wrk() {   # label, then wrk arguments; appends "label rps p50 p99" to results
  local label=$1 out; shift
  if [[ "$label" == light-* ]]; then out=$(wrk "${light_args[@]}" "$@"); else out=$(wrk "${wrk_args[@]}" "$@"); fi
  local rps p50 p99
  rps=$(echo "$out" | awk '/^Requests\/sec:/ {printf "%d", $2}')
  p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
  p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
  echo "$label $rps $p50 $p99" | tee -a "$work_dir/results.txt"
}
median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

: > "$work_dir/results.txt"
if [[ "$part" != zipf ]]; then
echo "== part 1: local vs remote keys (node 0) =="
# Hot keys off: each remote GET must make the hop this part measures. With them on, these uniform reads of ~1,400
# remote keys at tens of thousands of requests/s would pass a lowered threshold, and node 0 would serve copies.
start_cluster -Dringcache.hot-keys.enabled=false
self0="127.0.0.1:${peer_ports[0]}"
: > "$work_dir/local.txt"
: > "$work_dir/remote.txt"
for i in $(seq 0 $((keys - 1))); do
  owner=$(curl -fs --max-time 5 "$base/v1/cluster/owners/k-$i" | sed 's/.*"owners":\["\([^"]*\)".*/\1/')
  if [[ "$owner" == "$self0" ]]; then echo "k-$i" >> "$work_dir/local.txt"; else echo "k-$i" >> "$work_dir/remote.txt"; fi
done
cat "$work_dir/local.txt" "$work_dir/remote.txt" | preload
echo "local keys: $(wc -l < "$work_dir/local.txt"), remote keys: $(wc -l < "$work_dir/remote.txt")"
wrk -t2 -c50 -d5s -s "$bench_dir/lua/key-list.lua" "$base" -- "$work_dir/local.txt" >/dev/null
wrk -t2 -c50 -d5s -s "$bench_dir/lua/key-list.lua" "$base" -- "$work_dir/remote.txt" >/dev/null
for r in $(seq 1 $rounds); do
  run_wrk local -s "$bench_dir/lua/key-list.lua" "$base" -- "$work_dir/local.txt"
  run_wrk remote -s "$bench_dir/lua/key-list.lua" "$base" -- "$work_dir/remote.txt"
  run_wrk light-local -s "$bench_dir/lua/key-list.lua" "$base" -- "$work_dir/local.txt"
  run_wrk light-remote -s "$bench_dir/lua/key-list.lua" "$base" -- "$work_dir/remote.txt"
done
stop_cluster
fi

if [[ "$part" != remote ]]; then
echo "== part 2: Zipf(1.1) over $zipf_keys keys, hot keys off, on (threshold 100/s), on (threshold 5/s) =="
for r in $(seq 1 $rounds); do
  for mode in off on on5; do
    case "$mode" in
      off) start_cluster -Dringcache.hot-keys.enabled=false ;;
      on) start_cluster ;;
      on5) start_cluster -Dringcache.hot-keys.threshold=5 ;;
    esac
    seq 1 $zipf_keys | sed 's/^/key:/' | preload
    wrk -t2 -c50 -d5s -s "$bench_dir/lua/zipf.lua" "$base" -- "$zipf_keys" 1.1 >/dev/null
    before=$(peer_requests)
    run_wrk "zipf-$mode" -s "$bench_dir/lua/zipf.lua" "$base" -- "$zipf_keys" 1.1
    after=$(peer_requests)
    echo "peers-$mode $(( (after - before) / 10 ))" | tee -a "$work_dir/results.txt"
    stop_cluster
  done
done
fi

echo
echo "node jar: $node_jar"
echo "wrk ${wrk_args[*]} (light: ${light_args[*]}), $rounds rounds, medians; 3 nodes and wrk share this machine's cores"
printf '%-28s %12s %10s %10s\n' workload "requests/s" "p50 ms" "p99 ms"
labels=()
[[ "$part" != zipf ]] && labels+=(local remote light-local light-remote)
[[ "$part" != remote ]] && labels+=(zipf-off zipf-on zipf-on5)
for label in "${labels[@]}"; do
  rps=$(awk -v l="$label" '$1 == l {print $2}' "$work_dir/results.txt" | median)
  p50=$(awk -v l="$label" '$1 == l {print $3}' "$work_dir/results.txt" | median)
  p99=$(awk -v l="$label" '$1 == l {print $4}' "$work_dir/results.txt" | median)
  printf '%-28s %12s %10s %10s\n' "$label" "$rps" "$p50" "$p99"
done
p50_of() { awk -v l="$1" '$1 == l {print $3}' "$work_dir/results.txt" | median; }
peers_of() { awk -v l="peers-$1" '$1 == l {print $2}' "$work_dir/results.txt" | median; }
if [[ "$part" != remote ]]; then
  peers_off=$(peers_of off)
  echo "peer requests/s: hot keys off $peers_off, on $(peers_of on), on with threshold 5/s $(peers_of on5)"
fi
if [[ "$part" != zipf ]]; then
  awk -v l="$(p50_of local)" -v r="$(p50_of remote)" 'BEGIN {printf "remote p50 / local p50, saturated: %.2f (target <= 1.5)\n", r / l}'
  awk -v l="$(p50_of light-local)" -v r="$(p50_of light-remote)" 'BEGIN {printf "remote p50 / local p50, 4 connections: %.2f (target <= 1.5)\n", r / l}'
fi
# The cut a threshold allows: only keys whose share of node 0's requests/s passes it become hot, so with exact
# per-key rates the cut is 1 / (1 - their share of requests) (remote keys taken as a uniform sample of the Zipf
# distribution). The owner's count-min sketch only over-estimates rates, so a measured cut may pass it a little.
best_cut() {   # requests/s threshold
  awk -v n="$zipf_keys" -v r="$1" -v t="$2" 'BEGIN {
    for (k = 1; k <= n; k++) { w[k] = k ^ -1.1; h += w[k] }
    for (k = 1; k <= n; k++) if (r * w[k] / h > t) s += w[k] / h
    printf "%.1f", 1 / (1 - s) }'
}
if [[ "$part" != remote ]]; then
  rps_off=$(awk '$1 == "zipf-off" {print $2}' "$work_dir/results.txt" | median)
  for mode in on on5; do
    threshold=100; [[ "$mode" == on5 ]] && threshold=5
    rps=$(awk -v l="zipf-$mode" '$1 == l {print $2}' "$work_dir/results.txt" | median)
    awk -v m="$mode" -v on="$(peers_of "$mode")" -v off="$peers_off" -v t="$threshold" -v best="$(best_cut "$rps" "$threshold")" \
      'BEGIN {printf "peer requests, hot keys off / %s: %.1fx (target >= 5; exact rates allow ~%sx at %d requests/s per key)\n", m, off / (on > 0 ? on : 1), best, t}'
    # The same cut per request served, which does not credit hot keys with the throughput they add.
    awk -v m="$mode" -v on="$(peers_of "$mode")" -v off="$peers_off" -v rps_on="$rps" -v rps_off="$rps_off" \
      'BEGIN {printf "peer requests per request on node 0, hot keys off / %s: %.3f / %.3f = %.1fx\n", m, off / rps_off, on / rps_on, (off / rps_off) / (on > 0 ? on / rps_on : 1)}'
  done
fi
