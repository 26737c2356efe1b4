"""ReLULPRegressor and ReLULPClassifier: scikit-learn's estimator API over `relulp solve` and `relulp path`."""

from __future__ import annotations

import os
import tempfile
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, _fit_context, clone
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from ._binary import NotCertifiedWarning, RelulpError, error_message, find_relulp, run_relulp
from ._model import Model, evaluate, load_model


# Every parameter's default, stated once: the signatures and the docstrings below read them from here. Each equals
# the default of relulp's CLI (`relulp solve --help`; tests/test_parameters.py compares them), except λ, for which
# the CLI has none.
_DEFAULTS = {"lam": 0.01, "loss": "l1", "backend": "clp", "tolerance": 1e-9, "bias": True, "pricing": "auto",
             "max_regions": 10_000_000, "max_rounds": 1000, "time_limit": None, "relulp_path": None,
             "verbose": False}


class _ReLULPEstimator(BaseEstimator):
    """What both estimators share: the relulp options, running relulp on temporary files, reading the model
    files back, the fitted attributes and the warm regularisation path. Subclasses give the loss
    (`_loss`) and turn (X, y) into validated arrays with numeric labels (`_validate`)."""

    # Checked when `fit` or `regularization_path` starts, so a bad value raises scikit-learn's
    # InvalidParameterError (a ValueError and a TypeError) before relulp runs; the ranges are relulp's own.
    _parameter_constraints: dict = {
        "lam": [Interval(Real, 0, None, closed="neither")],
        "backend": [StrOptions({"clp", "glpk"})],
        "tolerance": [Interval(Real, 0, 1, closed="neither")],
        "bias": ["boolean"],
        "pricing": [StrOptions({"auto", "enumerate", "branch-and-bound"})],
        "max_regions": [Interval(Integral, 1, None, closed="left"), None],
        "max_rounds": [Interval(Integral, 1, None, closed="left"), None],
        "time_limit": [Interval(Real, 0, None, closed="neither"), None],
        "relulp_path": [str, os.PathLike, None],
        "verbose": ["verbose"],
    }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Stated although they are scikit-learn's defaults: relulp takes dense, finite data (sparse input and
        # NaN are refused by validation, not densified or imputed). The solver is deterministic
        # (non_deterministic stays False) and single-output.
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        return tags

    def _options(self):
        """The relulp options shared by `solve` and `path`."""
        args = [f"--backend={self.backend}", f"--tolerance={float(self.tolerance)!r}"]
        if self._loss() != "l1":
            args.append(f"--loss={self._loss()}")
        if not self.bias:
            args.append("--no-bias")
        args.append(f"--pricing={self.pricing}")
        if self.max_regions is not None:
            args.append(f"--max-regions={int(self.max_regions)}")
        if self.max_rounds is not None:
            args.append(f"--max-rounds={int(self.max_rounds)}")
        if self.time_limit is not None:
            args.append(f"--time-limit={float(self.time_limit)!r}")
        if not self.verbose:
            args.append("--quiet")
        return args

    def _run(self, command, X, y, arguments, model_files):
        """Runs `relulp COMMAND data.csv ARGUMENTS… OPTIONS…` in a temporary folder (`{folder}` in the
        arguments names it) and loads the model files it wrote. relulp exits non-zero also when it wrote models
        it could not certify: those are kept (with a warning); every other failure is a RelulpError."""
        binary = find_relulp(self.relulp_path)
        with tempfile.TemporaryDirectory(prefix="relulp-") as folder:
            data_path = os.path.join(folder, "data.csv")
            header = ",".join([f"x{i + 1}" for i in range(X.shape[1])] + ["y"])
            np.savetxt(data_path, np.column_stack([X, y]), delimiter=",", header=header, comments="", fmt="%.17g")
            arguments = [a.format(folder=folder) for a in arguments]
            returncode, stderr = run_relulp(binary, [command, data_path, *arguments, *self._options()],
                                            verbose=self.verbose)
            paths = [os.path.join(folder, name) for name in model_files]
            models = [load_model(path) for path in paths if os.path.exists(path)]
        if returncode != 0 and (len(models) < len(paths) or all(model.certified for model in models)):
            raise RelulpError(error_message(returncode, stderr), returncode=returncode, stderr=stderr)
        if len(models) < len(paths):
            raise RelulpError(f"relulp {command} succeeded but wrote {len(models)} of {len(paths)} model files",
                              returncode=returncode, stderr=stderr)
        for model in models:
            if not model.certified:
                warnings.warn(NotCertifiedWarning(
                    f"relulp did not certify optimality at lam = {model.lam:g}: status {model.status!r}, relative "
                    f"gap {model.gap:.3e} > tolerance {model.tolerance:g}; the network is an upper bound only"),
                    stacklevel=3)
        return models

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Solves the training problem on (X, y) exactly; see the class docstring for errors and warnings."""
        X, y = self._validate(X, y)
        model, = self._run("solve", X, y, [f"--lambda={float(self.lam)!r}", "--output={folder}/model.json"],
                           ["model.json"])
        self._set_model(model)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def regularization_path(self, X, y, lambdas):
        """One fitted copy of this estimator per λ in `lambdas` (in the given order), from `relulp path`: the
        regions are enumerated once and one master LP is re-solved warm from the largest λ down; every λ is
        certified on its own (a not-certified one warns, as in `fit`). `time_limit` applies per λ here. The
        parameters are checked as in `fit`; the values in `lambdas` are checked by relulp."""
        lambdas = [float(lam) for lam in np.asarray(lambdas, dtype=float).ravel()]
        if not lambdas:
            raise ValueError("lambdas is empty")
        fitted = [clone(self).set_params(lam=lam) for lam in lambdas]
        for estimator in fitted:  # each records n_features_in_ (and feature names, classes), as fit does
            X_checked, y_checked = estimator._validate(X, y)
        arguments = ["--lambdas=" + ",".join(map(repr, lambdas)), "--output={folder}/path"]
        files = [f"path/model-{i + 1}.json" for i in range(len(lambdas))]
        models = self._run("path", X_checked, y_checked, arguments, files)
        for estimator, model in zip(fitted, models):
            estimator._set_model(model)
        return fitted

    def _set_model(self, model: Model):
        self.model_ = model
        self.weights_ = model.weights
        self.amplitudes_ = model.amplitudes
        self.atoms_ = [(float(a), w) for a, w in zip(model.amplitudes, model.weights)]
        self.objective_ = model.objective
        self.lower_bound_ = model.lower_bound
        self.gap_ = model.gap
        self.status_ = model.status
        self.data_loss_ = model.data_loss
        self.total_variation_ = model.total_variation
        self.certificate_dual_ = model.certificate_dual
        self.max_abs_eta_ = model.max_abs_eta

    def _network(self, X):
        """The network's output f(x) at the rows of X."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return evaluate(self.amplitudes_, self.weights_, X, self.model_.bias)


