#!/usr/bin/env bash
# Flame graphs of one JMH benchmark with async-profiler (issue 18: "the flame graph saved under
# docs/"): CPU and allocation, one fork, written as HTML to docs/flame/<name>-<event>.html.
# Usage: pb-benchmarks/flame.sh [JMH benchmark regex, default 'W2Pipelined.jpb$'] [name]
# async-profiler's native library comes from the Maven artifact tools.profiler:async-profiler
# (fetched into ~/.m2 by `mvn dependency:get`); perf events need kernel.perf_event_paranoid <= 1,
# otherwise the CPU profile falls back to itimer sampling.
set -euo pipefail
cd "$(dirname "$0")/.."
regex="${1:-W2Pipelined.jpb\$}"
name="${2:-$(echo "$regex" | tr -cd 'A-Za-z0-9.' | tr '.' '-')}"
version=$(sed -n "s:.*<async-profiler.version>\(.*\)</async-profiler.version>.*:\1:p" pom.xml)
mvn -B -q -o dependency:get -Dartifact="tools.profiler:async-profiler:$version" > /dev/null
mvn -B -q -o -pl pb-benchmarks -am package -DskipTests
work=pb-benchmarks/target/flame
rm -rf "$work" && mkdir -p "$work"
unzip -q -o -j ~/.m2/repository/tools/profiler/async-profiler/"$version"/async-profiler-"$version".jar \
  linux-x64/libasyncProfiler.so -d "$work"
mkdir -p docs/flame
for event in cpu alloc; do
  java -jar pb-benchmarks/target/benchmarks.jar "$regex" -f 1 -wi 3 -w 1s -i 5 -r 1s \
    -prof "async:libPath=$PWD/$work/libasyncProfiler.so;event=$event;output=flamegraph;dir=$work/$event" \
    > "$work/$event.log" 2>&1 || { tail -20 "$work/$event.log"; exit 1; }
  html=$(find "$work/$event" -name '*.html' | grep -v reverse | head -1)
  cp "$html" "docs/flame/$name-$event.html"
  echo "docs/flame/$name-$event.html"
done
