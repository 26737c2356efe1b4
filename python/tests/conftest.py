"""Shared fixtures: the relulp binary (RELULP or PATH; scripts/python-test.sh points RELULP at the release
build) and the repository's bundled examples."""

import subprocess
from pathlib import Path

import numpy as np
import pytest

import relulp

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def binary():
    """The relulp executable; a missing binary is a test failure, not a skip."""
    try:
        return relulp.find_relulp()
    except relulp.RelulpNotFoundError as error:
        pytest.fail(f"{error} (scripts/python-test.sh sets RELULP to .build/release/relulp)")


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
