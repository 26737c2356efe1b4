"""ReLULPRegressor against relulp itself and against the certificate, recomputed here from the data."""

import json
import warnings

import numpy as np
import pytest

import relulp
from conftest import example, run


def objective(estimator, X, y):
    """(1/n) Σ |y − f(x)| + λ Σ |amplitude|, from the fitted atoms."""
    return np.mean(np.abs(y - estimator.predict(X))) + estimator.lam * np.abs(estimator.amplitudes_).sum()


def certificate(estimator, X, W):
    """η(w) = (1/λ) Σ_j p_j σ(⟨w, (x_j, 1)⟩) at the rows of W."""
    lifted = np.column_stack([X, np.ones(len(X))])
    return np.maximum(W @ lifted.T, 0.0) @ estimator.certificate_dual_ / estimator.lam


def unit_vectors(count, dimension, seed=0):
    W = np.random.default_rng(seed).normal(size=(count, dimension))
    return W / np.linalg.norm(W, axis=1, keepdims=True)


def test_fit_on_the_bundled_example_matches_relulp_solve(binary, tmp_path):
    path, X, y = example("teacher2d_n30")
    estimator = relulp.ReLULPRegressor(lam=0.01).fit(X, y)
    run(binary, "solve", path, "--lambda", "0.01", "--intercept", "--output", tmp_path / "model.json", "--quiet")
    reference = json.loads((tmp_path / "model.json").read_text())
    assert estimator.status_ == reference["status"] == "optimal"
    assert estimator.objective_ == pytest.approx(reference["objective"], rel=1e-9)
    assert estimator.lower_bound_ == pytest.approx(reference["lowerBound"], rel=1e-9)
    assert estimator.gap_ <= 1e-9
    assert estimator.n_features_in_ == 2
    assert estimator.weights_.shape == (len(estimator.amplitudes_), 3)
    assert len(estimator.atoms_) == len(estimator.amplitudes_) > 0
    # the fitted network's objective, recomputed from its atoms, is the reported upper bound
    assert objective(estimator, X, y) == pytest.approx(estimator.objective_, rel=1e-9)


def test_certificate_is_a_valid_lower_bound(binary):
    _, X, y = example("kink1d_n20")
    estimator = relulp.ReLULPRegressor(lam=0.01).fit(X, y)
    p, n = estimator.certificate_dual_, len(y)
    assert p.shape == (n,) and np.all(np.abs(p) <= (1 + 1e-12) / n)
    # L = min(1, 1/max|η|) Σ p_j y_j (docs/mathematics.md §4): feasible for the dual, so a lower bound
    assert min(1.0, 1.0 / estimator.max_abs_eta_) * p @ y == pytest.approx(estimator.lower_bound_, rel=1e-9)
    # max |η| found by sampling the sphere cannot exceed the exact maximum relulp reports
    assert np.abs(certificate(estimator, X, unit_vectors(20000, 2))).max() <= estimator.max_abs_eta_ * (1 + 1e-9)
    # every Dirac sits where η = sign(amplitude)
    at_atoms = certificate(estimator, X, estimator.weights_)
    np.testing.assert_allclose(at_atoms, np.sign(estimator.amplitudes_), atol=1e-6)
    relative_gap = (estimator.objective_ - estimator.lower_bound_) / max(1.0, abs(estimator.objective_))
    assert -1e-12 <= relative_gap <= 1e-9


def test_fitted_model_certifies_with_relulp_certify(binary, tmp_path):
    _, X, y = example("kink1d_n20")
    estimator = relulp.ReLULPRegressor(lam=0.05, backend="glpk").fit(X, y)
    (tmp_path / "model.json").write_text(json.dumps(estimator.model_.raw))
    np.savetxt(tmp_path / "data.csv", np.column_stack([X, y]), delimiter=",", header="x1,y", comments="", fmt="%.17g")
    result = run(binary, "certify", tmp_path / "model.json", tmp_path / "data.csv")
    assert "certified optimal" in result.stdout


