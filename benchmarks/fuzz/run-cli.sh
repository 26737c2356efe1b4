#!/usr/bin/env bash
# Runs the command-line fuzz harness (benchmarks/fuzz/CLIFuzz) on the relulp binary for a bounded time per seed.
# Usage: benchmarks/fuzz/run-cli.sh [SECONDS] [SEEDS...]      (defaults: 300 seconds, seeds 1 2; release build)
# Set CONFIGURATION=debug to fuzz the debug build. A case with a finding keeps its folder (path printed).
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-300}
shift || true
seeds=${*:-1 2}
configuration=${CONFIGURATION:-release}
swift build -c "$configuration" --product relulp >&2 || exit 1
swift build -c "$configuration" --product cli-fuzz-benchmark >&2 || exit 1
status=0
for seed in $seeds; do
    work=$(mktemp -d)
    echo "\$ .build/$configuration/cli-fuzz-benchmark --binary .build/$configuration/relulp --seconds $seconds --seed $seed --work $work"
    ".build/$configuration/cli-fuzz-benchmark" --binary ".build/$configuration/relulp" --seconds "$seconds" \
        --seed "$seed" --timeout 60 --work "$work" || status=1
done
echo "load: $(cat /proc/loadavg)"
exit $status
