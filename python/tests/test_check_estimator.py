"""scikit-learn's own estimator checks on ReLULPRegressor and ReLULPClassifier (default parameters but a round
limit), one pytest item per check: `parametrize_with_checks` yields exactly the checks `check_estimator` runs
(both use `estimator_checks_generator`).

The regressor is the default one (L1 loss). `check_sample_weight_equivalence_on_dense_data` compares the
predictions of a weighted fit with those of a fit on rows repeated as the weights say, to rtol 1e-7; the L1 and
hinge optima are faces (their fitted values need not be unique: certified L1 fits of the two differed by 3e-6
when relulp was given the two data sets as they came), so it passes because the package gives relulp the same
canonical rows for both (`_CanonicalRows`: identical rows merged with their weights summed, weight-0 rows
dropped, lexicographic order), and relulp's solve is deterministic. The classifier needs 40 rounds to certify
that check's 15 points in 30 features; 10 rounds are enough for the regressor.

There is no list of expected failures. Data above `max_search_regions` (scikit-learn's standard regression data,
200 points × 10 features: ~4.5e16 regions) runs in relulp's anytime mode: the fit returns the best network found
within its budget with a `NotCertifiedWarning` carrying the gap, instead of refusing. The round limit keeps
those checks, and iris (4·10^7 regions, searched), to seconds, and makes the fits deterministic (below).
"""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

import relulp

# Rounds per fit: several checks fit twice and compare the predictions, so a fit must end by its round limit, not
# by the clock. Such a fit is deterministic: anytime mode's searches are cut by a node count on one thread, its
# slides follow a schedule of rounds and the LP's stretches are sized from the model. What the clock still decides
# (a search's slice, a tenth of the budget; the subsets, from half of it) the regressor's explicit 600 s budget puts
# beyond any 10-round fit, even on a loaded machine (the default 60 s one let a fit of 200 × 10 points reach its
# subsets at load 8).
ESTIMATORS = [relulp.ReLULPRegressor(max_rounds=10, time_limit=600), relulp.ReLULPClassifier(max_rounds=40)]


@pytest.fixture(autouse=True)
def relulp_on_environment(binary, monkeypatch):
    monkeypatch.setenv("RELULP", binary)


@parametrize_with_checks(ESTIMATORS)
def test_scikit_learn_check(estimator, check):
    check(estimator)
