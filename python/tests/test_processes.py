"""The relulp child process and the run folder do not outlive Python (issue 25; issue 26, item 9): SIGTERM to
Python stops the child and removes the folder, SIGKILL to Python takes the child along (PR_SET_PDEATHSIG), and
fits of one estimator from two threads run one after the other."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

import relulp
from conftest import SESSION_TMP, example, fake_relulp, leftover_run_folders


def alive(pid):
    """Whether process `pid` runs (a zombie, dead but not yet reaped by whoever inherited it, is not alive)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_for(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def sleeping_relulp(tmp_path):
    """A stand-in for relulp that records its pid and its data file's folder, then sleeps (the same process)."""
    return fake_relulp(tmp_path / "slow-relulp", f'echo "$$ $2" >> {tmp_path}/runs\nexec sleep 60')


FIT = "relulp.ReLULPRegressor(relulp_path=BINARY).fit(X, X[:, 0] ** 2)"


def start_fit(tmp_path, binary, fit=FIT, runs=1):
    """A Python process running `fit` with `binary`, its temporary directory in tmp_path/tmp; returns (process,
    child pid, its run folder) once `runs` children run (of the first of them)."""
    (tmp_path / "tmp").mkdir()
    script = textwrap.dedent(f"""
        import numpy as np, relulp
        BINARY = {str(binary)!r}
        X = np.arange(6.0).reshape(-1, 1)
        {fit}
    """)
    env = dict(os.environ, TMPDIR=str(tmp_path / "tmp"))
    process = subprocess.Popen([sys.executable, "-c", script], env=env, stderr=subprocess.PIPE, text=True)

    def started():
        path = tmp_path / "runs"
        return path.exists() and len([line for line in path.read_text().splitlines() if line.strip()]) >= runs

    assert wait_for(started), process.stderr.read() if process.poll() is not None else "the stand-in never ran"
    children = [line.split() for line in (tmp_path / "runs").read_text().splitlines()]
    for pid, data in children:
        assert alive(int(pid)) and os.path.dirname(data).startswith(str(tmp_path / "tmp"))
    return process, [int(pid) for pid, _ in children], [os.path.dirname(data) for _, data in children]


def test_sigterm_to_python_stops_relulp_and_removes_the_run_folder(tmp_path, sleeping_relulp):
    process, (pid,), (folder,) = start_fit(tmp_path, sleeping_relulp)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == -signal.SIGTERM  # Python still ends as SIGTERM ends it
    assert wait_for(lambda: not alive(pid)), "relulp outlived the Python process"
    assert not os.path.exists(folder)
    assert os.listdir(tmp_path / "tmp") == []


def test_sigterm_during_a_one_vs_rest_fit_in_threads_stops_every_child(tmp_path, sleeping_relulp):
    fit = "relulp.ReLULPClassifier(relulp_path=BINARY, n_jobs=3).fit(X, [0, 0, 1, 1, 2, 2])"
    process, pids, folders = start_fit(tmp_path, sleeping_relulp, fit, runs=3)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == -signal.SIGTERM
    assert wait_for(lambda: not any(alive(pid) for pid in pids))
    assert os.listdir(tmp_path / "tmp") == []


def test_sigkill_to_python_takes_relulp_along(tmp_path, sleeping_relulp):
    process, (pid,), _ = start_fit(tmp_path, sleeping_relulp)
    process.kill()
    assert process.wait(timeout=20) == -signal.SIGKILL
    assert wait_for(lambda: not alive(pid)), "relulp outlived the Python process (no PR_SET_PDEATHSIG)"


def test_keyboard_interrupt_stops_relulp(tmp_path, sleeping_relulp):
    process, (pid,), (folder,) = start_fit(tmp_path, sleeping_relulp)
    process.send_signal(signal.SIGINT)
    process.wait(timeout=20)
    assert "KeyboardInterrupt" in process.stderr.read()
    assert wait_for(lambda: not alive(pid))
    assert not os.path.exists(folder)


def test_a_fit_leaves_no_run_folder_behind(binary):
    _, X, y = example("kink1d_n20")
    before = leftover_run_folders()
    relulp.ReLULPRegressor(lam=0.05).fit(X, y)
    with pytest.raises(relulp.RelulpError):
        relulp.ReLULPRegressor(max_regions=1, pricing="enumerate").fit(X, y)
    assert leftover_run_folders() == before == []
    assert str(SESSION_TMP) == os.environ["TMPDIR"]


def test_fits_from_two_threads_leave_a_consistent_estimator(binary):
    # the slow fit (2 features) starts first, the fast one (1 feature) after it: unguarded, the slow one
    # finishes last and leaves its 2-feature model with the fast one's n_features_in_ = 1
    _, X_slow, y_slow = example("teacher2d_n30")
    X_slow, y_slow = np.vstack([X_slow, X_slow + 0.01]), np.concatenate([y_slow, y_slow])
    X_fast = np.array([[0.0], [1.0], [2.0]])
    estimator = relulp.ReLULPRegressor(lam=0.001)
    errors = []

    def fit(X, y):
        try:
            estimator.fit(X, y)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    slow = threading.Thread(target=fit, args=(X_slow, y_slow))
    fast = threading.Thread(target=fit, args=(X_fast, X_fast[:, 0]))
    slow.start()
    time.sleep(0.05)
    fast.start()
    slow.join()
    fast.join()
    assert errors == []
    assert estimator.weights_.shape[1] == estimator.n_features_in_ + 1
    assert estimator.n_features_in_ == 1  # the fits ran in the order they started
