#!/usr/bin/env bash
# Dual-region enumeration benchmark (issue 3): time and peak memory of `relulp regions` on three seeded data sets.
# Usage: benchmarks/regions/run.sh [output-dir]      (run from the package root)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-/tmp/relulp-bench-regions}"
mkdir -p "$out"
python3 benchmarks/regions/generate.py "$out"
swift build -c release --product relulp >/dev/null
bin=.build/release/relulp
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB RAM; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| data | n | d | regions | extreme rays | wall s | user s | sys s | peak RSS MiB |\n|---|---|---|---|---|---|---|---|---|\n'
for name in line_n100000 space_n100 plane_n1000; do
  /usr/bin/time -v "$bin" regions "$out/$name.csv" --json "$out/$name.json" >"$out/$name.out" 2>"$out/$name.time"
  regions=$(sed -n 's/^regions: //p' "$out/$name.out")
  rays=$(sed -n 's/^extreme rays: //p' "$out/$name.out")
  n=$(python3 -c "import json;print(json.load(open('$out/$name.json'))['n'])")
  d=$(python3 -c "import json;print(json.load(open('$out/$name.json'))['dimension'])")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{split($2,t,":"); if (length(t)==3) print t[1]*3600+t[2]*60+t[3]; else print t[1]*60+t[2]}' "$out/$name.time")
  user=$(awk -F': ' '/User time/{print $2}' "$out/$name.time")
  sys=$(awk -F': ' '/System time/{print $2}' "$out/$name.time")
  rss=$(awk -F': ' '/Maximum resident/{printf "%.0f", $2/1024}' "$out/$name.time")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$n" "$d" "$regions" "$rays" "$wall" "$user" "$sys" "$rss"
done
