"""The estimators' statistics, saving and loading, more than two classes, predict_proba, messages in Python
terms, the region estimate, the module-level path and ReLULPRegressorCV, each against something independent:
relulp's own commands and files, cold single fits, scikit-learn's GridSearchCV."""

import json
import re
import warnings

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, KFold

import relulp
from conftest import example, run


def three_classes():
    _, X, y = example("teacher2d_n30")
    return X, np.array(["low", "mid", "high"])[np.digitize(y, np.quantile(y, [1 / 3, 2 / 3]))]


def test_fitted_statistics_are_the_model_files(binary):
    _, X, y = example("teacher2d_n30")
    estimator = relulp.ReLULPRegressor(lam=0.01).fit(X, y)
    solver = estimator.model_.raw["solver"]
    assert estimator.n_neurons_ == len(estimator.amplitudes_) == len(estimator.model_.raw["atoms"]) > 0
    assert estimator.n_rounds_ == solver["rounds"] >= 1
    assert estimator.fit_time_ == solver["seconds"] > 0
    assert estimator.status_ == "optimal" and estimator.gap_ <= estimator.tolerance
    assert estimator.lower_bound_ <= estimator.objective_


def test_save_and_load_keep_the_feature_names(binary, tmp_path):
    pandas = pytest.importorskip("pandas")
    _, X, y = example("teacher2d_n30")
    frame = pandas.DataFrame(X, columns=["age", "dose"])
    estimator = relulp.ReLULPRegressor(lam=0.01).fit(frame, y)
    estimator.save_model(tmp_path / "model.json")
    assert json.loads((tmp_path / "model.json").read_text())["features"] == ["age", "dose"]
    # relulp itself reads the saved file and picks the columns by those names (in another order here)
    points = np.random.default_rng(4).uniform(-1, 1, size=(25, 2))
    np.savetxt(tmp_path / "points.csv", points[:, ::-1], delimiter=",", header="dose,age", comments="", fmt="%.17g")
    lines = run(binary, "predict", tmp_path / "model.json", tmp_path / "points.csv").stdout.splitlines()
    by_relulp = np.array([float(line.split(",")[-1]) for line in lines[1:]])
    loaded = relulp.ReLULPRegressor.load_model(tmp_path / "model.json")
    assert list(loaded.feature_names_in_) == ["age", "dose"] and loaded.lam == 0.01
    np.testing.assert_allclose(loaded.predict(pandas.DataFrame(points, columns=["age", "dose"])), by_relulp,
                               rtol=1e-12, atol=1e-12)
    assert loaded.objective_ == estimator.objective_ and loaded.status_ == "optimal"
    with pytest.raises(ValueError, match="feature names"):
        loaded.predict(pandas.DataFrame(points, columns=["dose", "age"]))


def test_save_and_load_a_classifier_of_three_classes(binary, tmp_path):
    X, labels = three_classes()
    estimator = relulp.ReLULPClassifier(lam=0.01).fit(X, labels)
    estimator.save_model(tmp_path / "ovr.json")
    loaded = relulp.ReLULPClassifier.load_model(tmp_path / "ovr.json")
    assert list(loaded.classes_) == list(estimator.classes_)
    np.testing.assert_array_equal(loaded.predict(X), estimator.predict(X))
    np.testing.assert_allclose(loaded.predict_proba(X), estimator.predict_proba(X))


