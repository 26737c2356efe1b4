#!/bin/sh
# Pricing benchmark (issue 14): relulp solve at λ = 0.01 on the teacher instances of instances.py, priced by
# branch and bound and/or by enumeration, each under /usr/bin/time (wall clock, peak resident memory).
#
#   python3 benchmarks/pricing/instances.py DATA
#   sh benchmarks/pricing/run.sh .build/release/relulp DATA OUT "m3_n300:branch-and-bound m3_n100:enumerate ..."
#
# Writes OUT/NAME-MODE.log (solver log + /usr/bin/time) and prints one line per run:
# instance, pricing, status, objective, lower bound, gap, rounds, seconds (wall), peak RSS (MB).
set -eu
relulp=$1; data=$2; out=$3; runs=$4
limit=${TIME_LIMIT:-900}
. "$(dirname "$0")/../summary.sh"
mkdir -p "$out"
for run in $runs; do
    name=${run%%:*}; mode=${run#*:}
    log="$out/$name-$mode.log"
    timed "$log" "$relulp" solve "$data/teacher_$name.csv" --lambda 0.01 --pricing "$mode" --time-limit "$limit" \
        --output "$out/$name-$mode.json"
    summary "$log"
    echo "$name $mode status=$status objective=$objective lower=$lower gap=$gap rounds=$rounds wall=${wall}s peakMB=$peak_mb"
done
