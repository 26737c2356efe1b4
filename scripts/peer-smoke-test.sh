#!/usr/bin/env bash
# The peer smoke test of benchmarks/peers (conic solver vs relulp's certified optimum), when Python is there.
# Installs the pinned peers' requirements with pip; skipped with a message when python3 or pip is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v python3 >/dev/null || ! python3 -m pip --version >/dev/null 2>&1; then
    echo "peer smoke test skipped: python3 with pip is not installed (apt-get install python3-pip)"
    exit 0
fi
if ! python3 -m pip install -q --disable-pip-version-check -r benchmarks/peers/requirements.txt >&2; then
    echo "peer smoke test skipped: pip could not install benchmarks/peers/requirements.txt (use a virtualenv)"
    exit 0
fi
python3 -m pytest -q benchmarks/peers/smoke_test.py
