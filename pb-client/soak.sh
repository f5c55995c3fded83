#!/bin/sh
# Runs issue 12's soak (SoakTest): a million calls over 8 connections mixing copies,
# references, callbacks and errors, then checks answers, reference tables, buffer leaks and
# heap. From the repository root; CALLS overrides the count.
#
#   pb-client/soak.sh            # 1,000,000 calls
#   CALLS=100000 pb-client/soak.sh
set -eu
cd "$(dirname "$0")/.."
exec nice -n "${NICE:-10}" mvn -B -pl pb-client -am verify -Djpb.soak.skip=false \
    -Djpb.soak.calls="${CALLS:-1000000}" -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false
