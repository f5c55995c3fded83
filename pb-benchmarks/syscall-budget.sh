#!/usr/bin/env bash
# System calls and context switches per W1 call (issue 18's per-call budget), counted by
# `perf stat` on the kernel's syscall tracepoints (exact counts, no ptrace slow-down): each peer
# runs N and then 2N sequential calls (client and server in one JVM, after a warm-up); the
# difference of the two counts, divided by N, is what one call costs, with the JVM's start,
# warm-up and exit cancelled out. Needs perf (Debian package `linux-perf`) and
# kernel.perf_event_paranoid <= 1 (or root).
# Usage: pb-benchmarks/syscall-budget.sh [N, default 200000] [peer ...: jpb floor rmi]
# The build is offline (-o): run `mvn -B verify` once first to fetch the dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-200000}"
shift || true
peers=("$@")
[[ ${#peers[@]} -gt 0 ]] || peers=(jpb floor rmi)
command -v perf > /dev/null || { echo "perf is not installed (apt-get install linux-perf)" >&2; exit 2; }
events=raw_syscalls:sys_enter,context-switches
for call in futex epoll_pwait epoll_pwait2 epoll_wait read write recvfrom sendto sched_yield; do
  events+=",syscalls:sys_enter_$call"
done

mvn -B -q -o -pl pb-benchmarks -am package -DskipTests
jar=pb-benchmarks/target/benchmarks.jar
out=pb-benchmarks/target/results/syscalls-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
for peer in "${peers[@]}"; do
  for calls in "$n" $((2 * n)); do
    perf stat -x, -o "$out/$peer-$calls.csv" -e "$events" \
      java -cp "$jar" dev.jpb.benchmarks.SyscallBudget "$peer" "$calls" > "$out/$peer-$calls.out"
  done
done

python3 - "$out" "$n" "${peers[@]}" <<'PY'
import sys
out, n, peers = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def counts(path):
    table = {}
    for line in open(path):
        f = line.strip().split(",")
        if len(f) > 2 and f[0].isdigit():
            name = f[2].replace("syscalls:sys_enter_", "").replace("raw_syscalls:sys_enter",
                                                                       "all syscalls")
            table[name] = int(f[0])
    return table

print("per W1 call (perf stat, %d vs %d calls; client and server together)" % (n, 2 * n))
rows = {}
for peer in peers:
    a = counts("%s/%s-%d.csv" % (out, peer, n))
    b = counts("%s/%s-%d.csv" % (out, peer, 2 * n))
    rows[peer] = {k: (b[k] - a.get(k, 0)) / n for k in b}
names = [k for k in rows[peers[0]] if max(r.get(k, 0) for r in rows.values()) >= 0.01]
print("%-18s" % "" + "".join("%10s" % p for p in peers))
for k in names:
    print("%-18s" % k + "".join("%10.2f" % rows[p].get(k, 0) for p in peers))
PY
echo "raw counts: $out"
