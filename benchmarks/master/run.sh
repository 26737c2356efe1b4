#!/bin/sh
# The master LP's two forms (issue 14): `relulp solve --master primal|dual` at λ = 0.01 on the instances of
# benchmarks/solve/generate.py and benchmarks/pricing/instances.py, each backend, under /usr/bin/time.
#
#   sh benchmarks/master/run.sh .build/release/relulp OUT ["instance ..."] ["clp glpk"] ["primal dual"]
#
# Writes OUT/NAME-BACKEND-FORM.log and prints one markdown row per run: instance, backend, form, status,
# objective, gap, rounds and columns, wall seconds, peak RSS (MB). TIME_LIMIT (default 300 s) per run.
set -eu
relulp=$1; out=$2
instances=${3:-"teacher2d_n30 plane_n120 space_n100 plane_n1000 teacher_m3_n100 teacher_m3_n300 line_n10000"}
backends=${4:-"clp glpk"}
forms=${5:-"primal dual"}
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/benchmarks/summary.sh"
mkdir -p "$out"
python3 "$root/benchmarks/solve/generate.py" "$out" > /dev/null
python3 "$root/benchmarks/pricing/instances.py" "$out" > /dev/null
cp "$root/Tests/Fixtures/teacher2d_n30.csv" "$out/"
echo "| instance | backend | master | status | objective | gap | rounds (columns) | wall s | peak MB |"
echo "|---|---|---|---|---|---|---|---|---|"
for name in $instances; do
    for backend in $backends; do
        for form in $forms; do
            log="$out/$name-$backend-$form.log"
            timed "$log" "$relulp" solve "$out/$name.csv" --lambda 0.01 --backend "$backend" \
                --master "$form" --time-limit "${TIME_LIMIT:-300}"
            summary "$log"
            echo "| $name | $backend | $form | ${status:-error} | $objective | $gap | $rounds ($columns) | $wall | $peak_mb |"
        done
    done
done
