#!/bin/bash
# usage: benchmarks/signals/latency.sh BINARY TAG [DELAY] — SIGINT DELAY s (default 0) after round 1's line of a run whose round-2
# master LP is long (plane n = 300, every violating region side added); prints the seconds from SIGINT to exit.
# DATA: the plane's CSV, teacher_m2_n300.csv from benchmarks/run.py's make_instance(2, 300, path).
set -m
BIN=$1; TAG=$2; DELAY=${3:-0}; D=${OUT:-/tmp}
rm -f $D/$TAG.err $D/$TAG.json
nice -n 19 $BIN solve ${DATA:?set DATA to teacher_m2_n300.csv} --lambda 1e-4 --columns-per-round 100000 -o $D/$TAG.json > $D/$TAG.out 2> $D/$TAG.err &
P=$!
until grep -q "^    1 " $D/$TAG.err 2>/dev/null; do sleep 0.02; kill -0 $P 2>/dev/null || break; done
sleep $DELAY
T0=$(date +%s.%N); kill -INT $P
wait $P; RC=$?; T1=$(date +%s.%N)
echo "$TAG: delay $DELAY s, exit $RC, $(echo "$T1 - $T0" | bc) s from SIGINT to exit, status $(python3 -c "import json;print(json.load(open('$D/$TAG.json'))['status'])" 2>/dev/null), rounds logged: $(grep -c '^ *[0-9]\+ ' $D/$TAG.err), load $(cut -d' ' -f1-3 /proc/loadavg)"