def test_load_model_evaluates_like_relulp_predict(binary, tmp_path):
    for name, lam in [("kink1d_n20", 0.01), ("teacher2d_n30", 0.003)]:
        path, X, _ = example(name)
        model_path = tmp_path / f"{name}.json"
        run(binary, "solve", path, "--lambda", lam, "--intercept", "--output", model_path, "--quiet")
        model = relulp.load_model(model_path)
        assert model.status == "optimal" and model.lam == lam
        points = np.random.default_rng(1).uniform(-3, 3, size=(50, X.shape[1]))
        header = ",".join(model.features)
        np.savetxt(tmp_path / "points.csv", points, delimiter=",", header=header, comments="", fmt="%.17g")
        predicted = run(binary, "predict", model_path, tmp_path / "points.csv").stdout.splitlines()
        assert predicted[0].split(",")[-1] == "prediction"
        reference = np.array([float(line.split(",")[-1]) for line in predicted[1:]])
        np.testing.assert_allclose(model.predict(points), reference, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(model(points), reference, rtol=1e-12, atol=1e-12)


def test_load_model_refuses_what_is_not_a_model(tmp_path):
    good = json.loads((example("kink1d_n20")[0].parent / "model.json").read_text())
    cases = {
        "not-json.json": ("{ nope", "malformed JSON at line 1"),
        "format.json": (dict(good, format="other"), "not a relulp model file"),
        "version.json": (dict(good, version=2), "version 2"),
        "missing.json": ({k: v for k, v in good.items() if k != "gap"}, "missing field 'gap'"),
        "weights.json": (dict(good, atoms=[{"amplitude": 1.0, "weights": [1.0, 0.0, 0.0]}]), "feature weights"),
        "dual.json": (dict(good, certificate={"dual": [0.1], "maxAbsEta": 1.0}), "dual vector has 1 entries"),
    }
    for name, (content, message) in cases.items():
        (tmp_path / name).write_text(content if isinstance(content, str) else json.dumps(content))
        with pytest.raises(relulp.ModelFileError, match=message):
            relulp.load_model(tmp_path / name)
    with pytest.raises(relulp.ModelFileError, match="cannot read"):
        relulp.load_model(tmp_path / "absent.json")


def test_relulp_errors_become_exceptions_with_its_message(binary):
    # What the parameter checks cannot see (a pair of values, the data) is refused by relulp itself; a single bad
    # value never reaches it (tests/test_parameters.py).
    _, X, y = example("kink1d_n20")
    with pytest.raises(relulp.RelulpError, match="relulp: squared loss needs a QP backend.*glpk") as refused:
        relulp.ReLULPRegressor(loss="squared", backend="glpk").fit(X, y)
    assert refused.value.returncode == 64 and "Error:" in refused.value.stderr
    X_far = X.copy()
    X_far[0, 0] = 1e16
    with pytest.raises(ValueError, match=r"relulp: .*point 1 has the coordinate 1e\+16, beyond ±1e15"):
        relulp.ReLULPRegressor(lam=0.01).fit(X_far, y)


def test_too_many_regions_is_refused_with_the_estimate(binary):
    X = np.random.default_rng(2).normal(size=(60, 4))
    with pytest.raises(relulp.RelulpError, match=r"general-position bound.*more than the limit 1000"):
        # enumeration refuses; the default pricing "auto" would search these ~10⁶ regions instead
        relulp.ReLULPRegressor(max_regions=1000, pricing="enumerate").fit(X, X[:, 0])


def test_missing_binary_is_named(tmp_path):
    with pytest.raises(relulp.RelulpNotFoundError, match="relulp_path names"):
        relulp.ReLULPRegressor(relulp_path=tmp_path / "no-relulp").fit([[0.0], [1.0]], [0.0, 1.0])


def test_error_message_without_an_error_line():
    assert relulp._binary.error_message(-9, "") == "relulp was killed by signal 9"
    crash = "relulp: Clp.cpp:930: Assertion `x' failed.\n\n*** Signal 6: Backtracing... done ***\n\nThread 0 crashed:\n"
    assert (relulp._binary.error_message(-6, crash)
            == "relulp was killed by signal 6: relulp: Clp.cpp:930: Assertion `x' failed.")
    assert relulp._binary.error_message(3, "a\nb\n") == "relulp exited with status 3: a | b"
    assert (relulp._binary.error_message(64, "Error: Unknown option '--loss'\nUsage: x\n")
            == "relulp: Unknown option '--loss'")


def test_not_certified_is_visible(binary):
    _, X, y = example("teacher2d_n30")
    with pytest.warns(relulp.NotCertifiedWarning, match="round-limit"):
        estimator = relulp.ReLULPRegressor(lam=0.01, max_rounds=1).fit(X, y)
    assert estimator.status_ == "round-limit"
    assert estimator.gap_ > estimator.tolerance
    assert estimator.lower_bound_ < estimator.objective_


def test_regularization_path_agrees_with_single_fits(binary):
    # the warm path (relulp path, one master LP) against cold single fits with the other backend
    _, X, y = example("kink1d_n20")
    lambdas = [0.1, 0.01, 0.03]
    path = relulp.ReLULPRegressor(backend="glpk").regularization_path(X, y, lambdas)
    assert [e.lam for e in path] == lambdas
    for estimator, lam in zip(path, lambdas):
        single = relulp.ReLULPRegressor(lam=lam).fit(X, y)  # the other backend
        assert estimator.status_ == single.status_ == "optimal"
        assert estimator.objective_ == pytest.approx(single.objective_, rel=1e-8)
        assert objective(estimator, X, y) == pytest.approx(estimator.objective_, rel=1e-9)
    # the optimal value grows with λ
    objectives = dict(zip(lambdas, (e.objective_ for e in path)))
    assert objectives[0.01] < objectives[0.03] < objectives[0.1]


def test_regularization_path_keeps_uncertified_lambdas_visible(binary):
    _, X, y = example("teacher2d_n30")
    with pytest.warns(relulp.NotCertifiedWarning, match="round-limit"):
        path = relulp.ReLULPRegressor(max_rounds=1).regularization_path(X, y, [0.01, 0.003])
    assert any(e.status_ == "round-limit" for e in path)
    for estimator in path:
        assert estimator.status_ in ("optimal", "round-limit")
        assert (estimator.gap_ <= estimator.tolerance) == (estimator.status_ == "optimal")
        assert estimator.n_features_in_ == 2


def test_regularization_path_refuses_bad_lams_before_relulp_runs(tmp_path):
    _, X, y = example("kink1d_n20")
    absent = tmp_path / "no-relulp"
    with pytest.raises(ValueError, match="every λ in lams must be a finite number > 0, got -1.0"):
        relulp.ReLULPRegressor(relulp_path=absent).regularization_path(X, y, [0.1, -1.0])
    with pytest.raises(ValueError, match="lams is empty"):
        relulp.ReLULPRegressor(relulp_path=absent).regularization_path(X, y, [])


def test_verbose_echoes_the_solver_log(binary, capfd):
    _, X, y = example("kink1d_n20")
    relulp.ReLULPRegressor(verbose=True).fit(X, y)
    assert "round" in capfd.readouterr().err
    relulp.ReLULPRegressor().fit(X, y)
    assert capfd.readouterr().err == ""


def test_neurons_without_bias(binary):
    _, X, y = example("teacher2d_n30")
    estimator = relulp.ReLULPRegressor(lam=0.01, bias=False).fit(X, y)
    assert estimator.weights_.shape[1] == 2
    assert estimator.status_ == "optimal"
    assert objective(estimator, X, y) == pytest.approx(estimator.objective_, rel=1e-9)


def test_text_labels_are_refused_before_relulp_runs():
    # issue 26, item 19: a string y failed inside np.savetxt with a format error
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    with pytest.raises(ValueError, match="y must be numeric for a regressor.*'a'"):
        relulp.ReLULPRegressor(relulp_path="/nonexistent/relulp").fit(X, np.array(["a", "b", "c", "d"]))
    # numeric text is read as numbers, as scikit-learn's regressors do
    _, (targets,) = relulp.ReLULPRegressor()._validate(X, np.array(["0", "1", "0", "1"]))
    assert targets.dtype == np.float64


def test_load_model_reads_a_sparsest_model(binary, tmp_path):
    # y = 2 relu(x - 0.1) - relu(-x - 0.4): two neurons, proven least by `solve --sparsest`.
    x = np.linspace(-1, 1, 9)
    y = 2 * np.maximum(x - 0.1, 0) - np.maximum(-x - 0.4, 0)
    np.savetxt(tmp_path / "data.csv", np.column_stack([x, y]), delimiter=",", header="x1,y", comments="", fmt="%.17g")
    run(binary, "solve", tmp_path / "data.csv", "--sparsest", "--output", tmp_path / "model.json", "--quiet")
    model = relulp.load_model(tmp_path / "model.json")
    assert model.sparsest and model.loss == "sparsest" and model.certificate_dual is None
    assert model.neurons == model.objective == model.lower_bound == 2 and model.certified
    np.testing.assert_allclose(model.predict(x[:, None]), y, atol=1e-9)
    estimator = relulp.ReLULPRegressor.load_model(tmp_path / "model.json")
    np.testing.assert_allclose(estimator.predict(x[:, None]), y, atol=1e-9)
    raw = json.loads((tmp_path / "model.json").read_text())
    (tmp_path / "miscounted.json").write_text(json.dumps(dict(raw, objective=1)))
    with pytest.raises(relulp.ModelFileError, match="number of neurons"):
        relulp.load_model(tmp_path / "miscounted.json")
