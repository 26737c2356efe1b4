"""scikit-learn's own estimator checks on ReLULPRegressor and ReLULPClassifier (default parameters but
`pricing="enumerate"`), one pytest item per check:
`parametrize_with_checks` yields exactly the checks `check_estimator` runs (both use
`estimator_checks_generator`).

The exact solver refuses data whose dual-region bound exceeds max_regions (default 10^7). A few checks fit on
scikit-learn's standard regression data (200 points × 10 features: ~4.5e16 regions) or similar; for those the
refusal, with relulp's message, is the behaviour we want. Rather than marking them xfail (which would also
pass on any other failure), the test asserts that each of them fails with exactly that refusal. The default
pricing "auto" would not refuse iris (4·10^7 regions): it would search them for minutes; enumeration refuses at
once.
"""

from functools import partial

import pytest
from sklearn.utils.estimator_checks import estimator_checks_generator, parametrize_with_checks

import relulp

EXPECTED_REFUSALS = {
    "ReLULPRegressor": {
        "check_regressors_train": "200 points × 10 features",
        "check_regressor_data_not_an_array": "200 points × 10 features",
        "check_regressors_int": "50 points × 10 features",
        "check_dtype_object": "40 points × 10 features",
        "check_positive_only_tag_during_fit": "iris: 150 points × 4 features",
    },
    "ReLULPClassifier": {
        "check_dtype_object": "40 points × 10 features",
        "check_positive_only_tag_during_fit": "iris: 150 points × 4 features",
    },
}
ESTIMATORS = [relulp.ReLULPRegressor(pricing="enumerate"), relulp.ReLULPClassifier(pricing="enumerate")]


def check_name(check):
    while isinstance(check, partial):
        check = check.func
    return check.__name__


def relulp_refusal(exception):
    """The RelulpError behind a check's failure (some checks re-raise it as the cause of an AssertionError)."""
    while exception is not None and not isinstance(exception, relulp.RelulpError):
        exception = exception.__cause__
    return exception


@pytest.fixture(autouse=True)
def relulp_on_environment(binary, monkeypatch):
    monkeypatch.setenv("RELULP", binary)


@parametrize_with_checks(ESTIMATORS)
def test_scikit_learn_check(estimator, check):
    name = check_name(check)
    refusals = EXPECTED_REFUSALS[type(estimator).__name__]
    if name not in refusals:
        check(estimator)
        return
    with pytest.raises(Exception) as failure:
        check(estimator)
    refusal = relulp_refusal(failure.value)
    assert refusal is not None, f"{name} ({refusals[name]}) failed otherwise: {failure.value!r}"
    assert "general-position bound" in str(refusal) and "max_regions" in str(refusal)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_expected_refusals_are_checks_that_exist(estimator):
    names = {check_name(check) for _, check in estimator_checks_generator(estimator)}
    assert set(EXPECTED_REFUSALS[type(estimator).__name__]) <= names
