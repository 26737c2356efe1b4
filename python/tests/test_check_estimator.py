"""scikit-learn's own estimator checks on ReLULPRegressor (default parameters).

The exact solver refuses data whose dual-region bound exceeds max_regions (default 10^7). Some checks fit on
scikit-learn's standard regression data (200 points × 10 features: ~4.5e16 regions) or similar; for those the
refusal, with relulp's message, is the behaviour we want. They are declared through check_estimator's
`expected_failed_checks`, and the test asserts that each of them failed for exactly that reason.
"""

import warnings

from sklearn.utils.estimator_checks import check_estimator

import relulp

TOO_MANY_REGIONS = "exact enumeration refuses the check's data: too many dual regions (general-position bound)"
EXPECTED_REFUSALS = {
    "check_regressors_train": TOO_MANY_REGIONS,            # 200 × 10
    "check_regressor_data_not_an_array": TOO_MANY_REGIONS,  # 200 × 10
    "check_regressors_int": TOO_MANY_REGIONS,               # 200 × 10 (~2e10 regions)
    "check_dtype_object": TOO_MANY_REGIONS,                 # 40 × 10
    "check_positive_only_tag_during_fit": TOO_MANY_REGIONS,  # iris, 150 × 4
}


def relulp_refusal(exception):
    """The RelulpError behind a check's failure (some checks re-raise it as the cause of an AssertionError)."""
    while exception is not None and not isinstance(exception, relulp.RelulpError):
        exception = exception.__cause__
    return exception


def test_check_estimator(binary, monkeypatch):
    monkeypatch.setenv("RELULP", binary)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)  # SkipTestWarning for the array-API check
        results = check_estimator(relulp.ReLULPRegressor(), expected_failed_checks=EXPECTED_REFUSALS, on_fail=None)
    assert len(results) > 40
    problems = []
    for result in results:
        name, status, exception = result["check_name"], result["status"], result["exception"]
        if name in EXPECTED_REFUSALS:
            refusal = relulp_refusal(exception)
            refused = (status == "xfail" and refusal is not None
                       and "general-position bound" in str(refusal) and "--max-regions" in str(refusal))
            if not refused:
                problems.append(f"{name}: expected relulp's too-many-regions refusal, got {status}: {exception!r}")
        elif status == "skipped":
            if name != "check_array_api_input":  # needs SCIPY_ARRAY_API and an array library
                problems.append(f"{name} skipped: {exception!r}")
        elif status != "passed":
            problems.append(f"{name}: {status}: {exception!r}")
    assert not problems, "\n".join(problems)
    assert {r["check_name"] for r in results} >= set(EXPECTED_REFUSALS)
