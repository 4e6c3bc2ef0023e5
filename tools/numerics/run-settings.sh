#!/usr/bin/env bash
# Runs the numerics-sensitive tests (tests.txt) under each kernel / thread setting, twice each, and prints one line
# per run: setting, try, result, seconds. Usage: tools/numerics/run-settings.sh [REPEATS]   (from the repository root)
set -uo pipefail
cd "$(dirname "$0")/../.."
REPEATS="${1:-2}"
source tools/jdk.sh
TESTS="$(grep -v '^#' tools/numerics/tests.txt | paste -sd, -)"
SETTINGS=("baseline" "ATEN_CPU_CAPABILITY=default" "ATEN_CPU_CAPABILITY=avx2" "MKL_ENABLE_INSTRUCTIONS=AVX2"
          "OMP_NUM_THREADS=1" "OMP_NUM_THREADS=2")
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
for setting in "${SETTINGS[@]}"; do
  for try in $(seq 1 "$REPEATS"); do
    rm -rf */target/surefire-reports
    start=$(date +%s)
    if [ "$setting" = baseline ]; then
      ./mvnw -B -q test -Dtest="$TESTS" -Dsurefire.failIfNoSpecifiedTests=false > /tmp/numerics-run.log 2>&1
    else
      env "$setting" ./mvnw -B -q test -Dtest="$TESTS" -Dsurefire.failIfNoSpecifiedTests=false > /tmp/numerics-run.log 2>&1
    fi
    rc=$?
    ran=$(cat */target/surefire-reports/TEST-*.xml 2>/dev/null | grep -o '<testsuite [^>]*' | grep -o ' tests="[0-9]*"' | tr -dc '0-9\n' | awk '{s+=$1} END {print s+0}')
    failed=$(grep -h "<<< FAIL" /tmp/numerics-run.log | sed 's/.*-- in //' | sort -u | paste -sd' ' -)
    echo "$setting | try $try | $([ $rc -eq 0 ] && echo pass || echo "FAIL: $failed") | tests $ran | $(( $(date +%s) - start )) s"
  done
done
