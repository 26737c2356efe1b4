"""One version: the package's is the binary's (`relulp --version`, relulpVersion in the Swift sources), the
package checks it, and finds its own bundled binary before RELULP and PATH."""

import re

import numpy as np
import pytest

import relulp
from conftest import REPOSITORY, fake_relulp, run


def test_the_package_version_is_the_binarys(binary):
    swift = (REPOSITORY / "Sources" / "ReLULP" / "ReLULP.swift").read_text()
    assert re.search(r'public let relulpVersion = "([^"]+)"', swift).group(1) == relulp.__version__
    assert run(binary, "--version").stdout.splitlines()[0] == f"relulp {relulp.__version__}"
    assert relulp._binary.binary_version(binary) == relulp.__version__


def test_another_version_is_refused_naming_both(tmp_path):
    other = fake_relulp(tmp_path / "old-relulp", "exit 0", version="0.1.0")
    with pytest.raises(relulp.RelulpVersionError, match=rf"version 0\.1\.0, this Python package is {relulp.__version__}"):
        relulp.ReLULPRegressor(relulp_path=other).fit(np.array([[0.0], [1.0]]), [0.0, 1.0])
    stranger = tmp_path / "not-relulp"
    stranger.write_text("#!/bin/sh\necho hello\n")
    stranger.chmod(0o755)
    with pytest.raises(relulp.RelulpError, match="is not a relulp binary"):
        relulp.find_relulp(stranger)


def test_the_bundled_binary_comes_before_relulp_and_path(tmp_path, monkeypatch, binary):
    bundled = fake_relulp(tmp_path / "bundled", "exit 0")
    elsewhere = fake_relulp(tmp_path / "elsewhere", "exit 0", version="0.0.1")
    monkeypatch.setattr(relulp._binary, "BUNDLED", str(bundled))
    monkeypatch.setenv("RELULP", str(elsewhere))
    assert relulp.find_relulp() == str(bundled)
    assert relulp.find_relulp(binary) == binary  # an explicit relulp_path= wins
    monkeypatch.setattr(relulp._binary, "BUNDLED", str(tmp_path / "absent"))
    with pytest.raises(relulp.RelulpVersionError):  # then RELULP
        relulp.find_relulp()
    monkeypatch.delenv("RELULP")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(relulp.RelulpNotFoundError, match="make wheel"):
        relulp.find_relulp()
