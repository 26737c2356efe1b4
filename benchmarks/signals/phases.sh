#!/bin/bash
# usage: benchmarks/signals/phases.sh BINARY PHASE [SIGNAL] [DELAY] — sends SIGNAL (INT by default) DELAY s (default
# 0) after the log line that shows PHASE under way, and prints the wall and CPU seconds from the signal to the exit,
# the exit code and the written model's status (issue 22: a signal in every phase ends the run with a model file).
#   enumerate      solve --pricing enumerate on 1000 points in the plane: the region enumeration (about 10^6
#                  regions; its once-a-second progress line "regions: … found").
#   path           path --lambdas 0.1,0.01 on the same data: its region enumeration.
#   sparsest-cbc   solve --sparsest on models/kink1d_n20/data.csv (count not proven in minutes): the support cuts'
#   sparsest-glpk  set-cover MIPs, CBC's or GLPK's (after the line "sparsest: least TV").
#   master         latency.sh's run (DATA: its plane n = 300), whose round-2 master LP is long: after round 1's line.
# The plane's data: `relulp generate --n 1000 --features 2 --neurons 3
# --noise 0.1 --seed 1` (made by this script in OUT, default /tmp).
set -m
BIN=$1; PHASE=$2; SIG=${3:-INT}; DELAY=${4:-0}; D=${OUT:-/tmp}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PLANE=$D/signals-plane1000.csv
[ -f $PLANE ] || $BIN generate --n 1000 --features 2 --neurons 3 --noise 0.1 --seed 1 -o $PLANE --teacher $D/signals-plane1000-teacher.json > /dev/null
MODEL=$D/signals-$PHASE.json
rm -rf $MODEL $D/signals-$PHASE-path $D/signals-$PHASE.err
case $PHASE in
  enumerate) ARGS=(solve $PLANE --lambda 0.01 --pricing enumerate -o $MODEL); LINE="found in" ;;
  path) ARGS=(path $PLANE --lambdas 0.1,0.01 --pricing enumerate -o $D/signals-$PHASE-path); MODEL=$D/signals-$PHASE-path/model-1.json; LINE="found in" ;;
  sparsest-cbc|sparsest-glpk) ARGS=(solve $ROOT/models/kink1d_n20/data.csv --sparsest --mip-backend ${PHASE#sparsest-} -o $MODEL); LINE="sparsest: least TV" ;;
  master) ARGS=(solve ${DATA:?set DATA as for latency.sh} --lambda 1e-4 --columns-per-round 100000 -o $MODEL); LINE="^    1 " ;;
  *) echo "unknown phase $PHASE"; exit 2 ;;
esac
nice -n 19 $BIN "${ARGS[@]}" > /dev/null 2> $D/signals-$PHASE.err &
P=$!
until grep -q "$LINE" $D/signals-$PHASE.err 2>/dev/null; do sleep 0.02; kill -0 $P 2>/dev/null || break; done
sleep $DELAY
# CPU seconds of the process (user + system) from /proc, read every 10 ms until it is gone (the last reading
# misses at most 10 ms of it).
cpu() { awk -v t=$(getconf CLK_TCK) '{printf "%.2f", ($14 + $15) / t}' /proc/$P/stat 2>/dev/null; }
C0=$(cpu); C1=$C0; T0=$(date +%s.%N); kill -$SIG $P
while C=$(cpu) && [ -n "$C" ]; do C1=$C; sleep 0.01; done
wait $P; RC=$?; T1=$(date +%s.%N)
echo "$PHASE: SIG$SIG $DELAY s after '$LINE', exit $RC, $(echo "$T1 - $T0" | bc) s ($(echo "$C1 - $C0" | bc) CPU s) from the signal to exit, status $(python3 -c "import json;print(json.load(open('$MODEL'))['status'])" 2>/dev/null || echo 'no file'), load $(cut -d' ' -f1-3 /proc/loadavg)"
