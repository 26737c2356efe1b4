#!/usr/bin/env bash
# Runs the fuzz harness of the CSV and model-file readers (benchmarks/fuzz/InputFuzz) for a bounded time per seed.
# Usage: benchmarks/fuzz/run.sh [SECONDS] [SEEDS...]      (defaults: 300 seconds, seeds 1 2)
# Findings (and a crashing or hanging case, replayed from the state file) are written to Tests/Fixtures/fuzz/.
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-300}
shift || true
seeds=${*:-1 2}
swift build -c release --product fuzz-benchmark >&2 || exit 1
bin=.build/release/fuzz-benchmark
state=$(mktemp)
status=0
for seed in $seeds; do
    echo "\$ $bin --seconds $seconds --seed $seed --state STATE --save Tests/Fixtures/fuzz"
    # A hang shows as the timeout (exit 124), a crash as a signal (exit > 128): replay the case being run.
    timeout $((seconds + 60)) "$bin" --seconds "$seconds" --seed "$seed" --state "$state" --save Tests/Fixtures/fuzz
    rc=$?
    if [ $rc -ge 124 ]; then
        case_index=$(tr -d ' \n' < "$state")
        echo "seed $seed: exit $rc (crash or hang) in case $case_index; recording it" >&2
        "$bin" --replay "$case_index" --seed "$seed" --save Tests/Fixtures/fuzz
        status=1
    elif [ $rc -ne 0 ]; then
        status=1
    fi
done
rm -f "$state"
exit $status
