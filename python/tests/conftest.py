"""Shared fixtures: the relulp binary (RELULP or PATH; scripts/python-test.sh points RELULP at the release
build), the repository's bundled examples, stand-in binaries, and a private temporary directory for the whole
session that must hold no relulp-* folder when the session ends (the package removes its run folders)."""

import os
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest

# Before relulp is imported anywhere: every temporary folder of this session (the package's run folders, those
# of the tests' subprocesses) goes here, apart from other processes' folders in the system's directory.
SESSION_TMP = Path(tempfile.mkdtemp(prefix="relulp-pytest-tmp-"))
os.environ["TMPDIR"] = str(SESSION_TMP)
tempfile.tempdir = str(SESSION_TMP)

import relulp  # noqa: E402

REPOSITORY = Path(__file__).resolve().parents[2]


def leftover_run_folders():
    """The package's run folders (relulp-…) left in the session's temporary directory."""
    return sorted(path.name for path in SESSION_TMP.iterdir() if path.name.startswith("relulp-"))


def pytest_sessionfinish(session, exitstatus):
    left = leftover_run_folders()
    if left:
        print(f"\nerror: the tests left {len(left)} relulp run folders behind in {SESSION_TMP}: {left[:5]}")
        session.exitstatus = 1
    else:
        subprocess.run(["rm", "-rf", str(SESSION_TMP)], check=False)


@pytest.fixture(scope="session")
def binary():
    """The relulp executable; a missing binary is a test failure, not a skip."""
    try:
        return relulp.find_relulp()
    except relulp.RelulpNotFoundError as error:
        pytest.fail(f"{error} (scripts/python-test.sh sets RELULP to .build/release/relulp)")


def fake_relulp(path, body, version=relulp.__version__):
    """A stand-in for relulp at `path`: answers `--version` as relulp `version` would, runs the shell `body`
    for anything else."""
    path = Path(path)
    path.write_text(f'#!/bin/sh\nif [ "$1" = "--version" ]; then echo "relulp {version}"; exit 0; fi\n{body}\n')
    path.chmod(0o755)
    return path


def example(name):
    """(path, X, y) of a bundled example in models/NAME/data.csv (header row, label column y last)."""
    path = REPOSITORY / "models" / name / "data.csv"
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return path, data[:, :-1], data[:, -1]


def run(binary, *args, check=True):
    """Runs relulp directly (the reference the package is compared with)."""
    result = subprocess.run([binary, *map(str, args)], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"relulp {' '.join(map(str, args))} failed: {result.stderr}")
    return result
