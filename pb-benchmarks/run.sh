#!/usr/bin/env bash
# Builds pb-benchmarks, runs every benchmark with JMH (JSON results), and prints one table of
# jpb against its baselines. Usage: pb-benchmarks/run.sh [--quick] [JMH benchmark regex]
#   --quick  1 fork per benchmark, short iterations: a smoke check in under 3 minutes.
#   default  3 rounds of 1 fork each; every round runs all benchmarks in order, so each jpb
#            benchmark and its baseline alternate (jpb, floor, jpb, floor, ...) on a noisy
#            machine; the table quotes the median of the 3 forks.
# Every run has JMH's gc profiler on, for bytes allocated per call.
# The build is offline (-o): run `mvn -B verify` once first to fetch the dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  sed -n '2,9p' "$0"
  exit 0
fi
quick=""
rounds=3
jmh_opts=(-f 1 -wi 5 -w 1s -i 5 -r 2s)
if [[ "${1:-}" == "--quick" ]]; then
  quick="--quick"
  rounds=1
  jmh_opts=(-f 1 -wi 3 -w 1s -i 3 -r 1s)
  shift
fi
filter="${1:-dev.jpb.benchmarks.W}"

mvn -B -q -o -pl pb-benchmarks -am package -DskipTests
jar=pb-benchmarks/target/benchmarks.jar
out="pb-benchmarks/target/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

files=()
for ((round = 1; round <= rounds; round++)); do
  echo "== round $round of $rounds (logs: $out/round-$round.log)"
  java -jar "$jar" "${jmh_opts[@]}" -prof gc -rf json -rff "$out/round-$round.json" "$filter" \
    > "$out/round-$round.log" 2>&1 || {
      tail -40 "$out/round-$round.log"
      echo "JMH failed in round $round; full log: $out/round-$round.log" >&2
      exit 1
    }
  grep -E '^# Benchmark: ' "$out/round-$round.log" | sed 's/^# Benchmark: /   ran /'
  files+=("$out/round-$round.json")
done

java -cp "$jar" dev.jpb.benchmarks.Report $quick "${files[@]}" | tee "$out/report.txt"
