#!/usr/bin/env bash
# W1 over Twisted PB's wire, in one sitting: JMH for jpb->jpb (TwistedPbServer) and
# jpb->Python (PBServerFactory), then Twisted's own client against Twisted's own server;
# prints calls/s for each and the jpb/Python ratio; and, in the same JMH run, the ceiling on
# this machine: jpb's own protocol (W1Latency.throughputJpb) and the hand-written Netty floor
# (W1Latency.throughputFloor) doing the same sequential call, with the Twisted-wire rate as a
# fraction of each (a Twisted-wire rate of 5 x Python<->Python above the floor is unreachable).
# Usage: pb-benchmarks/twisted-bench.sh [SECONDS per measurement, default 5]
# The build is offline (-o): run `mvn -B verify` once first to fetch the dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
python=/usr/bin/python3
[[ -x "$python" ]] || python=python3

# JPB_BENCH_NO_BUILD=1 reuses pb-benchmarks/target/benchmarks.jar as it is.
[[ -n "${JPB_BENCH_NO_BUILD:-}" ]] || mvn -B -q -o -pl pb-benchmarks -am package -DskipTests
jar=pb-benchmarks/target/benchmarks.jar
out=pb-benchmarks/target/results/twisted-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"

res=pb-benchmarks/src/main/resources/twisted
"$python" -u "$res/bench_server.py" > "$out/pyserver.out" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q PORT "$out/pyserver.out" && break; sleep 0.1; done
port=$(awk '/PORT/ {print $2}' "$out/pyserver.out")
python_w1() {
  "$python" -u "$res/bench_client.py" "$port" "$seconds" 2 | awk '/CALLS_PER_SECOND/ {print $2}'
}

# Python before and after JMH: the machine's load drifts, the mean of the two is quoted.
before=$(python_w1)
java -jar "$jar" 'dev.jpb.benchmarks.TwistedWire' \
  'dev.jpb.benchmarks.W1Latency.throughput(Jpb|Floor)$' -f 1 -wi 2 -w 1s -i 3 -r "${seconds}s" \
  -rf json -rff "$out/jmh.json" > "$out/jmh.log" 2>&1 || { tail -30 "$out/jmh.log"; exit 1; }
after=$(python_w1)
pycpu=$("$python" -u "$res/bench_client.py" "$port" "$seconds" 2 | awk '/CPU_US_PER_CALL/ {print $2}')
cpu_rows=$(java -cp "$jar" dev.jpb.benchmarks.TwistedCpu "$seconds")
echo "$cpu_rows" > "$out/cpu.txt"

"$python" - "$out/jmh.json" "$before" "$after" "$pycpu" "$out/cpu.txt" <<'PY'
import json, sys
rows = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in json.load(open(sys.argv[1]))}
py = (float(sys.argv[2]) + float(sys.argv[3])) / 2
jj = rows["throughputJpbToJpb"]["score"]
jp = rows["throughputJpbToPython"]["score"]
print("W1 over the Twisted PB wire, sequential add, calls/s")
print("  jpb client -> jpb TwistedPbServer    %10.0f  (+- %.0f)" % (jj, rows["throughputJpbToJpb"]["scoreError"]))
print("  jpb client -> Python PBServerFactory %10.0f  (+- %.0f)" % (jp, rows["throughputJpbToPython"]["scoreError"]))
jd = rows["throughputJpbToJpbDirect"]["score"]
jn = rows["throughputJpbToJpbNonBlocking"]["score"]
print("  jpb -> jpb, @NonBlocking add         %10.0f  (+- %.0f)" % (jn, rows["throughputJpbToJpbNonBlocking"]["scoreError"]))
print("  jpb -> jpb, direct executors         %10.0f  (+- %.0f)" % (jd, rows["throughputJpbToJpbDirect"]["scoreError"]))
print("  Python client -> Python server       %10.0f  (before %s, after %s)" % (py, sys.argv[2], sys.argv[3]))
print("  ratio jpb<->jpb / Python<->Python    %10.1f x (@NonBlocking: %.1f x, direct: %.1f x)"
      % (jj / py, jn / py, jd / py))
print("  ratio jpb->Python / Python<->Python  %10.1f x" % (jp / py))
own = rows["throughputJpb"]["score"]
floor = rows["throughputFloor"]["score"]
print("The ceiling on this machine: the same sequential add, calls/s")
print("  jpb's own protocol (W1)              %10.0f  (+- %.0f)" % (own, rows["throughputJpb"]["scoreError"]))
print("  hand-written Netty floor (W1)        %10.0f  (+- %.0f)" % (floor, rows["throughputFloor"]["scoreError"]))
print("  5 x Python<->Python would be         %10.0f  (%.2f x the floor: %s)"
      % (5 * py, 5 * py / floor, "reachable" if 5 * py <= floor else "above the floor, unreachable"))
print("  Twisted wire jpb<->jpb / jpb's own   %10.2f   (@NonBlocking: %.2f, direct: %.2f)"
      % (jj / own, jn / own, jd / own))
print("  Twisted wire jpb<->jpb / Netty floor %10.2f   (@NonBlocking: %.2f, direct: %.2f)"
      % (jj / floor, jn / floor, jd / floor))
print("  Netty floor / Python<->Python        %10.1f x (the most any Java end could show)"
      % (floor / py))
pycpu = float(sys.argv[4])
print("CPU time per call (both ends together, all threads of the process(es): JIT and GC")
print("included), microseconds; lower is better")
print("  Python client -> Python server       %10.1f" % pycpu)
for line in open(sys.argv[5]):
    name, rate, cpu = line.split()
    print("  %-36s %10.1f  (%s calls/s; Python<->Python / this: %.1f x)"
          % (name, float(cpu), rate, pycpu / float(cpu)))
PY
