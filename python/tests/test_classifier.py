"""ReLULPClassifier (hinge loss) against `relulp solve --loss hinge`, `relulp predict`, and its certificate
recomputed here from the data."""

import json

import numpy as np
import pytest

import relulp
from conftest import example, run


def two_classes(name):
    """A bundled example with its labels split at the median into the classes "low" and "high"."""
    path, X, y = example(name)
    return X, np.where(y > np.median(y), "high", "low")


def hinge_objective(estimator, X, labels):
    """(1/n) Σ max(0, 1 − t_j f(x_j)) + λ Σ |amplitude| with t = ±1 for classes_[1] / classes_[0]."""
    t = np.where(labels == estimator.classes_[1], 1.0, -1.0)
    return np.mean(np.maximum(0.0, 1.0 - t * estimator.decision_function(X))) \
        + estimator.lam * np.abs(estimator.amplitudes_).sum()


@pytest.mark.parametrize("backend", ["clp", "glpk"])
def test_fit_matches_relulp_solve_with_the_hinge_loss(binary, tmp_path, backend):
    X, labels = two_classes("teacher2d_n30")
    estimator = relulp.ReLULPClassifier(lam=0.01, backend=backend).fit(X, labels)
    assert list(estimator.classes_) == ["high", "low"]  # sorted: "high" is −1, "low" is +1
    numeric = (labels == "low").astype(float)
    np.savetxt(tmp_path / "data.csv", np.column_stack([X, numeric]), delimiter=",", header="x1,x2,y", comments="",
               fmt="%.17g")
    run(binary, "solve", tmp_path / "data.csv", "--loss", "hinge", "--intercept", "--lambda", "0.01", "--backend", backend,
        "--output", tmp_path / "model.json", "--quiet")
    reference = json.loads((tmp_path / "model.json").read_text())
    assert estimator.status_ == reference["status"] == "optimal"
    assert estimator.model_.loss == reference["loss"] == "hinge"
    assert estimator.objective_ == pytest.approx(reference["objective"], rel=1e-7)
    # the reported objective is the fitted network's, recomputed here; the lower bound is below it
    assert hinge_objective(estimator, X, labels) == pytest.approx(estimator.objective_, rel=1e-9)
    assert estimator.lower_bound_ <= estimator.objective_ and estimator.gap_ <= 1e-9


def test_certificate_is_a_valid_lower_bound_for_the_hinge(binary):
    X, labels = two_classes("kink1d_n20")
    estimator = relulp.ReLULPClassifier(lam=0.02).fit(X, labels)
    p, n = estimator.certificate_dual_, len(labels)
    t = np.where(labels == estimator.classes_[1], 1.0, -1.0)
    # the hinge's dual box: p_j t_j ∈ [0, 1/n]
    assert np.all(p * t >= -1e-15) and np.all(p * t <= (1 + 1e-12) / n)
    # L = min(1, 1/max|η|) Σ p_j t_j is feasible for the dual, hence a lower bound; relulp's is at least as good
    assert min(1.0, 1.0 / estimator.max_abs_eta_) * p @ t == pytest.approx(estimator.lower_bound_, rel=1e-9)
    W = np.random.default_rng(0).normal(size=(20000, 2))
    W /= np.linalg.norm(W, axis=1, keepdims=True)
    lifted = np.column_stack([X, np.ones(n)])
    sampled = np.abs(np.maximum(W @ lifted.T, 0.0) @ p / estimator.lam).max()
    assert sampled <= estimator.max_abs_eta_ * (1 + 1e-9)


def test_predict_agrees_with_relulp_predict(binary, tmp_path):
    X, labels = two_classes("teacher2d_n30")
    estimator = relulp.ReLULPClassifier(lam=0.005).fit(X, labels)
    (tmp_path / "model.json").write_text(json.dumps(estimator.model_.raw))
    points = np.random.default_rng(3).uniform(-1.5, 1.5, size=(40, 2))
    np.savetxt(tmp_path / "points.csv", points, delimiter=",", header="x1,x2", comments="", fmt="%.17g")
    lines = run(binary, "predict", tmp_path / "model.json", tmp_path / "points.csv").stdout.splitlines()
    header = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:]]
    decision = np.array([float(r[header.index("prediction")]) for r in rows])
    classes = np.array([float(r[header.index("class")]) for r in rows])
    np.testing.assert_allclose(estimator.decision_function(points), decision, rtol=1e-12, atol=1e-12)
    # relulp predicts the numeric class (0 = classes_[0], 1 = classes_[1]); the estimator the original labels
    assert list(estimator.predict(points)) == list(estimator.classes_[classes.astype(int)])
    assert estimator.score(X, labels) >= 0.9


def test_one_class_or_several_labels_per_sample_are_refused(tmp_path):
    _, X, y = example("kink1d_n20")
    absent = tmp_path / "no-relulp"  # refused before relulp runs
    with pytest.raises(ValueError, match="two classes or more; y holds only the class 0.0"):
        relulp.ReLULPClassifier(relulp_path=absent).fit(X, np.zeros(len(y)))
    with pytest.raises(ValueError, match="y should be a 1d array"):  # scikit-learn's own words
        relulp.ReLULPClassifier(relulp_path=absent).fit(X, np.column_stack([y > 0, y > 1]).astype(int))


def test_regularization_path_agrees_with_single_fits(binary):
    X, labels = two_classes("kink1d_n20")
    lambdas = [0.1, 0.01, 0.03]
    path = relulp.ReLULPClassifier().regularization_path(X, labels, lambdas)
    for fitted, lam in zip(path, lambdas):
        single = relulp.ReLULPClassifier(lam=lam, backend="glpk").fit(X, labels)
        assert fitted.lam == lam and fitted.status_ == "optimal" and list(fitted.classes_) == ["high", "low"]
        assert fitted.objective_ == pytest.approx(single.objective_, rel=1e-7)


@pytest.mark.parametrize("label", ["cat", 7])
def test_one_class_names_the_users_label(label):
    # issue 26, item 19: the error named the encoded label 0.0 instead of the user's
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    with pytest.raises(ValueError, match=f"only the class {label!r}"):
        relulp.ReLULPClassifier(relulp_path="/nonexistent/relulp").fit(X, np.array([label] * 4))
