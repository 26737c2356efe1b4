"""scikit-learn's own estimator checks on ReLULPRegressor and ReLULPClassifier (default parameters but a round
limit), one pytest item per check: `parametrize_with_checks` yields exactly the checks `check_estimator` runs
(both use `estimator_checks_generator`).

The regressor is checked with the squared loss: `check_sample_weight_equivalence_on_dense_data` compares the
predictions of a weighted fit with those of a fit on repeated rows to 1e-7, and (P) with the L1 loss need not have
unique fitted values (its optimum is a face; certified L1 fits differed by 3e-6 there, as scikit-learn's own
L1 regressor, QuantileRegressor, does), while the squared loss is strictly convex in the fitted values. The
classifier needs 40 rounds to certify that check's 15 points in 30 features; 10 rounds are enough for the regressor.

There is no list of expected failures. Data above `max_search_regions` (scikit-learn's standard regression data,
200 points × 10 features: ~4.5e16 regions) runs in relulp's anytime mode: the fit returns the best network found
within its budget with a `NotCertifiedWarning` carrying the gap, instead of refusing. The round limit keeps
those checks, and iris (4·10^7 regions, searched), to seconds, and makes the fits deterministic.
"""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

import relulp

# Rounds per fit: several checks fit twice and compare the predictions, so a fit must end by its round limit
# (deterministic: anytime mode's searches are cut by a node count, on one thread), not by the clock.
ESTIMATORS = [relulp.ReLULPRegressor(loss="squared", max_rounds=10), relulp.ReLULPClassifier(max_rounds=40)]


@pytest.fixture(autouse=True)
def relulp_on_environment(binary, monkeypatch):
    monkeypatch.setenv("RELULP", binary)


@parametrize_with_checks(ESTIMATORS)
def test_scikit_learn_check(estimator, check):
    check(estimator)
