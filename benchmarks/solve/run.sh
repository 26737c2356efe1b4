#!/usr/bin/env bash
# Exact-training benchmark (issue 4): `relulp solve` with CLP and GLPK, column generation and the
# vertex LP, under /usr/bin/time -v (wall time, peak RSS) and a per-run timeout.
#
# Usage (from anywhere):  benchmarks/solve/run.sh
# Environment:
#   TIMEOUT=600            seconds per run (a run killed by it is reported as "timeout")
#   INSTANCES='a b ...'    subset of: teacher2d_n30 plane_n120 line_n10000 space_n100 plane_n1000
#   BACKENDS='clp glpk'    METHODS='column-generation vertices'
#   OUT=benchmarks/out/solve   where data, models and logs go (git-ignored)
#   NO_BUILD=1             skip the release build
#   TOLERANCE=1e-9         relulp's --tolerance (its gap is (J - lower)/max(1, J): absolute when J < 1)
#   EXTRA='--no-newton'    further `relulp solve` options
# Prints a markdown table on stdout (also written to $OUT/table.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
TIMEOUT="${TIMEOUT:-600}"
TOLERANCE="${TOLERANCE:-1e-9}"
INSTANCES="${INSTANCES:-teacher2d_n30 plane_n120 line_n10000 space_n100 plane_n1000}"
BACKENDS="${BACKENDS:-clp glpk}"
METHODS="${METHODS:-column-generation vertices}"
OUT="${OUT:-benchmarks/out/solve}"
mkdir -p "$OUT"

if [ -z "${NO_BUILD:-}" ]; then
  swift build -c release --product relulp >&2
fi
bin="$root/.build/release/relulp"
python3 benchmarks/solve/generate.py "$OUT"
cp Tests/Fixtures/teacher2d_n30.csv "$OUT/teacher2d_n30.csv"

lambda_of() {  # instance -> λ
  case "$1" in
    teacher2d_n30) echo 0.01 ;;
    plane_n120) echo 0.005 ;;
    *) echo 0.01 ;;
  esac
}

echo "machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), MemTotal $(awk '/MemTotal/{print $2}' /proc/meminfo) kB; $(swift --version 2>&1 | head -1)" >> "$OUT/machine.txt"
echo "$(date "+%F %T") INSTANCES=$INSTANCES BACKENDS=$BACKENDS METHODS=$METHODS TIMEOUT=$TIMEOUT TOLERANCE=$TOLERANCE EXTRA=${EXTRA:-}; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

for inst in $INSTANCES; do
  lam=$(lambda_of "$inst")
  for method in $METHODS; do
    for be in $BACKENDS; do
      tag="$OUT/$inst.$be.$method"
      rm -f "$tag.json" "$tag.out" "$tag.err" "$tag.time" "$tag.rc" "$tag.load"
      cut -d' ' -f1-3 /proc/loadavg > "$tag.load"
      echo "== $inst λ=$lam $be $method (load $(cat "$tag.load"))" >&2
      set +e
      /usr/bin/time -v -o "$tag.time" timeout "$TIMEOUT" "$bin" solve "$OUT/$inst.csv" --lambda "$lam" \
        --backend "$be" --method "$method" --tolerance "$TOLERANCE" --output "$tag.json" ${EXTRA:-} >"$tag.out" 2>"$tag.err"
      echo $? > "$tag.rc"
      set -e
      cut -d' ' -f1-3 /proc/loadavg >> "$tag.load"
      grep -E '^(status|objective|relative gap|rounds|time)' "$tag.out" | tr -s ' ' | paste -sd';' >&2 || true
    done
  done
done

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
python3 benchmarks/solve/table.py "$OUT" $INSTANCES | tee "$OUT/table.md"