_SHARED_PARAMETERS = """\
    lam : float > 0, default={lam!r}
        Weight λ of the total variation ‖μ‖_TV (the CLI has no default λ). For a finite network ‖μ‖_TV is the
        path norm Σ|c_k|‖u_k‖, which at the balanced scaling |c_k| = ‖u_k‖ is the weight decay ½Σ(c_k² + ‖u_k‖²)
        (docs/mathematics.md §1). The data term is a mean over the n samples, so `lam` is scaled like
        scikit-learn's `alpha` in Lasso ((1/2n)‖y − Xw‖² + alpha‖w‖₁: lam = alpha with loss="squared") and in
        SGDClassifier(loss="hinge", penalty="l1") (lam = alpha); with the L1 loss lam = 2·alpha of
        QuantileRegressor(quantile=0.5), whose pinball loss is ½|r|. MLPRegressor's `alpha` is an L2 penalty
        divided by n: with the squared loss, lam = alpha / n_samples, up to the biases (MLP leaves them
        unpenalised; here each hidden bias is part of its neuron's weight vector, and there is no output bias).
    backend : {{"clp", "glpk"}}, default={backend!r}
        The LP library.
    tolerance : float in (0, 1), default={tolerance!r}
        Relative duality gap at which the fit is certified optimal.
    bias : bool, default={bias!r}
        Neurons with a bias (the inputs are lifted to (x, 1)).
    pricing : {{"auto", "enumerate", "branch-and-bound"}}, default={pricing!r}
        How max |η| is found. "enumerate" stores and scans every dual region and refuses data above
        `max_regions`, so a fit's cost is bounded before it starts; "branch-and-bound" searches over sign splits
        and stores no region; "auto", the CLI's default, enumerates up to 2·10^5 estimated regions and searches
        above (the search can take minutes where enumeration would refuse).
    max_regions : int >= 1 or None, default={max_regions!r}
        Refuse to enumerate data whose dual-region estimate exceeds this (None: the binary's default).
    max_rounds : int >= 1 or None, default={max_rounds!r}
        Round limit of the column generation (None: the binary's default).
    time_limit : float > 0 or None, default={time_limit!r}
        Wall-clock limit in seconds (None: none); at the limit the model is kept, not certified.
    relulp_path : str, path or None, default={relulp_path!r}
        The relulp executable (None: the RELULP environment variable, else `relulp` on PATH).
    verbose : bool, default={verbose!r}
        Echo relulp's solver log (stderr) while it runs.
"""


