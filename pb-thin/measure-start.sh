#!/usr/bin/env bash
# Measures pb-thin-client.jar: its size, and the time from start to its first pushed window.
# Starts the example server (dev.jpb.examples.thin.ThinServer) once, then starts the jar RUNS
# times under xvfb-run against it; each run ends when the client prints that the first pushed
# window is shown. Prints each run and the medians of:
#   jvm   the client's own figure: JVM start to the window shown (RuntimeMXBean uptime; the
#         client's JVM, the child the jar starts)
#   cpu   the CPU time the client's JVM used until then (all threads; not the launching
#         JVM's): on a loaded machine the figure that says most
#   wall  from launching xvfb-run to that line (includes starting Xvfb and the JVM launcher)
# The jar runs the client in a child JVM with its own class-data-sharing archive (JarLauncher);
# here the archive goes in a folder of this run's: run 1 writes it, the later runs map it.
# Usage: pb-thin/measure-start.sh [--runs N] [--mode server|code] [--no-build]
#                                 [--screenshot FILE]
#   --runs N           runs (default 7); the medians are of these
#   --mode code        push the controller as code (the client gets --allow-code-from-localhost)
#   --no-build         use the jars already in */target
#   --screenshot FILE  the first run also saves a screen capture of the window (a real X
#                      window on Xvfb) as FILE; fails if it is missing (CI runs it this way)
# Needs xvfb-run (Debian's xvfb and xauth) and JavaFX's GTK libraries (libgtk-3-0).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=7
mode=server
build=1
shot=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --mode) mode="${2:?--mode needs server or code}"; shift 2 ;;
    --no-build) build=0; shift ;;
    --screenshot) shot="${2:?--screenshot needs a file}"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "--runs: $runs (expected: > 0)" >&2; exit 2; }
command -v xvfb-run >/dev/null || { echo "xvfb-run not found: apt-get install xvfb xauth" >&2; exit 1; }

if [[ $build == 1 ]]; then
  mvn -B -q -o -pl pb-examples -am package dependency:build-classpath \
      -Dmdep.outputFile=target/measure-cp.txt -DskipTests \
      -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
elif [[ ! -f pb-examples/target/measure-cp.txt ]]; then
  mvn -B -q -o -pl pb-examples -am package dependency:build-classpath \
      -Dmdep.outputFile=target/measure-cp.txt -DskipTests \
      -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
fi
jar=pb-thin/target/pb-thin-client.jar
work=$(mktemp -d)
server_pid=""
client_pgid=""
cleanup() {
  [[ -n "$client_pgid" ]] && kill -- "-$client_pgid" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

java -cp "pb-examples/target/classes:$(cat pb-examples/target/measure-cp.txt)" \
    dev.jpb.examples.thin.ThinServer --port 0 --mode "$mode" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  grep -q "listening on" "$work/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\);.*/\1/p' "$work/server.log")
[[ -n "$port" ]] || { echo "the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
flags=()
[[ $mode == code ]] && flags+=(--allow-code-from-localhost)

printf 'pb-thin-client.jar: %s bytes\n' "$(stat -c %s "$jar")"
printf 'server: ThinServer --mode %s on port %s; %s runs; load average: %s\n' "$mode" "$port" \
    "$runs" "$(cut -d' ' -f1-3 /proc/loadavg)"
jvm_times=()
cpu_times=()
wall_times=()
for i in $(seq 1 "$runs"); do
  # the jar's own CDS archive in this run's folder: run 1 writes it, the others map it
  props=("-Djpb.thin.cds.dir=$work/cds")
  [[ -n "$shot" && $i == 1 ]] && props+=("-Djpb.thin.screenshot=$shot")
  log="$work/client-$i.log"
  start=$(date +%s%N)
  setsid xvfb-run -a -s "-screen 0 1280x800x24" \
      java "${props[@]}" -jar "$jar" "${flags[@]}" 127.0.0.1 "$port" > "$log" 2>&1 &
  client_pgid=$!
  want="first window"
  [[ -n "$shot" && $i == 1 ]] && want="screenshot of"
  for _ in $(seq 1 1800); do
    grep -q "$want" "$log" && break
    kill -0 "$client_pgid" 2>/dev/null || break
    sleep 0.1
  done
  end=$(date +%s%N)
  line=$(grep "first window" "$log" || true)
  kill -- "-$client_pgid" 2>/dev/null || true
  wait "$client_pgid" 2>/dev/null || true
  client_pgid=""
  if [[ -z "$line" ]]; then
    echo "run $i: no window within 180 s:" >&2
    cat "$log" >&2
    exit 1
  fi
  jvm=$(sed -n 's/.* shown \([0-9]*\) ms after start.*/\1/p' <<< "$line")
  cpu=$(sed -n 's/.* (\([0-9-]*\) ms of CPU).*/\1/p' <<< "$line")
  wall=$(( (end - start) / 1000000 ))
  if [[ -n "$shot" && $i == 1 ]]; then
    grep "screenshot of" "$log"
    [[ -s "$shot" ]] || { echo "no screenshot at $shot:" >&2; cat "$log" >&2; exit 1; }
  else
    jvm_times+=("$jvm")
    cpu_times+=("$cpu")
    wall_times+=("$wall")
  fi
  printf 'run %d: jvm %d ms, cpu %d ms, wall %d ms%s\n' "$i" "$jvm" "$cpu" "$wall" \
      "$([[ -n "$shot" && $i == 1 ]] && echo ' (with the screenshot: not counted)')"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
if [[ ${#jvm_times[@]} -gt 0 ]]; then
  printf 'median of %d: jvm %d ms, cpu %d ms, wall %d ms (load average now: %s)\n' \
      "${#jvm_times[@]}" "$(median "${jvm_times[@]}")" "$(median "${cpu_times[@]}")" \
      "$(median "${wall_times[@]}")" \
      "$(cut -d' ' -f1-3 /proc/loadavg)"
fi
