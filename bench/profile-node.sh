#!/usr/bin/env bash
# CPU profile of a running JVM (a node under load, usually), kernel frames included, for as long as asked.
# Loads async-profiler (version pinned in the parent pom, fetched from Maven Central with the Maven wrapper) into
# the JVM with `jcmd JVMTI.agent_load`, samples CPU every millisecond, then writes collapsed stacks (one line per
# stack: frames separated by ';', then the sample count) and prints the frames with the most samples of their own
# and the heaviest frames including callees. Each sample is about 1 ms of CPU.
# Usage: bench/profile-node.sh PID SECONDS [OUT]   (OUT: the collapsed stacks, default bench/target/profile-PID.txt)
# Start it once the load runs: JIT compilation in the first seconds otherwise fills the profile.
set -euo pipefail

if [[ $# -lt 2 || ! "$1" =~ ^[0-9]+$ || ! "$2" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 PID SECONDS [OUT]" >&2
  exit 2
fi
pid="$1"
seconds="$2"
bench_dir="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench_dir")"
out="${3:-$bench_dir/target/profile-$pid.txt}"
if ! kill -0 "$pid" 2>/dev/null; then
  echo "no process $pid" >&2
  exit 1
fi

version="$(sed -n 's|.*<async-profiler.version>\(.*\)</async-profiler.version>.*|\1|p' "$root/pom.xml")"
jar="$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version-linux-x64.jar"
lib_dir="$bench_dir/target/async-profiler-$version"
if [[ ! -f "$lib_dir/linux-x64/libasyncProfiler.so" ]]; then
  if [[ ! -f "$jar" ]]; then
    (cd "$root" && ./mvnw -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$version:jar:linux-x64")
  fi
  mkdir -p "$lib_dir"
  (cd "$lib_dir" && unzip -q -o "$jar" 'linux-x64/*')
fi
lib="$lib_dir/linux-x64/libasyncProfiler.so"
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"

# jcmd reads name=value pairs itself; the inner quotes hand the agent its options whole.
jcmd "$pid" JVMTI.agent_load "$lib" "\"start,event=cpu,interval=1ms\"" >/dev/null
sleep "$seconds"
jcmd "$pid" JVMTI.agent_load "$lib" "\"stop,file=$out,collapsed\"" >/dev/null
if [[ ! -s "$out" ]]; then
  echo "the profiler wrote nothing to $out; see the JVM's output" >&2
  exit 1
fi

awk '
  { n = $NF; line = $0; sub(/ [0-9]+$/, "", line); total += n
    count = split(line, frames, ";"); own[frames[count]] += n
    delete seen
    for (i = 1; i <= count; i++) if (!(frames[i] in seen)) { seen[frames[i]] = 1; incl[frames[i]] += n } }
  END {
    printf "%d samples (~%d ms of CPU)\n", total, total
    print "\nmost samples of their own:"
    for (f in own) printf "%6.2f%%  %s\n", 100 * own[f] / total, f | "sort -rn | head -25"
    close("sort -rn | head -25")
    print "\nheaviest including callees:"
    for (f in incl) printf "%6.2f%%  %s\n", 100 * incl[f] / total, f | "sort -rn | head -40"
  }' "$out"
echo
echo "collapsed stacks: $out"