def test_three_classes_one_vs_rest_each_certified(binary, tmp_path):
    X, labels = three_classes()
    estimator = relulp.ReLULPClassifier(lam=0.01, n_jobs=2).fit(X, labels)
    assert list(estimator.classes_) == ["high", "low", "mid"]
    assert list(estimator.status_) == ["optimal"] * 3 and np.all(estimator.gap_ <= 1e-9)
    for k, label in enumerate(estimator.classes_):  # each problem is relulp's own hinge fit of that class vs rest
        np.savetxt(tmp_path / "data.csv", np.column_stack([X, labels == label]), delimiter=",", header="x1,x2,y",
                   comments="", fmt="%.17g")
        run(binary, "solve", tmp_path / "data.csv", "--loss", "hinge", "--intercept", "--lambda", "0.01", "--quiet",
            "--output", tmp_path / "model.json")
        reference = json.loads((tmp_path / "model.json").read_text())
        assert estimator.objective_[k] == pytest.approx(reference["objective"], rel=1e-7)
    decision = estimator.decision_function(X)
    assert decision.shape == (len(X), 3)
    np.testing.assert_array_equal(estimator.predict(X), estimator.classes_[decision.argmax(axis=1)])
    probabilities = estimator.predict_proba(X)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    np.testing.assert_array_equal(estimator.classes_[probabilities.argmax(axis=1)], estimator.predict(X))
    assert estimator.score(X, labels) > 0.8


def test_predict_proba_agrees_with_predict_and_its_slope_is_the_likelihoods(binary):
    _, X, y = example("teacher2d_n30")
    labels = y > np.median(y)
    estimator = relulp.ReLULPClassifier(lam=0.01).fit(X, labels)
    probabilities = estimator.predict_proba(X)
    np.testing.assert_array_equal(estimator.classes_[probabilities.argmax(axis=1)], estimator.predict(X))
    margins = np.where(labels, 1.0, -1.0) * estimator.decision_function(X)

    def log_likelihood(a):
        return -np.logaddexp(0.0, -a * margins).sum()

    a = estimator.prob_slope_
    assert 0 < a <= 100
    assert log_likelihood(a) >= max(log_likelihood(a * 1.05), log_likelihood(a / 1.05)) - 1e-9


def test_refusals_speak_python(binary):
    X = np.random.default_rng(2).normal(size=(60, 4))
    with pytest.raises(relulp.RelulpError) as refused:
        relulp.ReLULPRegressor(max_regions=1000, pricing="enumerate").fit(X, X[:, 0])
    message = str(refused.value)
    assert "max_regions" in message and "--max-regions" not in message and "library:" not in message
    assert "relulp-" not in message  # no temporary path
    with pytest.raises(relulp.RelulpError, match="max_search_regions") as refused:
        relulp.ReLULPRegressor(max_search_regions=1000, pricing="branch-and-bound").fit(X, X[:, 0])
    assert "--max-search-regions" not in str(refused.value)


def test_estimate_regions_is_relulps(binary, tmp_path):
    for shape in [(30, 2), (60, 4), (7, 1)]:
        X = np.random.default_rng(0).normal(size=shape)
        np.savetxt(tmp_path / "d.csv", np.column_stack([X, X[:, 0]]), delimiter=",", comments="", fmt="%.17g",
                   header=",".join([f"x{i}" for i in range(shape[1])] + ["y"]))
        printed = run(binary, "regions", tmp_path / "d.csv", "--max-regions", 10**9, check=False)
        bound = int(re.search(r"general-position bound: (\d+)", printed.stdout).group(1))
        assert relulp.estimate_regions(X) == bound
    # n points on a line, lifted to the plane: 2n regions; without the bias, two half-lines
    assert relulp.estimate_regions(np.arange(5.0).reshape(-1, 1)) == 10
    assert relulp.estimate_regions(np.arange(5.0).reshape(-1, 1), bias=False) == 2


def test_not_certified_warning_carries_the_gap(binary):
    _, X, y = example("teacher2d_n30")
    with pytest.warns(relulp.NotCertifiedWarning) as caught:
        estimator = relulp.ReLULPRegressor(lam=0.001, max_rounds=1).fit(X, y)
    warning = caught[0].message
    assert warning.gap == estimator.gap_ > estimator.tolerance and warning.status == estimator.status_
    assert warning.lam == 0.001


