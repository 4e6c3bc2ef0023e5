#!/usr/bin/env bash
# Fuzzes one target for a while: tools/fuzz/run.sh MODULE TEST#METHOD [DURATION]
# e.g. tools/fuzz/run.sh core ReadersFuzzTest#safetensors 10m. Without JAZZER_FUZZ the same tests run once per
# committed input (the regression pass of every build). A crashing input is written under the target's
# ...Inputs/<method>/ folder: commit it, it becomes a regression test. The working corpus goes to .cifuzz-corpus/.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODULE="$1"; TEST="$2"; DURATION="${3:-10m}"
if ! "${JAVA_HOME:-/nonexistent}/bin/javac" -version 2>&1 | grep -qE 'javac (2[5-9]|[3-9][0-9])'; then
  for d in /usr/lib/jvm/*; do
    if "$d/bin/javac" -version 2>&1 | grep -qE 'javac (2[5-9]|[3-9][0-9])'; then export JAVA_HOME="$d"; break; fi
  done
fi
JAZZER_FUZZ=1 ./mvnw -q -pl "$MODULE" -am test -Dtest="$TEST" -Djazzer.max_duration="$DURATION" \
  -Dsurefire.failIfNoSpecifiedTests=false
