"""fit_intercept and sample_weight against independent references: the intercept-only optimum computed here (the
median or mean of y), shifted targets, duplicated and removed rows, the model file read back, `relulp certify` on
the user's rows, and the argument reaching relulp."""

import json

import numpy as np
import pytest

import relulp
from conftest import fake_relulp, run


@pytest.fixture(autouse=True)
def relulp_on_environment(binary, monkeypatch):
    monkeypatch.setenv("RELULP", str(binary))


def data(n=14, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 1))
    y = 3.0 + np.abs(X[:, 0] - 0.2) + 0.1 * rng.standard_normal(n)
    return X, y


def test_fit_intercept_is_the_default_and_a_large_lam_predicts_the_centre():
    X, y = data()
    assert relulp.ReLULPRegressor().fit_intercept is True
    l1 = relulp.ReLULPRegressor(lam=1e3).fit(X, y)
    assert l1.status_ == "optimal" and l1.n_neurons_ == 0
    low, high = np.sort(y)[len(y) // 2 - 1], np.sort(y)[len(y) // 2]
    assert low - 1e-12 <= l1.intercept_ <= high + 1e-12
    assert np.allclose(l1.predict(X), l1.intercept_)
    squared = relulp.ReLULPRegressor(lam=1e3, loss="squared").fit(X, y)
    assert squared.intercept_ == pytest.approx(y.mean(), rel=1e-9)
    none = relulp.ReLULPRegressor(lam=1e3, fit_intercept=False).fit(X, y)
    assert none.intercept_ == 0.0 and np.allclose(none.predict(X), 0.0)


def test_shifted_targets_shift_the_predictions():
    X, y = data()
    a = relulp.ReLULPRegressor(lam=0.02, loss="squared").fit(X, y)
    b = relulp.ReLULPRegressor(lam=0.02, loss="squared").fit(X, y + 7.5)
    assert a.objective_ == pytest.approx(b.objective_, rel=1e-7)
    assert np.allclose(b.predict(X), a.predict(X) + 7.5, atol=1e-6)


@pytest.mark.parametrize("loss", ["l1", "squared"])
def test_weight_two_is_a_duplicated_row_and_zero_a_removed_one(loss):
    X, y = data()
    w = np.array([1, 2, 0, 1, 1, 2, 1, 0, 1, 1, 3, 1, 1, 1], dtype=float)
    weighted = relulp.ReLULPRegressor(lam=0.02, loss=loss).fit(X, y, sample_weight=w)
    rows = np.repeat(np.arange(len(y)), w.astype(int))
    expanded = relulp.ReLULPRegressor(lam=0.02, loss=loss).fit(X[rows], y[rows])
    assert weighted.status_ == "optimal" and expanded.status_ == "optimal"
    assert weighted.objective_ == pytest.approx(expanded.objective_, rel=1e-8)
    assert weighted.model_.raw["weightColumn"] == "sample_weight"
    # Merged into the identical rows, the two fits solve the identical problem: the same network, bit for bit.
    assert np.array_equal(weighted.predict(X), expanded.predict(X))


@pytest.mark.parametrize("weighted", [True, False])
def test_the_dual_of_merged_rows_certifies_on_the_users_rows(binary, tmp_path, weighted):
    """Rows merged and reordered for relulp (`_CanonicalRows`): the model's dual, split back over the user's
    samples, is checked by `relulp certify` against the user's rows in the user's order (a dual left in relulp's
    order, or unsplit, would not fit them)."""
    X, y = data()
    rows = np.r_[np.arange(len(y)), [3, 3, 7]][::-1]  # duplicates, reversed order
    X, y = X[rows], y[rows]
    w = np.linspace(0, 2, len(y)) if weighted else None
    model = relulp.ReLULPRegressor(lam=0.02).fit(X, y, sample_weight=w)
    assert model.status_ == "optimal" and model.certificate_dual_.shape == (len(y),)
    if weighted:
        assert model.certificate_dual_[0] == 0.0  # weight 0
        assert np.all(np.abs(model.certificate_dual_) <= w / w.sum() * (1 + 1e-9))  # the L1 box, §12
    (tmp_path / "model.json").write_text(json.dumps(model.model_.raw))
    columns = [X, y] if w is None else [X, y, w]
    np.savetxt(tmp_path / "data.csv", np.column_stack(columns), delimiter=",", comments="", fmt="%.17g",
               header="x1,y" + ("" if w is None else ",sample_weight"))
    result = run(binary, "certify", tmp_path / "model.json", tmp_path / "data.csv")
    assert "certified optimal" in result.stdout


def test_bad_sample_weights_are_refused():
    X, y = data()
    with pytest.raises(ValueError, match="(?i)negative"):
        relulp.ReLULPRegressor().fit(X, y, sample_weight=-np.ones(len(y)))
    with pytest.raises(ValueError, match="non-zero"):
        relulp.ReLULPRegressor().fit(X, y, sample_weight=np.zeros(len(y)))


def test_classifier_takes_the_intercept_and_weights():
    X, y = data(n=16)
    labels = (y > np.median(y)).astype(int)
    clf = relulp.ReLULPClassifier(lam=0.01).fit(X, labels, sample_weight=np.linspace(0.5, 2, len(y)))
    assert clf.status_ == "optimal" and isinstance(clf.intercept_, float)


def test_save_and_load_keep_the_intercept(tmp_path):
    X, y = data()
    model = relulp.ReLULPRegressor(lam=0.05).fit(X, y)
    path = tmp_path / "model.json"
    model.save_model(path)
    loaded = relulp.ReLULPRegressor.load_model(path)
    assert loaded.fit_intercept is True and loaded.intercept_ == model.intercept_
    assert np.array_equal(loaded.predict(X), model.predict(X))
    assert relulp.load_model(path).intercept == model.intercept_


def test_the_flags_reach_relulp(tmp_path):
    log = tmp_path / "arguments"
    binary = fake_relulp(tmp_path / "fake", f'echo "$@" > {log}\nexit 3')
    X, y = data()
    for estimator, expected in [(relulp.ReLULPRegressor(relulp_path=str(binary)), True),
                                (relulp.ReLULPRegressor(fit_intercept=False, relulp_path=str(binary)), False)]:
        with pytest.raises(relulp.RelulpError):
            estimator.fit(X, y, sample_weight=np.linspace(1, 2, len(y)))
        arguments = log.read_text().split()
        assert ("--intercept" in arguments) == expected and "--weights=sample_weight" in arguments
    # Equal weights are no weights (the data term is normalised by Σw): relulp gets no weight column.
    with pytest.raises(relulp.RelulpError):
        relulp.ReLULPRegressor(relulp_path=str(binary)).fit(X, y, sample_weight=np.full(len(y), 2.0))
    assert "--weights=sample_weight" not in log.read_text().split()

