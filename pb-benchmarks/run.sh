#!/usr/bin/env bash
# Builds pb-benchmarks, runs every benchmark with JMH (JSON results), and prints one table of
# jpb against its baselines.
# Usage: pb-benchmarks/run.sh [--quick | --rounds N] [--two-jvm] [--no-build] [JMH benchmark regex]
#   --quick     1 fork per benchmark, short iterations: a smoke check in under 3 minutes.
#   default     3 rounds of 1 fork each; every round runs all benchmarks in order, so each jpb
#               benchmark and its baseline alternate (jpb, floor, jpb, floor, ...) on a noisy
#               machine; the table quotes the median of the 3 forks.
#   --rounds N  N rounds instead of 3, e.g. 7 rounds of the latency pairs only:
#               run.sh --rounds 7 'W(1Latency|3Payload|4Callback).latency'
#               or the cost of a deadline (the "W1 p50, withTimeout" row, against plain jpb):
#               run.sh --rounds 7 'W1Latency.(latency|throughput)Jpb(WithTimeout)?$'
#   --two-jvm   each benchmark's server in a child JVM (ServerProcess), the JMH fork its client,
#               as a real deployment; default regex: W1-W4 (no TLS or metrics rows). E.g.
#               run.sh --rounds 5 --two-jvm 'W1Latency.latency(Jpb|Rmi|Floor)$'
#   --no-build  use the jars already built (benchmarks.jar, pb-thin-client.jar)
# JMH's gc profiler is on, for bytes allocated per call. W7 (10,000 connections; 2,000 with
# --quick) runs in a JMH run of its own per round: its own iteration counts, no gc profiler.
# The build is offline (-o): run `mvn -B verify` once first to fetch the dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  sed -n '2,19p' "$0"
  exit 0
fi
quick=""
rounds=3
two_jvm=""
build=yes
jmh_opts=(-f 1 -wi 4 -w 1s -i 5 -r 1s)
jvm_args=()
w7_opts=(-f 1) # W7Connections' own annotations: 1 warm-up, 3 measured single shots
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds)
      rounds="${2:?--rounds needs a number}"
      [[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "--rounds: $rounds (expected: > 0)" >&2; exit 2; }
      shift 2
      ;;
    --quick)
      quick="--quick"
      rounds=1
      jmh_opts=(-f 1 -wi 1 -w 1s -i 2 -r 800ms)
      jvm_args+=(-Djpb.bench.grpcWarmUpCalls=30000)
      w7_opts=(-f 1 -wi 1 -i 1 -p connections=2000)
      shift
      ;;
    --two-jvm)
      two_jvm="yes"
      jvm_args+=(-Djpb.bench.twoJvm=true)
      shift
      ;;
    --no-build)
      build=""
      shift
      ;;
    -*)
      echo "unknown option $1 (see --help)" >&2
      exit 2
      ;;
    *)
      break
      ;;
  esac
done
if [[ -n "$two_jvm" ]]; then
  # servers in child JVMs: the RPC workloads W1-W4, less the TLS and metrics rows (time)
  filter="${1:-dev.jpb.benchmarks.W[1-4][A-Z]}"
  excludes=(-e 'Tls|Metrics')
else
  filter="${1:-dev.jpb.benchmarks.W}"
  excludes=()
fi
if [[ ${#jvm_args[@]} -gt 0 ]]; then
  jmh_opts+=(-jvmArgsAppend "${jvm_args[*]}")
fi

if [[ -n "$build" ]]; then
  mvn -B -q -o -pl pb-benchmarks -am package -DskipTests
fi
jar=pb-benchmarks/target/benchmarks.jar
out="pb-benchmarks/target/results/$(date -u +%Y%m%dT%H%M%SZ)${two_jvm:+-two-jvm}"
mkdir -p "$out"

# W9LabFirstPaint is not JMH (a GUI's first paint is one shot per fresh client): it runs alone,
# 10,000 rows, 3 clients each with --quick, 9 otherwise: first fresh client JVMs
# (java -jar pb-thin-client.jar on Xvfb) against a lab server process, without the jar's CDS
# archive (-Djpb.thin.cds=false) and then as the jar starts itself (its own archive, written by
# the first warm-up client); then clients one after another in one JVM (warm after the first).
if [[ "$filter" == *W9LabFirstPaint* ]]; then
  paints=9
  [[ -n "$quick" ]] && paints=3
  w9() { java -cp "$jar" dev.jpb.benchmarks.W9LabFirstPaint "$@" 10000 "$paints"; }
  { w9 --no-cds && w9 && w9 --in-jvm; } | tee "$out/w9-lab-first-paint.txt"
  exit "${PIPESTATUS[0]}"
fi

# W7 (a child JVM, 10,000 connections, single shots) runs apart from the others.
w7=dev.jpb.benchmarks.W7Connections
listed=$(java -jar "$jar" -l "$filter" "${excludes[@]}" | grep -E '^ *dev\.jpb\.' || true)
if [[ -z "$listed" ]]; then
  echo "no benchmark matches $filter" >&2
  exit 1
fi

jmh() { # jmh <log> <json> <JMH arguments...>: runs JMH, appending to the log
  local log=$1 json=$2
  shift 2
  java -jar "$jar" "$@" -rf json -rff "$json" >> "$log" 2>&1 || {
    tail -40 "$log"
    echo "JMH failed; full log: $log" >&2
    exit 1
  }
  files+=("$json")
}

files=()
for ((round = 1; round <= rounds; round++)); do
  log="$out/round-$round.log"
  echo "== round $round of $rounds (log: $log)"
  if grep -qv "$w7" <<< "$listed"; then
    jmh "$log" "$out/round-$round.json" "${jmh_opts[@]}" -prof gc "$filter" -e "$w7" \
      "${excludes[@]}"
  fi
  if grep -q "$w7" <<< "$listed"; then
    jmh "$log" "$out/round-$round-w7.json" "${w7_opts[@]}" "$w7"
  fi
  grep -E '^# Benchmark: ' "$log" | sed 's/^# Benchmark: /   ran /'
done

java -cp "$jar" dev.jpb.benchmarks.Report $quick "${files[@]}" | tee "$out/report.txt"
