#!/bin/sh
# Pricing benchmark (issue 14): relulp solve at λ = 0.01 on the teacher instances of instances.py, priced by
# branch and bound and/or by enumeration, each under /usr/bin/time -v (wall clock, peak resident memory).
#
#   python3 benchmarks/pricing/instances.py DATA
#   sh benchmarks/pricing/run.sh .build/release/relulp DATA OUT "m3_n300:branch-and-bound m3_n100:enumerate ..."
#
# Writes OUT/NAME-MODE.log (solver log + time -v) and prints one line per run:
# instance, pricing, status, objective, lower bound, gap, rounds, seconds (wall), peak RSS (MB).
set -eu
relulp=$1; data=$2; out=$3; runs=$4
limit=${TIME_LIMIT:-900}
mkdir -p "$out"
for run in $runs; do
    name=${run%%:*}; mode=${run#*:}
    log="$out/$name-$mode.log"
    /usr/bin/time -v "$relulp" solve "$data/teacher_$name.csv" --lambda 0.01 --pricing "$mode" --time-limit "$limit" \
        --output "$out/$name-$mode.json" > "$log" 2>&1 || true
    status=$(sed -n 's/^status *//p' "$log")
    objective=$(sed -n 's/^objective *//p' "$log")
    lower=$(sed -n 's/^lower bound *//p' "$log")
    gap=$(sed -n 's/^relative gap *//p' "$log")
    rounds=$(sed -n 's/^rounds *\([0-9]*\).*/\1/p' "$log")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
    echo "$name $mode status=$status objective=$objective lower=$lower gap=$gap rounds=$rounds wall=$wall peakMB=$((${rss:-0} / 1024))"
done
