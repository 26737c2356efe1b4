"""The Python example of README.md runs as printed (matplotlib without a display) and says what the README says."""

import os
import re
import subprocess
import sys

import numpy as np

import relulp
from conftest import REPOSITORY, example


def readme_example():
    text = (REPOSITORY / "README.md").read_text()
    section = text[text.index("\n## Python\n"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_example_runs_and_prints_the_certificate(binary):
    env = dict(os.environ, MPLBACKEND="Agg", RELULP=binary)
    result = subprocess.run([sys.executable, "-c", readme_example()], cwd=REPOSITORY, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    printed = re.fullmatch(r"(\w+): gap (\S+), lower bound (\S+), (\d+) neurons\n", result.stdout)
    assert printed, result.stdout
    _, X, y = example("kink1d_n20")
    fit = relulp.ReLULPRegressor(lam=0.01).fit(X, y)
    assert printed.group(1) == fit.status_ == "optimal"
    assert float(printed.group(2)) <= 1e-9
    assert abs(float(printed.group(3)) - fit.lower_bound_) <= 1e-12
    assert int(printed.group(4)) == len(fit.amplitudes_)
    # and what the README text after the example claims
    claimed = re.search(r"It prints `optimal: gap \S+, lower bound (\S+), (\d+) neurons`", (REPOSITORY / "README.md").read_text())
    assert claimed and np.isclose(float(claimed.group(1)), fit.lower_bound_, rtol=0, atol=1e-12)
    assert int(claimed.group(2)) == len(fit.amplitudes_)
