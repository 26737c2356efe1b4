#!/usr/bin/env bash
# The Python package's tests (python/tests, scikit-learn's check_estimator among them) against the release
# binary that `make test` builds, then the wheel's: builds it (scripts/build-wheel.sh, `make wheel`: reuses the
# release build, relinking relulp with the Swift runtime static) and installs it into a fresh virtual environment
# (python/tests/test_wheel.py). Makes a virtual environment in .build/python-venv (ignored by git) and installs
# ./python and the pinned python/tests/requirements.txt (Dask among them, for the cluster test) from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="$PWD/.build/release/relulp"
venv=.build/python-venv
if [ ! -x "$binary" ]; then
    echo "error: $binary is missing; build it first (swift build -c release)" >&2
    exit 1
fi
wheel=$(scripts/build-wheel.sh | tail -n 1)
if [ ! -x "$venv/bin/python" ]; then
    command -v python3 >/dev/null || { echo "error: python3 is not installed (apt-get install python3 python3-venv)" >&2; exit 1; }
    python3 -m venv "$venv" || { rm -rf "$venv"; echo "error: python3 -m venv failed (apt-get install python3-venv)" >&2; exit 1; }
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r python/tests/requirements.txt ./python >&2
RELULP="$binary" RELULP_WHEEL="$PWD/$wheel" "$venv/bin/python" -m pytest -q python/tests