def test_a_high_dimensional_fit_gets_a_time_limit():
    X = np.zeros((200, 10))
    options = relulp.ReLULPRegressor()._options(X)
    assert f"--time-limit={relulp.HIGH_DIMENSIONAL_TIME_LIMIT!r}" in options
    assert not any(o.startswith("--time-limit") for o in relulp.ReLULPRegressor()._options(np.zeros((30, 2))))
    assert "--time-limit=5.0" in relulp.ReLULPRegressor(time_limit=5)._options(X)


def test_module_path_solves_a_repeated_lambda_once(binary):
    _, X, y = example("kink1d_n20")
    path = relulp.regularization_path(X, y, [0.1, 0.01, 0.1], backend="glpk")
    assert [e.lam for e in path] == [0.1, 0.01, 0.1]
    assert path[0].objective_ == path[2].objective_
    assert path[1].objective_ == pytest.approx(relulp.ReLULPRegressor(lam=0.01).fit(X, y).objective_, rel=1e-8)
    with pytest.raises(ValueError, match="finite number > 0, got -1.0"):
        relulp.regularization_path(X, y, [0.1, -1.0])
    with pytest.raises(ValueError, match="lams is empty"):
        relulp.regularization_path(X, y, [])


def test_regressor_cv_agrees_with_grid_search_of_cold_fits(binary):
    _, X, y = example("kink1d_n20")
    lams = [0.1, 0.03, 0.01]
    folds = KFold(3, shuffle=True, random_state=0)
    cv = relulp.ReLULPRegressorCV(lams=lams, cv=folds).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", relulp.NotCertifiedWarning)
        grid = GridSearchCV(relulp.ReLULPRegressor(), {"lam": lams}, cv=folds).fit(X, y)
    np.testing.assert_allclose(cv.cv_results_["mean_test_score"], grid.cv_results_["mean_test_score"], rtol=1e-6)
    assert cv.lam_ == grid.best_params_["lam"]
    assert cv.status_ == "optimal" and cv.best_estimator_.lam == cv.lam_
    np.testing.assert_allclose(cv.predict(X), grid.best_estimator_.predict(X), rtol=1e-7, atol=1e-9)


def test_time_limit_is_honoured_and_the_warning_carries_the_gap(binary):
    # 200 points in R³ (~2.6·10⁶ regions, searched): far from certified after 0.2 s
    X = np.random.default_rng(0).normal(size=(200, 3))
    y = np.sin(X).sum(axis=1)
    with pytest.warns(relulp.NotCertifiedWarning, match="time-limit") as caught:
        estimator = relulp.ReLULPRegressor(lam=0.001, time_limit=0.2).fit(X, y)
    assert estimator.status_ == "time-limit" and caught[0].message.gap == estimator.gap_ > estimator.tolerance
    assert estimator.lower_bound_ < estimator.objective_
    assert estimator.fit_time_ < 30  # the limit plus relulp's documented overrun, with room for a loaded machine


@pytest.mark.parametrize("module", ["_estimators", "_cv"])
def test_docstring_examples_run(binary, module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"relulp.{module}"))
    assert result.attempted > 0 and result.failed == 0


def test_data_above_the_search_limit_gets_a_network_and_a_gap(binary):
    # 60 points with 10 features (~1.6·10¹¹ regions, above max_search_regions): relulp's anytime mode, not a refusal
    rng = np.random.default_rng(3)
    X = rng.uniform(-1, 1, size=(60, 10))
    y = np.maximum(X[:, 0] + X[:, 1], 0) - X[:, 2]
    with pytest.warns(relulp.NotCertifiedWarning, match="time-limit") as caught:
        estimator = relulp.ReLULPRegressor(time_limit=2).fit(X, y)
    assert estimator.status_ == "time-limit" and caught[0].message.gap == estimator.gap_
    assert 0 < estimator.lower_bound_ < estimator.objective_ and estimator.gap_ < 1
    assert np.all(np.isfinite(estimator.predict(X)))
