#!/usr/bin/env bash
# Fuzzes one target for a while: tools/fuzz/run.sh MODULE TEST#METHOD [DURATION]
# e.g. tools/fuzz/run.sh core ReadersFuzzTest#safetensors 10m. Without JAZZER_FUZZ the same tests run once per
# committed input (the regression pass of every build). A crashing input is written under the target's
# ...Inputs/<method>/ folder: commit it, it becomes a regression test. The working corpus goes to .cifuzz-corpus/.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODULE="$1"; TEST="$2"; DURATION="${3:-10m}"
source tools/jdk.sh
JAZZER_FUZZ=1 ./mvnw -q -pl "$MODULE" -am test -Dtest="$TEST" -Djazzer.max_duration="$DURATION" \
  -Dsurefire.failIfNoSpecifiedTests=false
