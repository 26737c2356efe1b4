#!/usr/bin/env bash
# Installs the Debian packages relulp links against (COIN-OR CLP and CBC, GLPK) when they are missing, and Python with
# venv and pip (the Python package's tests and the peer scripts) when no python3 that can make a venv is on PATH.
# Idempotent; uses sudo only when not root.
set -euo pipefail
packages=(coinor-libclp-dev coinor-libcbc-dev libglpk-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
    missing+=(python3 python3-venv python3-pip)
fi
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi
command -v swift >/dev/null || { echo "error: swift is not on PATH (relulp needs Swift 6.0 or later)" >&2; exit 1; }
