"""scikit-learn's own estimator checks on ReLULPRegressor and ReLULPClassifier (default parameters but a time
limit of a few seconds), one pytest item per check: `parametrize_with_checks` yields exactly the checks
`check_estimator` runs (both use `estimator_checks_generator`).

There is no list of expected failures. Data above `max_search_regions` (scikit-learn's standard regression data,
200 points × 10 features: ~4.5e16 regions) runs in relulp's anytime mode: the fit returns the best network found
within the time limit with a `NotCertifiedWarning` carrying the gap, instead of refusing. The time limit keeps
those checks, and iris (4·10^7 regions, searched), to seconds.
"""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

import relulp

# Seconds per fit: enough to certify the checks' small data sets, short for the others.
TIME_LIMIT = 5.0
ESTIMATORS = [relulp.ReLULPRegressor(time_limit=TIME_LIMIT), relulp.ReLULPClassifier(time_limit=TIME_LIMIT)]


@pytest.fixture(autouse=True)
def relulp_on_environment(binary, monkeypatch):
    monkeypatch.setenv("RELULP", binary)


@parametrize_with_checks(ESTIMATORS)
def test_scikit_learn_check(estimator, check):
    check(estimator)
