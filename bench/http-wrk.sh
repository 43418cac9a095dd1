#!/usr/bin/env bash
# HTTP load on one node over loopback, beside the framework floor measured in the same run.
# Starts node/target/quarkus-app/quarkus-run.jar on 127.0.0.1 (HTTP 18080, peer protocol 17080, no RESP), stores a 100-byte value at
# /v1/groups/default/keys/bench-key, warms both endpoints for 5 s each, then runs `wrk -t2 -c50 -d10s --latency`
# three times against that key and three times against Quarkus' /q/health/live (interleaved, so both see the
# same noise), prints the median requests/s and median p99 of each and the ratio key/live, and stops the node.
# Usage: bench/http-wrk.sh    builds the node only when its jar is missing; installs wrk when missing (as root).
set -euo pipefail

bench_dir="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench_dir")"
node_jar="$root/node/target/quarkus-app/quarkus-run.jar"
port=18080
peer_port=17080
base="http://127.0.0.1:$port"
key_path="/v1/groups/default/keys/bench-key"
floor_path="/q/health/live"
runs=3
wrk_args=(-t2 -c50 -d10s --latency)
work_dir="$bench_dir/target/http-wrk"

if ! command -v wrk >/dev/null; then
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "wrk is not installed; run: sudo apt-get install -y wrk" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
if [[ ! -f "$node_jar" ]]; then
  (cd "$root" && ./mvnw -B -q package -DskipTests -pl node -am)
fi
if curl -s -o /dev/null --max-time 2 "$base/"; then
  echo "something already listens on 127.0.0.1:$port; stop it first" >&2
  exit 1
fi

mkdir -p "$work_dir"
# Every listener on loopback: the peer server would otherwise bind 0.0.0.0:7100 and RESP 0.0.0.0:6379, the ports a
# local cluster (bin/local-cluster) uses.
java -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" -Dringcache.discovery=static \
  -Dringcache.peer-host=127.0.0.1 -Dringcache.peer-port="$peer_port" -Dringcache.resp.enabled=false \
  -jar "$node_jar" >"$work_dir/node.log" 2>&1 &
node_pid=$!
stop_node() {
  kill "$node_pid" 2>/dev/null || true
  wait "$node_pid" 2>/dev/null || true
}
trap stop_node EXIT

ready=false
for _ in $(seq 1 120); do
  if curl -fs -o /dev/null --max-time 2 "$base/q/health/ready"; then
    ready=true
    break
  fi
  if ! kill -0 "$node_pid" 2>/dev/null; then
    break
  fi
  sleep 0.5
done
if [[ "$ready" != true ]]; then
  echo "the node did not become ready within 60 s; its log:" >&2
  cat "$work_dir/node.log" >&2
  exit 1
fi

head -c 100 /dev/zero | tr '\0' 'v' >"$work_dir/value"
curl -fsS --max-time 5 -X PUT -H 'Content-Type: application/octet-stream' \
  --data-binary @"$work_dir/value" "$base$key_path"
stored_bytes="$(curl -fsS --max-time 5 "$base$key_path" | wc -c)"
if [[ "$stored_bytes" -ne 100 ]]; then
  echo "GET $key_path returned $stored_bytes bytes instead of the 100 stored" >&2
  exit 1
fi

# Prints "REQUESTS_PER_SECOND P99_MILLISECONDS" of one wrk run; fails on errors or non-2xx answers.
measure() {
  local path="$1" out
  out="$(timeout 60 wrk "${wrk_args[@]}" "$base$path")"
  echo "$out" >>"$work_dir/wrk.log"
  if grep -q -e 'Non-2xx or 3xx responses' -e 'Socket errors' <<<"$out"; then
    echo "wrk reported errors on $path:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '
    /^Requests\/sec:/ { rps = $2 }
    $1 == "99%" {
      v = $2
      if (v ~ /us$/) { p99 = substr(v, 1, length(v) - 2) / 1000 }
      else if (v ~ /ms$/) { p99 = substr(v, 1, length(v) - 2) + 0 }
      else if (v ~ /s$/) { p99 = substr(v, 1, length(v) - 1) * 1000 }
    }
    END { printf "%.0f %.3f\n", rps, p99 }' <<<"$out"
}

median() {
  sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

: >"$work_dir/wrk.log"
# The node's JIT compiles the request path during the first seconds; warm both endpoints before measuring.
for path in "$key_path" "$floor_path"; do
  timeout 30 wrk -t2 -c50 -d5s "$base$path" >>"$work_dir/wrk.log"
done
key_rps=() key_p99=() floor_rps=() floor_p99=()
for run in $(seq 1 "$runs"); do
  result="$(measure "$key_path")"
  read -r rps p99 <<<"$result"
  key_rps+=("$rps") key_p99+=("$p99")
  result="$(measure "$floor_path")"
  read -r rps p99 <<<"$result"
  floor_rps+=("$rps") floor_p99+=("$p99")
  echo "run $run: key ${key_rps[-1]} req/s p99 ${key_p99[-1]} ms; live ${floor_rps[-1]} req/s p99 ${floor_p99[-1]} ms"
done

key_rps_median="$(printf '%s\n' "${key_rps[@]}" | median)"
floor_rps_median="$(printf '%s\n' "${floor_rps[@]}" | median)"
echo
echo "wrk ${wrk_args[*]}, $runs runs each, interleaved; one node on 127.0.0.1:$port; medians"
printf '%-42s %14s %14s\n' "endpoint" "requests/s" "p99 ms"
printf '%-42s %14.0f %14.3f\n' "GET $key_path" "$key_rps_median" \
  "$(printf '%s\n' "${key_p99[@]}" | median)"
printf '%-42s %14.0f %14.3f\n' "GET $floor_path (framework floor)" "$floor_rps_median" \
  "$(printf '%s\n' "${floor_p99[@]}" | median)"
awk -v k="$key_rps_median" -v f="$floor_rps_median" \
  'BEGIN { printf "ratio key / framework floor (requests/s): %.2f\n", k / f }'