def _shared_parameters(cls):
    """Writes the parameters both estimators take into the class docstring, at `{shared parameters}`, and the
    defaults into both (`{lam!r}` and so on; literal braces are doubled)."""
    cls.__doc__ = cls.__doc__.replace("    {shared parameters}\n", _SHARED_PARAMETERS).format(**_DEFAULTS)
    return cls


@_shared_parameters
class ReLULPRegressor(RegressorMixin, _ReLULPEstimator):
    """Exact training of an infinite-width shallow ReLU network, certified by a duality gap.

    Solves  min over signed measures μ  (1/n) Σ |y_j − f_μ(x_j)| + lam · ‖μ‖_TV  by running the relulp binary
    (`relulp solve`; `relulp path` for `regularization_path`) on a temporary CSV file and reading back its
    model file. The result is a finite network (`weights_`, `amplitudes_`) with a lower bound valid over
    networks of every width (`lower_bound_`) and the relative gap (`gap_`); `status_` is "optimal" only when
    that gap is within `tolerance`. Any other status (the run stopped at `max_rounds` or `time_limit`, or
    stalled) is kept as a fitted model and raises a `NotCertifiedWarning`; anything relulp refuses (too many
    dual regions, bad options) raises a `RelulpError` (a ValueError) with relulp's message.

    Parameters
    ----------
    loss : {{"l1", "squared"}}, default={loss!r}
        The data term, relulp's `--loss`: "l1" (1/n) Σ |y_j − f(x_j)|, "squared" (1/2n) Σ (y_j − f(x_j))²
        (needs the CLP backend; relulp refuses the pair otherwise).
    {shared parameters}
    """

    _parameter_constraints: dict = {**_ReLULPEstimator._parameter_constraints,
                                    "loss": [StrOptions({"l1", "squared"})]}

    def __init__(self, lam=_DEFAULTS["lam"], *, loss=_DEFAULTS["loss"], backend=_DEFAULTS["backend"],
                 tolerance=_DEFAULTS["tolerance"], bias=_DEFAULTS["bias"], pricing=_DEFAULTS["pricing"],
                 max_regions=_DEFAULTS["max_regions"], max_rounds=_DEFAULTS["max_rounds"],
                 time_limit=_DEFAULTS["time_limit"], relulp_path=_DEFAULTS["relulp_path"],
                 verbose=_DEFAULTS["verbose"]):
        self.lam = lam
        self.loss = loss
        self.backend = backend
        self.tolerance = tolerance
        self.bias = bias
        self.pricing = pricing
        self.max_regions = max_regions
        self.max_rounds = max_rounds
        self.time_limit = time_limit
        self.relulp_path = relulp_path
        self.verbose = verbose

    def _loss(self):
        return self.loss

    def _validate(self, X, y):
        # relulp needs two points; scikit-learn's own check says so in the words its callers look for.
        X, y = validate_data(self, X, y, y_numeric=True, dtype=np.float64, ensure_min_samples=2)
        if not (np.issubdtype(y.dtype, np.number) or np.issubdtype(y.dtype, np.bool_)):
            # y_numeric converts only object arrays: text labels would otherwise fail deep inside the data writer.
            try:
                y = y.astype(np.float64)
            except ValueError:
                raise ValueError(f"y must be numeric for a regressor; it holds {y.dtype} values such as {y[0]!r} "
                                 "(for class labels use ReLULPClassifier)") from None
        return X, y

    def predict(self, X):
        """The network's output f(x) at the rows of X."""
        return self._network(X)


