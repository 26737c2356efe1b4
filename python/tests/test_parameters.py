"""The estimators' parameters: every one is checked by scikit-learn's parameter validation when `fit` or
`regularization_path` starts, before relulp runs, and every default is the CLI's."""

import inspect
import re
from pathlib import Path

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import check_param_validation

import relulp
from conftest import example, fake_relulp, run

ESTIMATORS = [relulp.ReLULPRegressor, relulp.ReLULPClassifier]

# A wrong type or a value outside relulp's range, per parameter; each must be refused before relulp runs.
BAD_VALUES = [
    ("lam", -1.0), ("lam", 0.0), ("lam", float("nan")), ("lam", float("inf")), ("lam", "0.1"),
    ("backend", "cplex"), ("backend", None), ("tolerance", 0.0), ("tolerance", 1.0), ("tolerance", -1e-9),
    ("bias", "yes"), ("bias", 1.0), ("pricing", "sampled"), ("pricing", None), ("max_regions", 0),
    ("max_regions", 1.5e6), ("max_rounds", 0), ("max_rounds", 10.0), ("time_limit", 0.0), ("time_limit", -1.0),
    ("time_limit", float("inf")), ("relulp_path", 3), ("verbose", -1), ("verbose", "yes"),
    ("max_search_regions", 0), ("max_search_regions", 2.5),
]
LOSS_BAD_VALUES = [("loss", "hinge"), ("loss", "no-such-loss"), ("loss", None)]


@pytest.fixture
def recording_binary(tmp_path):
    """A stand-in for relulp that leaves a file behind when it runs and fails without a message."""
    return fake_relulp(tmp_path / "fake-relulp", 'touch "$0.ran"\nexit 3')


def was_run(binary):
    return Path(f"{binary}.ran").exists()


def cases():
    for estimator in ESTIMATORS:
        extra = LOSS_BAD_VALUES if estimator is relulp.ReLULPRegressor else []
        for name, value in BAD_VALUES + extra:
            yield pytest.param(estimator, name, value, id=f"{estimator.__name__}-{name}={value!r}")


@pytest.mark.parametrize("estimator, name, value", cases())
def test_a_bad_value_is_refused_before_relulp_runs(estimator, name, value, recording_binary):
    _, X, y = example("kink1d_n20")
    y = y > np.median(y) if estimator is relulp.ReLULPClassifier else y
    params = {"relulp_path": recording_binary, name: value}
    message = rf"The '{name}' parameter of {estimator.__name__} must be .* Got .* instead"
    with pytest.raises(InvalidParameterError, match=message):
        estimator(**params).fit(X, y)
    with pytest.raises(InvalidParameterError, match=message):
        estimator(**params).regularization_path(X, y, [0.1, 0.01])
    assert not was_run(recording_binary)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: e.__name__)
def test_good_values_reach_relulp(estimator, recording_binary):
    # the control of the test above: valid values do run the binary (here the stand-in, which fails)
    _, X, y = example("kink1d_n20")
    y = y > np.median(y) if estimator is relulp.ReLULPClassifier else y
    with pytest.raises(relulp.RelulpError, match="relulp exited with status 3"):
        estimator(relulp_path=recording_binary).fit(X, y)
    assert was_run(recording_binary)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: e.__name__)
def test_scikit_learn_check_param_validation(estimator, recording_binary):
    # scikit-learn's own check (not part of check_estimator): a constraint for every parameter, each enforced in fit
    check_param_validation(estimator.__name__, estimator(relulp_path=recording_binary))
    assert not was_run(recording_binary)


def test_numpy_scalars_paths_and_none_are_accepted(binary):
    _, X, y = example("kink1d_n20")
    fitted = relulp.ReLULPRegressor(lam=np.float64(0.01), max_rounds=np.int64(200), max_regions=None,
                                    bias=np.bool_(True), time_limit=60, tolerance=np.float32(1e-9),
                                    relulp_path=Path(binary), verbose=0).fit(X, y)
    assert fitted.status_ == "optimal"


def cli_defaults(binary):
    """The `default: …` of every option in `relulp solve --help`, by option name (None: no default shown)."""
    texts, name = {}, None
    for line in run(binary, "solve", "--help").stdout.splitlines():
        option = re.match(r"  (?:-\w, )?--([\w-]+)", line)
        if option:
            name = option.group(1)
            texts[name] = ""
        elif not line.strip():
            name = None
        if name is not None:
            texts[name] += " " + line.strip()
    # "(default: X)", or "(values: a, b; default: X)" where ArgumentParser lists the choices
    return {key: (re.search(r"[(;] ?default: ([^();]*)\)", text) or [None, None])[1] for key, text in texts.items()}


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: e.__name__)
def test_defaults_are_the_clis(estimator, binary):
    cli = cli_defaults(binary)
    python = {name: parameter.default for name, parameter in inspect.signature(estimator).parameters.items()}
    assert python["backend"] == cli["backend"]
    assert python["tolerance"] == float(cli["tolerance"])
    assert python["pricing"] == cli["pricing"]
    assert python["max_regions"] == int(cli["max-regions"])
    assert python["max_rounds"] == int(cli["max-rounds"])
    assert python["max_search_regions"] == int(cli["max-search-regions"])
    assert python["time_limit"] is None and cli["time-limit"] is None
    assert python["bias"] is True and "no-bias" in cli  # the CLI's flag turns the bias off
    if estimator is relulp.ReLULPRegressor:
        assert python["loss"] == cli["loss"]
    assert python["verbose"] is False and python["relulp_path"] is None
    assert python["lam"] > 0 and cli["lambda"] is None  # the CLI has no default λ


def test_docstrings_state_the_defaults_and_alpha():
    for estimator in ESTIMATORS:
        doc = estimator.__doc__
        for name, parameter in inspect.signature(estimator).parameters.items():
            line = rf"^    {name} : .*, default={re.escape(repr(parameter.default))}$"
            assert re.search(line, doc, re.M), f"{estimator.__name__}.{name}"
        assert "scikit-learn's `alpha`" in doc
        assert not re.search(r"\{[a-z_ ]+(!r)?\}", doc)  # no placeholder left unfilled
