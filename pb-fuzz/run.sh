#!/bin/sh
# Fuzzes pb-fuzz's targets for real, one after another (Jazzer fuzzes one target per JVM), each
# for --minutes N under nice, with a per-input time limit of --timeout S seconds.
#
#   pb-fuzz/run.sh --minutes 20                         # every target, 20 minutes each
#   pb-fuzz/run.sh --minutes 5 WampCodecFuzzTest#decodeJson TwistedFuzzTest#bananaAndJelly
#
# Each target's output goes to pb-fuzz/target/fuzz-logs/<method>.log; one line per target
# (libFuzzer's "Done N runs in S second(s)", or FINDING) is appended to
# pb-fuzz/target/fuzz-logs/summary.txt. A crashing input lands as crash-<sha1> in the target's
# inputs directory under src/test/resources (see README.md, "Running"). Exit status 1 if any
# target found something.
set -eu

minutes=20
timeout=10
niceness=${NICE:-10}
targets=""
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) minutes=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) targets="$targets $1"; shift ;;
    esac
done
if [ -z "$targets" ]; then
    targets="ValueCodecFuzzTest#decodeArbitraryValues BrokerFuzzTest#handshakeThenFrames
        BrokerFuzzTest#framesAfterHandshake TwistedFuzzTest#bananaAndJelly
        TwistedFuzzTest#brokerAfterDialect WampCodecFuzzTest#decodeJson
        WampCodecFuzzTest#decodeMsgPack"
fi

cd "$(dirname "$0")/.."
logs=pb-fuzz/target/fuzz-logs
mkdir -p "$logs"
status=0
for target in $targets; do
    log="$logs/${target#*#}.log"
    echo "$(date -u +%FT%TZ) fuzzing $target for $minutes min (log: $log)"
    # jazzer.internal.arg.N are libFuzzer's arguments (0 is argv[0]); given after the
    # annotation's maxDuration and the @Timeout Jazzer turns into -timeout, they override
    # both. JUnit's own timeout would fail the whole run once it outlasts @Timeout: off.
    if JAZZER_FUZZ=1 nice -n "$niceness" mvn -B -pl pb-fuzz -am test \
            -Dsurefire.failIfNoSpecifiedTests=false -Dtest="$target" \
            -Djazzer.internal.arg.0=jazzer \
            -Djazzer.internal.arg.1=-max_total_time=$((minutes * 60)) \
            -Djazzer.internal.arg.2=-timeout="$timeout" \
            -Djunit.jupiter.execution.timeout.mode=disabled >"$log" 2>&1; then
        result=$(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$log" | tail -n 1 || true)
    else
        result="FINDING or failure, see $log"
        status=1
    fi
    echo "$(date -u +%FT%TZ) $target: ${result:-no libFuzzer summary, see $log}" \
        | tee -a "$logs/summary.txt"
done
exit $status