@_shared_parameters
class ReLULPClassifier(ClassifierMixin, _ReLULPEstimator):
    """A two-class classifier trained exactly with the hinge loss, certified by a duality gap.

    Solves  min over signed measures μ  (1/n) Σ max(0, 1 − t_j f_μ(x_j)) + lam · ‖μ‖_TV  with t_j = −1 for
    `classes_[0]` and +1 for `classes_[1]` (the classes in sorted order), through `relulp solve --loss hinge`.
    `predict` returns `classes_[1]` where f(x) ≥ 0 and `classes_[0]` elsewhere; `decision_function` is f.
    Fitted attributes, errors and warnings are those of `ReLULPRegressor`. Labels of any type with exactly two
    distinct values are accepted; more classes are refused with scikit-learn's "Only binary classification" error.

    Parameters
    ----------
    {shared parameters}
    """

    def __init__(self, lam=_DEFAULTS["lam"], *, backend=_DEFAULTS["backend"], tolerance=_DEFAULTS["tolerance"],
                 bias=_DEFAULTS["bias"], pricing=_DEFAULTS["pricing"], max_regions=_DEFAULTS["max_regions"],
                 max_rounds=_DEFAULTS["max_rounds"], time_limit=_DEFAULTS["time_limit"],
                 relulp_path=_DEFAULTS["relulp_path"], verbose=_DEFAULTS["verbose"]):
        self.lam = lam
        self.backend = backend
        self.tolerance = tolerance
        self.bias = bias
        self.pricing = pricing
        self.max_regions = max_regions
        self.max_rounds = max_rounds
        self.time_limit = time_limit
        self.relulp_path = relulp_path
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def _loss(self):
        return "hinge"

    def _validate(self, X, y):
        """Validated X and the labels as 0.0 / 1.0 (index into `classes_`), which relulp maps to −1 / +1."""
        X, y = validate_data(self, X, y, dtype=np.float64, ensure_min_samples=2)
        check_classification_targets(y)
        target_type = type_of_target(y, input_name="y")
        if target_type != "binary":
            raise ValueError("Only binary classification is supported (the hinge loss of ReLULPClassifier is for two "
                             f"classes). The type of the target is {target_type}.")
        self.classes_, encoded = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError("ReLULPClassifier needs labels of two classes; y holds only the class "
                             f"{self.classes_[0].item()!r}")
        return X, encoded.astype(np.float64)

    def decision_function(self, X):
        """The network's output f(x) at the rows of X: ≥ 0 for `classes_[1]`."""
        return self._network(X)

    def predict(self, X):
        """`classes_[1]` where the network's output is ≥ 0, else `classes_[0]`."""
        decision = self.decision_function(X)
        return self.classes_[(decision >= 0).astype(int)]
