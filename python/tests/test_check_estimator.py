"""scikit-learn's own estimator checks on ReLULPRegressor and ReLULPClassifier (default parameters but a round
limit of 10), one pytest item per check: `parametrize_with_checks` yields exactly the checks
`check_estimator` runs (both use `estimator_checks_generator`).

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
MAX_ROUNDS = 10
ESTIMATORS = [relulp.ReLULPRegressor(max_rounds=MAX_ROUNDS), relulp.ReLULPClassifier(max_rounds=MAX_ROUNDS)]


@pytest.fixture(autouse=True)
def relulp_on_environment(binary, monkeypatch):
    monkeypatch.setenv("RELULP", binary)


@parametrize_with_checks(ESTIMATORS)
def test_scikit_learn_check(estimator, check):
    check(estimator)
