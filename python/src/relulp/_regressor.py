"""ReLULPRegressor: scikit-learn's estimator API over `relulp solve`."""

from __future__ import annotations

import os
import tempfile
import warnings

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.utils.validation import check_is_fitted, validate_data

from ._binary import NotCertifiedWarning, RelulpError, error_message, find_relulp, run_relulp
from ._model import Model, evaluate, load_model


class ReLULPRegressor(RegressorMixin, BaseEstimator):
    """Exact training of an infinite-width shallow ReLU network, certified by a duality gap.

    Solves  min over signed measures μ  (1/n) Σ |y_j − f_μ(x_j)| + lam · ‖μ‖_TV  by running the relulp binary
    (`relulp solve`) on a temporary CSV file and reading back its model file. The result is a finite network
    (`weights_`, `amplitudes_`) with a lower bound valid over networks of every width (`lower_bound_`) and the
    relative gap (`gap_`); `status_` is "optimal" only when that gap is within `tolerance`. Any other status
    (the run stopped at `max_rounds` or `time_limit`, or stalled) is kept as a fitted model and raises a
    `NotCertifiedWarning`; anything relulp refuses (too many dual regions, bad options) raises a `RelulpError`
    (a ValueError) with relulp's message.

    Parameters
    ----------
    lam : float, weight λ > 0 of the total variation (weight decay).
    loss : "l1" (passed to relulp as `--loss` when it is anything else, for builds that have other losses).
    backend : "clp" or "glpk", the LP library.
    tolerance : relative duality gap at which the fit is certified optimal.
    bias : neurons with a bias (the inputs are lifted to (x, 1)).
    max_regions : refuse data whose dual-region estimate exceeds this (None: relulp's default, 10^7).
    max_rounds : round limit of the column generation (None: relulp's default).
    time_limit : wall-clock limit in seconds (None: none); at the limit the model is kept, not certified.
    relulp_path : the relulp executable (None: the RELULP environment variable, else `relulp` on PATH).
    verbose : echo relulp's solver log (stderr) while it runs.
    """

    def __init__(self, lam=0.01, *, loss="l1", backend="clp", tolerance=1e-9, bias=True, max_regions=None,
                 max_rounds=None, time_limit=None, relulp_path=None, verbose=False):
        self.lam = lam
        self.loss = loss
        self.backend = backend
        self.tolerance = tolerance
        self.bias = bias
        self.max_regions = max_regions
        self.max_rounds = max_rounds
        self.time_limit = time_limit
        self.relulp_path = relulp_path
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Stated although they are scikit-learn's defaults: relulp takes dense, finite data (sparse input and
        # NaN are refused by validation, not densified or imputed). The solver is deterministic
        # (non_deterministic stays False) and single-output.
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        return tags

    def _solve_args(self, data_path, model_path, lam):
        args = ["solve", data_path, f"--lambda={float(lam)!r}", f"--backend={self.backend}",
                f"--tolerance={float(self.tolerance)!r}", f"--output={model_path}"]
        if self.loss != "l1":
            args.append(f"--loss={self.loss}")
        if not self.bias:
            args.append("--no-bias")
        if self.max_regions is not None:
            args.append(f"--max-regions={int(self.max_regions)}")
        if self.max_rounds is not None:
            args.append(f"--max-rounds={int(self.max_rounds)}")
        if self.time_limit is not None:
            args.append(f"--time-limit={float(self.time_limit)!r}")
        if not self.verbose:
            args.append("--quiet")
        return args

    def _solve(self, X, y, lam) -> Model:
        """Runs `relulp solve` on (X, y) at `lam`; the model, or relulp's error as a RelulpError."""
        binary = find_relulp(self.relulp_path)
        with tempfile.TemporaryDirectory(prefix="relulp-") as folder:
            data_path = os.path.join(folder, "data.csv")
            model_path = os.path.join(folder, "model.json")
            header = ",".join([f"x{i + 1}" for i in range(X.shape[1])] + ["y"])
            np.savetxt(data_path, np.column_stack([X, y]), delimiter=",", header=header, comments="", fmt="%.17g")
            returncode, stderr = run_relulp(binary, self._solve_args(data_path, model_path, lam), verbose=self.verbose)
            model = load_model(model_path) if os.path.exists(model_path) else None
        # relulp exits non-zero also when it writes a model it could not certify: that model is kept (with a
        # warning below); every other failure is an error.
        if returncode != 0 and (model is None or model.certified):
            raise RelulpError(error_message(returncode, stderr), returncode=returncode, stderr=stderr)
        if model is None:
            raise RelulpError("relulp solve succeeded but wrote no model file", returncode=returncode, stderr=stderr)
        if not model.certified:
            warnings.warn(NotCertifiedWarning(
                f"relulp did not certify optimality at lam = {lam:g}: status {model.status!r}, relative gap "
                f"{model.gap:.3e} > tolerance {model.tolerance:g}; the network is an upper bound only"), stacklevel=3)
        return model

    def fit(self, X, y):
        """Solves the training problem on (X, y) exactly; see the class docstring for errors and warnings."""
        # relulp needs two points; scikit-learn's own check says so in the words its callers look for.
        X, y = validate_data(self, X, y, y_numeric=True, dtype=np.float64, ensure_min_samples=2)
        self._set_model(self._solve(X, y, self.lam))
        return self

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

    def predict(self, X):
        """The network's output f(x) at the rows of X."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return evaluate(self.amplitudes_, self.weights_, X, self.model_.bias)

    def regularization_path(self, X, y, lambdas):
        """One fitted copy of this estimator per λ in `lambdas` (in the given order), each solved and
        certified on its own (relulp's command line has no per-λ model output for its warm path)."""
        lambdas = np.asarray(lambdas, dtype=float).ravel()
        if lambdas.size == 0:
            raise ValueError("lambdas is empty")
        X, y = validate_data(self, X, y, y_numeric=True, dtype=np.float64, ensure_min_samples=2)
        path = []
        for lam in lambdas:
            estimator = clone(self).set_params(lam=float(lam))
            estimator.fit(X, y)
            path.append(estimator)
        return path
