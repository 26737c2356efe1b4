# Sourced by the benchmark scripts (benchmarks/*/run.sh): one timed `relulp solve` and the fields of its summary.
#
#   timed LOG COMMAND...   runs COMMAND under /usr/bin/time, its stdout and stderr into LOG (a failure is recorded
#                          in LOG, not fatal)
#   summary LOG            sets status objective lower gap rounds columns wall (s) peak_mb from LOG

timed() {
    log=$1; shift
    /usr/bin/time -f "usage %e %M" "$@" > "$log" 2>&1 || true
}

summary() {
    status=$(sed -n 's/^status *//p' "$1")
    objective=$(sed -n 's/^objective *//p' "$1")
    lower=$(sed -n 's/^lower bound *//p' "$1")
    gap=$(sed -n 's/^relative gap *//p' "$1")
    rounds=$(sed -n 's/^rounds *\([0-9]*\).*/\1/p' "$1")
    columns=$(sed -n 's/^rounds *[0-9]* (\([0-9]*\) columns.*/\1/p' "$1")
    wall=$(sed -n 's/^usage \([0-9.]*\) .*/\1/p' "$1")
    rss=$(sed -n 's/^usage [0-9.]* \([0-9]*\)$/\1/p' "$1")
    peak_mb=$((${rss:-0} / 1024))
}
