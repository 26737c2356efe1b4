"""The wheel of `make wheel` (scripts/python-test.sh builds it and names it in RELULP_WHEEL): installed into a
fresh virtual environment it fits and certifies with no relulp on PATH and no RELULP set, using the binary it
carries, and that binary loads nothing from outside the wheel but the C/C++ runtime; the README's Python example
runs with it alone."""

import os
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import relulp
from conftest import REPOSITORY
from test_readme_example import readme_example

WHEEL = os.environ.get("RELULP_WHEEL")
# What a manylinux wheel may take from the system (auditwheel's policy): glibc's libraries and the C++ runtime.
SYSTEM = re.compile(r"^(linux-vdso|ld-linux[-\w.]*|libc|libm|libdl|librt|libpthread|libstdc\+\+|libgcc_s)\.so")

pytestmark = pytest.mark.skipif(WHEEL is None, reason="RELULP_WHEEL not set (scripts/python-test.sh builds the wheel)")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with the wheel installed. numpy and scikit-learn are taken from this test's environment by
    a .pth file (after the venv's own site-packages, so the wheel's relulp comes first) instead of from PyPI,
    to keep the test fast."""
    venv = tmp_path_factory.mktemp("wheel") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    here = [p for p in sys.path if p.endswith("site-packages")]
    (site / "test-environment.pth").write_text("\n".join(here) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps",
                    "--no-index", "--target", str(site), WHEEL], check=True)
    return python, site


def clean_environment(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("RELULP", "PYTHONPATH")}
    env["PATH"] = "/usr/bin:/bin"
    env["TMPDIR"] = str(tmp_path)
    assert subprocess.run(["sh", "-c", "command -v relulp"], env=env, capture_output=True).returncode != 0
    return env


def test_the_wheel_is_tagged_for_linux_and_carries_the_binary():
    name = Path(WHEEL).name
    assert re.fullmatch(rf"relulp-{re.escape(relulp.__version__)}-py3-none-(manylinux|linux)_\w+\.whl", name), name
    with zipfile.ZipFile(WHEEL) as wheel:
        names = wheel.namelist()
    assert "relulp/_bin/relulp" in names
    assert any(n.startswith("relulp.libs/") for n in names)  # CLP, GLPK and theirs, vendored


def test_a_fit_from_the_wheel_certifies_without_relulp_on_path(installed, tmp_path):
    python, site = installed
    script = textwrap.dedent("""
        import numpy as np, relulp
        X = np.linspace(-1, 1, 20).reshape(-1, 1)
        net = relulp.ReLULPRegressor(lam=0.01).fit(X, np.abs(X[:, 0]))
        print(relulp.__file__, relulp.find_relulp(), net.status_, net.gap_)
    """)
    result = subprocess.run([python, "-c", script], env=clean_environment(tmp_path), capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    module, binary, status, gap = result.stdout.split()
    assert module.startswith(str(site)) and binary == str(site / "relulp" / "_bin" / "relulp")
    assert status == "optimal" and float(gap) <= 1e-9


def test_the_bundled_binary_needs_only_the_c_runtime(installed, tmp_path):
    _, site = installed
    binary = site / "relulp" / "_bin" / "relulp"
    ldd = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=True).stdout
    for line in ldd.splitlines():
        library = line.split()[0]
        resolved = line.split("=>")[1].split("(")[0].strip() if "=>" in line else library
        assert "not found" not in line, line
        assert resolved.startswith(str(site)) or SYSTEM.match(os.path.basename(library)), line
    assert "swift" not in ldd.lower() and "libClp" in ldd and str(site) in ldd


def test_the_readme_example_runs_with_the_wheel_alone(installed, tmp_path):
    python, _ = installed
    result = subprocess.run([python, "-c", readme_example()], env=clean_environment(tmp_path), cwd=REPOSITORY,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"optimal: gap \S+, lower bound \S+, \d+ neurons\n", result.stdout), result.stdout
