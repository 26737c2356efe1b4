"""Many fits at once: GridSearchCV over λ with joblib's processes (n_jobs) and with its Dask backend on a
dask.distributed LocalCluster of processes, both against a sequential search."""

import warnings

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, KFold

import relulp
from conftest import example

LAMS = [0.1, 0.03, 0.01]


def search(n_jobs=None):
    _, X, y = example("kink1d_n20")
    return GridSearchCV(relulp.ReLULPRegressor(), {"lam": LAMS}, cv=KFold(3), n_jobs=n_jobs).fit(X, y)


@pytest.fixture(scope="module")
def sequential(binary):
    return search()


def test_grid_search_in_processes(sequential):
    parallel = search(n_jobs=2)
    np.testing.assert_allclose(parallel.cv_results_["mean_test_score"], sequential.cv_results_["mean_test_score"],
                               rtol=1e-9)


def test_grid_search_on_a_dask_cluster(sequential, binary, monkeypatch):
    distributed = pytest.importorskip("dask.distributed")
    joblib = pytest.importorskip("joblib")
    monkeypatch.setenv("RELULP", binary)  # inherited by the workers
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) \
                as cluster, distributed.Client(cluster) as client:
            with joblib.parallel_config("dask"), distributed.get_task_stream(client) as tasks:
                result = search()
            workers = client.run(lambda: __import__("os").getpid())
    assert len(workers) == 2
    assert len(tasks.data) >= len(LAMS) * 3  # the fits ran as the cluster's tasks
    np.testing.assert_allclose(result.cv_results_["mean_test_score"], sequential.cv_results_["mean_test_score"],
                               rtol=1e-9)
