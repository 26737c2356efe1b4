"""ReLULPRegressor, ReLULPClassifier and ReLULPRegressorCV: scikit-learn's estimator API over `relulp solve` and
`relulp path`, and the module-level `regularization_path` and `estimate_regions`."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import threading
import time
import warnings
import weakref
from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, _fit_context, clone
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from ._binary import (NotCertifiedWarning, RelulpError, cleanup_on_sigterm, error_message, find_relulp, run_folder,
                      run_relulp)
from ._model import Model, evaluate, load_model, model_from_dict

# Every parameter's default, stated once: the signatures and the docstrings below read them from here. Each equals
# the default of relulp's CLI (`relulp solve --help`; tests/test_parameters.py compares them), except λ, for which
# the CLI has none, n_jobs, which is Python's, and fit_intercept (True as in scikit-learn's linear models; the
# CLI's --intercept is off by default).
_DEFAULTS = {"lam": 0.01, "fit_intercept": True, "loss": "l1", "backend": "clp", "tolerance": 1e-9, "bias": True, "pricing": "auto",
             "max_regions": 10_000_000, "max_search_regions": 1_000_000_000, "max_rounds": 1000,
             "time_limit": None, "n_jobs": None, "relulp_path": None, "verbose": False}

# The wall-clock limit (seconds) a fit gets when `time_limit` is None and the data's dual-region estimate exceeds
# `max_search_regions`, where certification within minutes is unlikely: the fit then ends with status
# "time-limit", a network and a valid gap (relulp's anytime mode, docs/mathematics.md §11) instead of running for
# hours or refusing.
HIGH_DIMENSIONAL_TIME_LIMIT = 60.0

_LOCKS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()


def _lock(estimator) -> threading.RLock:
    """The lock that serialises fits of one estimator object: a fit from a second thread waits for the first,
    so that the fitted attributes (n_features_in_, classes_, the model) always come from one fit."""
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(estimator, threading.RLock())


def estimate_regions(X, *, bias=True) -> int:
    """The general-position bound 2 Σ_{k<d} C(n−1, k) on the number of dual regions of X (n rows, d = features
    + 1 with `bias`), the estimate relulp compares with `max_regions` (enumeration) and `max_search_regions`
    (the search) before it starts. An exact integer (not capped at 2^63 as in relulp's messages).

    Examples
    --------
    >>> import numpy as np, relulp
    >>> relulp.estimate_regions(np.zeros((30, 2)))
    872
    """
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (n_samples, n_features), got shape {X.shape}")
    n, d = X.shape[0], X.shape[1] + (1 if bias else 0)
    if n <= 0 or d <= 0:
        return 1
    return 2 * sum(math.comb(n - 1, k) for k in range(min(d, n)))


def _unique(lams):
    """The distinct λ in the order of their first occurrence, and each requested λ's index among them."""
    distinct, index = [], []
    for lam in lams:
        if lam not in distinct:
            distinct.append(lam)
        index.append(distinct.index(lam))
    return distinct, index


class _CanonicalRows:
    """The rows relulp is given for (X, y, sample_weight): identical (x, y) rows merged into one with their weights
    summed, weight-0 rows dropped, in lexicographic order. A weighted fit and the fit on the rows repeated as the
    weights say then solve the identical problem, and relulp (deterministic) returns the identical network: the
    L1 and hinge optima are faces, so two different but equivalent LPs may end at different optimal networks
    (certified fits differed by 3e-6 in scikit-learn's sample-weight check). The data term is unchanged
    (docs/mathematics.md §12: weight 2 is a duplicated row); the per-row dual is mapped back by `expand`."""

    def __init__(self, X, y, sample_weight=None):
        n = len(y)
        self.sample_weight = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        keep = self.sample_weight > 0
        # + 0.0 reads −0 as +0, so that the two zeros merge.
        rows, first, inverse = np.unique(np.column_stack([X, y])[keep] + 0.0, axis=0, return_index=True,
                                         return_inverse=True)
        first = np.flatnonzero(keep)[first]
        if len(rows) < 2:  # relulp needs two points: one distinct row is given as it came
            rows, first, inverse, keep = np.column_stack([X, y]), np.arange(n), np.arange(n), np.ones(n, dtype=bool)
        # The user's sample (0-based) that each row stands for, first among those merged: for relulp's messages.
        self.first = first
        self.X, self.y = rows[:, :-1], rows[:, -1]
        self.totals = np.bincount(inverse.ravel(), weights=self.sample_weight[keep], minlength=len(rows))
        # Equal weights are no weights (the data term is normalised by Σw).
        self.weights = None if np.all(self.totals == self.totals[0]) else self.totals
        self.row = np.full(n, -1)
        self.row[keep] = inverse.ravel()

    def expand(self, model: Model, weighted: bool) -> Model:
        """`model` as if fitted on the user's rows: n, and the dual vector split over each merged row's samples in
        proportion to their weights (0 for weight 0), which keeps it in every sample's box and its value (§12).
        The data digest of the merged rows is dropped; the weight column is named only if the user gave weights."""
        raw = dict(model.raw, n=len(self.row))
        raw.pop("dataDigest", None)
        raw.pop("weightColumn", None)
        if weighted:
            raw["weightColumn"] = "sample_weight"
        dual = model.certificate_dual
        if dual is not None:
            dual = np.where(self.row >= 0, dual[self.row] * self.sample_weight / self.totals[self.row], 0.0)
            raw["certificate"] = dict(raw["certificate"], dual=dual.tolist())
        return dataclasses.replace(model, n=len(self.row), certificate_dual=dual, raw=raw)


class _ReLULPEstimator(BaseEstimator):
    """What the estimators share: the relulp options, running relulp on temporary files (one problem per
    target column: one for a regressor or two classes, one per class for more), reading the model files back,
    the fitted attributes and the warm regularisation path. Subclasses give the loss (`_loss`) and turn (X, y)
    into validated X and a list of numeric target vectors (`_validate`)."""

    # Checked when `fit` or `regularization_path` starts, so a bad value raises scikit-learn's
    # InvalidParameterError (a ValueError and a TypeError) before relulp runs; the ranges are relulp's own.
    _parameter_constraints: dict = {
        "lam": [Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "backend": [StrOptions({"clp", "glpk"})],
        "tolerance": [Interval(Real, 0, 1, closed="neither")],
        "bias": ["boolean"],
        "pricing": [StrOptions({"auto", "enumerate", "branch-and-bound"})],
        "max_regions": [Interval(Integral, 1, None, closed="left"), None],
        "max_search_regions": [Interval(Integral, 1, None, closed="left"), None],
        "max_rounds": [Interval(Integral, 1, None, closed="left"), None],
        "time_limit": [Interval(Real, 0, None, closed="neither"), None],
        "relulp_path": [str, os.PathLike, None],
        "verbose": ["verbose"],
    }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Stated although they are scikit-learn's defaults: relulp takes dense, finite data (sparse input and
        # NaN are refused by validation, not densified or imputed). The solver is deterministic.
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        return tags

    def _time_limit(self, X):
        """`time_limit`, or HIGH_DIMENSIONAL_TIME_LIMIT when it is None and X is beyond `max_search_regions`."""
        if self.time_limit is not None:
            return float(self.time_limit)
        limit = self.max_search_regions if self.max_search_regions is not None else _DEFAULTS["max_search_regions"]
        return HIGH_DIMENSIONAL_TIME_LIMIT if estimate_regions(X, bias=self.bias) > limit else None

    def _options(self, X):
        """The relulp options shared by `solve` and `path`."""
        args = [f"--backend={self.backend}", f"--tolerance={float(self.tolerance)!r}"]
        if self.fit_intercept:
            args.append("--intercept")
        if self._loss() != "l1":
            args.append(f"--loss={self._loss()}")
        if not self.bias:
            args.append("--no-bias")
        args.append(f"--pricing={self.pricing}")
        if self.max_regions is not None:
            args.append(f"--max-regions={int(self.max_regions)}")
        if self.max_search_regions is not None:
            args.append(f"--max-search-regions={int(self.max_search_regions)}")
        if self.max_rounds is not None:
            args.append(f"--max-rounds={int(self.max_rounds)}")
        time_limit = self._time_limit(X)
        if time_limit is not None:
            args.append(f"--time-limit={time_limit!r}")
        if not self.verbose:
            args.append("--quiet")
        return args

    def _run(self, X, y, lams, sample_weight=None):
        """Solves one problem (targets y) at every λ in `lams` (distinct): `relulp solve` for one λ, `relulp
        path` (one warm master LP) for more. Runs in a temporary folder, removed afterwards. relulp exits
        non-zero also when it wrote models it could not certify: those are kept (with a NotCertifiedWarning);
        every other failure is a RelulpError in this package's terms."""
        binary = find_relulp(self.relulp_path)
        rows = _CanonicalRows(X, y, sample_weight)
        with run_folder() as folder:
            data_path = os.path.join(folder, "data.csv")
            columns = [rows.X, rows.y] if rows.weights is None else [rows.X, rows.y, rows.weights]
            header = ",".join([f"x{i + 1}" for i in range(X.shape[1])] + ["y"] + ([] if rows.weights is None
                                                                                    else ["sample_weight"]))
            np.savetxt(data_path, np.column_stack(columns), delimiter=",", header=header, comments="", fmt="%.17g")
            if len(lams) == 1:
                command, files = ["solve", f"--lambda={lams[0]!r}", f"--output={folder}/model.json"], ["model.json"]
            else:
                command = ["path", "--lambdas=" + ",".join(map(repr, lams)), f"--output={folder}/path"]
                files = [f"path/model-{i + 1}.json" for i in range(len(lams))]
            started = time.perf_counter()
            weights = [] if rows.weights is None else ["--weights=sample_weight"]
            returncode, stderr = run_relulp(binary, [command[0], data_path, *command[1:], *self._options(X), *weights],
                                            verbose=self.verbose)
            seconds = time.perf_counter() - started
            paths = [os.path.join(folder, name) for name in files]
            models = [rows.expand(load_model(path), sample_weight is not None) for path in paths if os.path.exists(path)]
            if returncode != 0 and (len(models) < len(paths) or all(model.certified for model in models)):
                raise RelulpError(error_message(returncode, stderr, folder, rows.first), returncode=returncode,
                                 stderr=stderr)
        if len(models) < len(paths):
            raise RelulpError(f"relulp {command[0]} succeeded but wrote {len(models)} of {len(paths)} model files",
                              returncode=returncode, stderr=stderr)
        return models, seconds

    def _solve(self, X, targets, lams, sample_weight=None):
        """models[problem][i] for every target vector and every λ in `lams` (duplicates solved once); the
        problems run in parallel (`n_jobs`, threads: the work is in relulp's processes)."""
        distinct, index = _unique([float(lam) for lam in lams])
        n_jobs = getattr(self, "n_jobs", None) if len(targets) > 1 else None
        runs = Parallel(n_jobs=n_jobs, prefer="threads")(delayed(self._run)(X, y, distinct, sample_weight)
                                                         for y in targets)
        for models, _ in runs:
            for model in models:
                if not model.certified:
                    warnings.warn(NotCertifiedWarning(
                        f"relulp did not certify optimality at lam = {model.lam:g}: status {model.status!r}, "
                        f"relative gap {model.gap:.3e} > tolerance {model.tolerance:g}; the network is an upper "
                        "bound only", gap=model.gap, status=model.status, lam=model.lam), stacklevel=4)
        return [[models[i] for i in index] for models, _ in runs], [seconds for _, seconds in runs]

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Solves the training problem on (X, y) exactly; see the class docstring for errors and warnings.

        `sample_weight` (finite, ≥ 0, not all 0) weighs each sample's loss: the data term becomes
        (1/Σw) Σ w_j loss_j, so weight 2 counts a sample twice and 0 leaves it out; relulp solves the identical
        problem for both (identical samples are merged, `_CanonicalRows`). Fits of one estimator object
        from several threads run one after the other (a lock), so the fitted attributes always come from one fit.
        """
        with _lock(self), cleanup_on_sigterm():
            X, targets = self._validate(X, y)
            if sample_weight is not None:
                sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
            models, seconds = self._solve(X, targets, [self.lam], sample_weight)
            self._set_models([problem[0] for problem in models], seconds)
            self._calibrate(X, targets, sample_weight)
        return self

    def _calibrate(self, X, targets, sample_weight=None):
        """What a subclass fits on the training data after the networks (the classifier's probabilities)."""

    def regularization_path(self, X, y, lams):
        """One fitted copy of this estimator per λ in `lams` (in the given order; a repeated λ is solved once),
        from `relulp path`: the regions are enumerated once and one master LP is re-solved warm from the
        largest λ down; every λ is certified on its own (a not-certified one warns, as in `fit`). `time_limit`
        applies per λ here. See also the module-level `relulp.regularization_path`."""
        return self._path(X, y, lams)

    @_fit_context(prefer_skip_nested_validation=True)
    def _path(self, X, y, lams):
        lams = np.asarray(lams, dtype=float).ravel()
        if lams.size == 0:
            raise ValueError("lams is empty: give at least one λ > 0")
        if not np.all(np.isfinite(lams) & (lams > 0)):
            bad = lams[~(np.isfinite(lams) & (lams > 0))][0]
            raise ValueError(f"every λ in lams must be a finite number > 0, got {float(bad)!r}")
        lams = [float(lam) for lam in lams]
        fitted = [clone(self).set_params(lam=lam) for lam in lams]
        for estimator in fitted:  # each records n_features_in_ (and feature names, classes), as fit does
            X_checked, targets = estimator._validate(X, y)
        with cleanup_on_sigterm():
            models, seconds = self._solve(X_checked, targets, lams)
        for i, estimator in enumerate(fitted):
            estimator._set_models([problem[i] for problem in models], [float("nan")] * len(models))
            estimator._calibrate(X_checked, targets)
        return fitted

    def _set_models(self, models: list[Model], seconds: list[float]):
        """The fitted attributes: the model's own for one problem, arrays with one entry per problem (class)
        for several."""
        self.models_ = models
        one = len(models) == 1

        def each(values, dtype=float):
            return values[0] if one else np.array(values, dtype=dtype)

        self.objective_ = each([m.objective for m in models])
        self.lower_bound_ = each([m.lower_bound for m in models])
        self.gap_ = each([m.gap for m in models])
        self.status_ = each([m.status for m in models], dtype=object)
        self.n_neurons_ = each([len(m.amplitudes) for m in models], dtype=int)
        self.n_rounds_ = each([int(m.raw.get("solver", {}).get("rounds", -1)) for m in models], dtype=int)
        self.fit_time_ = each([float(m.raw.get("solver", {}).get("seconds", s)) for m, s in zip(models, seconds)])
        self.data_loss_ = each([m.data_loss for m in models])
        self.intercept_ = each([m.intercept for m in models])
        self.total_variation_ = each([m.total_variation for m in models])
        if one:
            model = models[0]
            self.model_ = model
            self.weights_ = model.weights
            self.amplitudes_ = model.amplitudes
            self.atoms_ = [(float(a), w) for a, w in zip(model.amplitudes, model.weights)]
            self.certificate_dual_ = model.certificate_dual
            self.max_abs_eta_ = model.max_abs_eta

    def _decision(self, X):
        """The networks' outputs at the rows of X: shape (n,) for one problem, (n, problems) for several."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        outputs = [m.decision_function(X) for m in self.models_]
        return outputs[0] if len(outputs) == 1 else np.column_stack(outputs)

    def save_model(self, path):
        """Writes the fitted model to `path` as a relulp model file (JSON) with the user's feature names (those
        of a pandas DataFrame, else x1, x2, …), which `relulp predict` and `relulp certify` read too. For more
        than two classes the file holds one model per class ("relulp-ovr"). `load_model` reads it back."""
        check_is_fitted(self)
        names = [str(name) for name in getattr(self, "feature_names_in_", [f"x{i + 1}" for i in range(self.n_features_in_)])]
        raws = [dict(m.raw, features=names) for m in self.models_]
        classes = getattr(self, "classes_", None)
        labels = None if classes is None else [c.item() if hasattr(c, "item") else c for c in classes]
        if labels is not None:  # relulp's "classes" are the numeric codes 0, 1; the user's labels beside them
            for raw in raws:
                raw["classLabels"] = labels
                raw["probabilitySlope"] = self.prob_slope_
        content = raws[0] if len(raws) == 1 else {"format": "relulp-ovr", "version": 1, "models": raws,
                                                  "classLabels": labels}
        with open(os.fspath(path), "w", encoding="utf-8") as file:
            json.dump(content, file, indent=2)

    @classmethod
    def load_model(cls, path, **params):
        """A fitted estimator from a file written by `save_model` (or by `relulp solve --output`), with its
        feature names (`feature_names_in_` when they are not relulp's default x1, x2, …) and λ; `params` set
        the other parameters (for refitting)."""
        path = os.fspath(path)
        with open(path, encoding="utf-8") as file:
            raw = json.load(file)
        raws = raw["models"] if isinstance(raw, dict) and raw.get("format") == "relulp-ovr" else [raw]
        models = [model_from_dict(r, path) for r in raws]
        params = {"fit_intercept": "intercept" in models[0].raw, **params}
        estimator = cls(lam=models[0].lam, bias=models[0].bias, **params)
        estimator._restore(models)
        return estimator

    def _restore(self, models):
        features = models[0].features
        self.n_features_in_ = len(features)
        if features != [f"x{i + 1}" for i in range(len(features))]:
            self.feature_names_in_ = np.array(features, dtype=object)
        self._set_models(models, [float("nan")] * len(models))


_SHARED_PARAMETERS = """\
    lam : float > 0, default={lam!r}
        Weight λ of the total variation ‖μ‖_TV (the CLI has no default λ). For a finite network ‖μ‖_TV is the
        path norm Σ|c_k|‖u_k‖, which at the balanced scaling |c_k| = ‖u_k‖ is the weight decay ½Σ(c_k² + ‖u_k‖²)
        (docs/mathematics.md §1). The data term is a mean over the n samples, so `lam` is scaled like
        scikit-learn's `alpha` in Lasso ((1/2n)‖y − Xw‖² + alpha‖w‖₁: lam = alpha with loss="squared") and in
        SGDClassifier(loss="hinge", penalty="l1") (lam = alpha); with the L1 loss lam = 2·alpha of
        QuantileRegressor(quantile=0.5), whose pinball loss is ½|r|. MLPRegressor's `alpha` is an L2 penalty
        divided by n: with the squared loss, lam = alpha / n_samples, up to the biases (MLP leaves them
        unpenalised; here each hidden bias is part of its neuron's weight vector). λ is in the units of y (of
        the loss): scaling y by s calls for lam·s.
    fit_intercept : bool, default={fit_intercept!r}
        Fit an unpenalised output constant b, f(x) = b + Σ a_i σ(⟨w_i, x̃⟩) (relulp's `--intercept`,
        docs/mathematics.md §12), as scikit-learn's linear models do: a large `lam` then predicts the median of y
        (loss "l1") or its mean ("squared") instead of 0, and y need not be centred by hand.
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
        above (the search can take minutes where enumeration would refuse). `relulp.estimate_regions(X)` gives
        the estimate.
    max_regions : int >= 1 or None, default={max_regions!r}
        Refuse to enumerate data whose dual-region estimate exceeds this (None: the binary's default).
    max_search_regions : int >= 1 or None, default={max_search_regions!r}
        Refuse the branch-and-bound search above this dual-region estimate (None: the binary's default).
    max_rounds : int >= 1 or None, default={max_rounds!r}
        Round limit of the column generation (None: the binary's default).
    time_limit : float > 0 or None, default={time_limit!r}
        Wall-clock limit in seconds of a fit (per λ in a path). At the limit the network reached is kept with
        status "time-limit" and a `NotCertifiedWarning` carrying the gap. None: no limit, except for data whose
        dual-region estimate exceeds `max_search_regions`, which gets HIGH_DIMENSIONAL_TIME_LIMIT (60 s).
    relulp_path : str, path or None, default={relulp_path!r}
        The relulp executable (None: the binary bundled in the wheel, else the RELULP environment variable,
        else `relulp` on PATH). Its version must be this package's.
    verbose : bool, default={verbose!r}
        Echo relulp's solver log (stderr) while it runs.
"""

_SHARED_ATTRIBUTES = """\
    objective_ : float
        The fitted network's objective (data term + lam·‖μ‖_TV): an upper bound on the optimum.
    lower_bound_ : float
        A lower bound on the optimum over networks of every width (the certificate).
    gap_ : float
        The relative duality gap (objective_ − lower_bound_) / max(1, |objective_|).
    status_ : str
        "optimal" when gap_ ≤ tolerance; else why the fit stopped ("round-limit", "time-limit", …).
    n_neurons_ : int
        The number of neurons (atoms) of the network.
    n_rounds_ : int
        The rounds of column generation.
    fit_time_ : float
        Seconds the solve took (relulp's own measure; NaN for the estimators of a path).
    data_loss_, total_variation_ : float
        The two terms of the objective.
    intercept_ : float
        The output constant b (0.0 with fit_intercept=False).
    weights_ : ndarray of shape (n_neurons, n_features + bias)
        The neurons' unit weight vectors in the lifted space (x, 1), the bias last.
    amplitudes_ : ndarray of shape (n_neurons,)
        The output weights.
    certificate_dual_ : ndarray of shape (n_samples,)
        The dual vector p of the certificate.
    model_ : relulp.Model
        The model file as read back (`model_.raw` is its JSON).
    n_features_in_ : int
        The number of features seen in `fit`.
    feature_names_in_ : ndarray of str
        The feature names, when X has them (a pandas DataFrame); `save_model` writes them into the model file.
"""


def _documented(cls):
    """Writes the shared parameters and attributes into the class docstring (at `{shared parameters}` and
    `{shared attributes}`) and the defaults into both (`{lam!r}` and so on; literal braces are doubled)."""
    without_lam = _SHARED_PARAMETERS[_SHARED_PARAMETERS.index("    fit_intercept :"):]
    doc = cls.__doc__.replace("    {shared parameters}\n", _SHARED_PARAMETERS)
    doc = doc.replace("    {shared parameters without lam}\n", without_lam)
    doc = doc.replace("    {shared attributes}\n", _SHARED_ATTRIBUTES)
    cls.__doc__ = doc.format(**_DEFAULTS)
    return cls


@_documented
class ReLULPRegressor(RegressorMixin, _ReLULPEstimator):
    """Exact training of an infinite-width shallow ReLU network, certified by a duality gap.

    Solves  min over signed measures μ  (1/n) Σ |y_j − f_μ(x_j)| + lam · ‖μ‖_TV  by running the relulp binary
    (`relulp solve`; `relulp path` for `regularization_path`) on a temporary CSV file and reading back its
    model file. The result is a finite network (`weights_`, `amplitudes_`) with a lower bound valid over
    networks of every width (`lower_bound_`) and the relative gap (`gap_`); `status_` is "optimal" only when
    that gap is within `tolerance`. Any other status (the run stopped at `max_rounds` or `time_limit`, or
    stalled) is kept as a fitted model and raises a `NotCertifiedWarning` (with `.gap`); anything relulp
    refuses (too many dual regions, bad options) raises a `RelulpError` (a ValueError) naming the parameters.

    Parameters
    ----------
    loss : {{"l1", "squared"}}, default={loss!r}
        The data term, relulp's `--loss`: "l1" (1/n) Σ |y_j − f(x_j)|, "squared" (1/2n) Σ (y_j − f(x_j))²
        (needs the CLP backend; relulp refuses the pair otherwise).
    {shared parameters}

    Attributes
    ----------
    {shared attributes}

    See Also
    --------
    ReLULPRegressorCV : λ chosen by cross-validation over warm paths.
    relulp.regularization_path : one warm solve per λ.

    Examples
    --------
    >>> import numpy as np, relulp
    >>> X = np.linspace(-1, 1, 20).reshape(-1, 1)
    >>> y = np.abs(X[:, 0])
    >>> model = relulp.ReLULPRegressor(lam=0.01).fit(X, y)
    >>> model.status_, model.gap_ <= model.tolerance
    ('optimal', True)
    """

    _parameter_constraints: dict = {**_ReLULPEstimator._parameter_constraints,
                                    "loss": [StrOptions({"l1", "squared"})]}

    def __init__(self, lam=_DEFAULTS["lam"], *, fit_intercept=_DEFAULTS["fit_intercept"], loss=_DEFAULTS["loss"],
                 backend=_DEFAULTS["backend"],
                 tolerance=_DEFAULTS["tolerance"], bias=_DEFAULTS["bias"], pricing=_DEFAULTS["pricing"],
                 max_regions=_DEFAULTS["max_regions"], max_search_regions=_DEFAULTS["max_search_regions"],
                 max_rounds=_DEFAULTS["max_rounds"], time_limit=_DEFAULTS["time_limit"],
                 relulp_path=_DEFAULTS["relulp_path"], verbose=_DEFAULTS["verbose"]):
        self.lam = lam
        self.fit_intercept = fit_intercept
        self.loss = loss
        self.backend = backend
        self.tolerance = tolerance
        self.bias = bias
        self.pricing = pricing
        self.max_regions = max_regions
        self.max_search_regions = max_search_regions
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
        return X, [y]

    def predict(self, X):
        """The network's output f(x) at the rows of X."""
        return self._decision(X)


@_documented
class ReLULPClassifier(ClassifierMixin, _ReLULPEstimator):
    """A classifier trained exactly with the hinge loss, certified by a duality gap; one-vs-rest for more than
    two classes, each of those problems certified on its own.

    Two classes: solves  min over signed measures μ  (1/n) Σ max(0, 1 − t_j f_μ(x_j)) + lam · ‖μ‖_TV  with
    t_j = −1 for `classes_[0]` and +1 for `classes_[1]` (the classes in sorted order), through `relulp solve
    --loss hinge`; `predict` returns `classes_[1]` where f(x) ≥ 0, and `decision_function` is f. k > 2 classes:
    one such problem per class (that class +1, the rest −1; run in parallel with `n_jobs`), `predict` returns
    the class of the largest output and `decision_function` has one column per class; the fitted statistics
    are then arrays with one entry per class, and `models_` holds the k models.

    `predict_proba` is sigmoid(a·f) (normalised over the classes for k > 2) with a single slope a ≥ 0 fitted on
    the training data by maximum likelihood (Platt scaling without an offset, so that its argmax is
    `predict`). It is fitted in-sample, so it is over-confident where the network fits the training data
    closely; wrap the estimator in CalibratedClassifierCV for held-out calibration. Only the networks are
    certified, never the probabilities.

    Parameters
    ----------
    {shared parameters}
    n_jobs : int or None, default={n_jobs!r}
        One-vs-rest problems solved at the same time (joblib's convention: None is 1, -1 all cores).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels, sorted.
    prob_slope_ : float
        The slope a of `predict_proba`.
    models_ : list of relulp.Model
        One model per problem (1 for two classes, k for k > 2).
    {shared attributes}

    Examples
    --------
    >>> import numpy as np, relulp
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> clf = relulp.ReLULPClassifier(lam=0.01).fit(X, ["a", "a", "b", "b"])
    >>> clf.predict([[0.5], [2.5]]).tolist(), clf.status_
    (['a', 'b'], 'optimal')
    """

    _parameter_constraints: dict = {**_ReLULPEstimator._parameter_constraints, "n_jobs": [Integral, None]}

    def __init__(self, lam=_DEFAULTS["lam"], *, fit_intercept=_DEFAULTS["fit_intercept"],
                 backend=_DEFAULTS["backend"], tolerance=_DEFAULTS["tolerance"],
                 bias=_DEFAULTS["bias"], pricing=_DEFAULTS["pricing"], max_regions=_DEFAULTS["max_regions"],
                 max_search_regions=_DEFAULTS["max_search_regions"], max_rounds=_DEFAULTS["max_rounds"],
                 time_limit=_DEFAULTS["time_limit"], n_jobs=_DEFAULTS["n_jobs"],
                 relulp_path=_DEFAULTS["relulp_path"], verbose=_DEFAULTS["verbose"]):
        self.lam = lam
        self.fit_intercept = fit_intercept
        self.backend = backend
        self.tolerance = tolerance
        self.bias = bias
        self.pricing = pricing
        self.max_regions = max_regions
        self.max_search_regions = max_search_regions
        self.max_rounds = max_rounds
        self.time_limit = time_limit
        self.n_jobs = n_jobs
        self.relulp_path = relulp_path
        self.verbose = verbose

    def _loss(self):
        return "hinge"

    def _validate(self, X, y):
        """Validated X and the targets as 0.0 / 1.0 (relulp maps them to −1 / +1): one vector for two classes
        (1 for `classes_[1]`), one per class (1 for that class) for more."""
        X, y = validate_data(self, X, y, dtype=np.float64, ensure_min_samples=2)
        check_classification_targets(y)
        target_type = type_of_target(y, input_name="y")
        if target_type not in ("binary", "multiclass"):
            raise ValueError(f"ReLULPClassifier needs one label per sample; the type of the target is {target_type}.")
        self.classes_, encoded = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError("ReLULPClassifier needs labels of two classes or more; y holds only the class "
                             f"{self.classes_[0].item()!r}")
        if len(self.classes_) == 2:
            return X, [encoded.astype(np.float64)]
        return X, [(encoded == k).astype(np.float64) for k in range(len(self.classes_))]

    def _calibrate(self, X, targets, sample_weight=None):
        outputs = np.column_stack([m.decision_function(X) for m in self.models_])
        self.prob_slope_ = _probability_slope(outputs, np.column_stack(targets), sample_weight)

    def _restore(self, models):
        labels = models[0].raw.get("classLabels")
        if labels is None:  # a file of `relulp solve --loss hinge`: its numeric classes
            labels = models[0].classes if models[0].classes is not None else [0.0, 1.0]
        self.classes_ = np.array(labels)
        super()._restore(models)
        self.prob_slope_ = float(models[0].raw.get("probabilitySlope", 1.0))

    def decision_function(self, X):
        """The network's output f(x) at the rows of X: ≥ 0 for `classes_[1]` (two classes), else one column
        per class."""
        return self._decision(X)

    def predict(self, X):
        """`classes_[1]` where the network's output is ≥ 0, else `classes_[0]`; for k > 2 classes the class
        whose network's output is largest."""
        decision = self.decision_function(X)
        if decision.ndim == 1:
            return self.classes_[(decision >= 0).astype(int)]
        return self.classes_[np.argmax(decision, axis=1)]

    def predict_proba(self, X):
        """Class probabilities sigmoid(a·f) (calibrated in-sample, not certified: see the class docstring)."""
        decision = self.decision_function(X)
        p = expit(self.prob_slope_ * decision)
        if decision.ndim == 1:
            return np.column_stack([1.0 - p, p])
        return p / p.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X):
        """The logarithm of `predict_proba`."""
        return np.log(self.predict_proba(X))


def _probability_slope(outputs, targets, sample_weight=None):
    """The a in [0, 100] maximising Σ w log sigmoid(a·t·f) over the training outputs f and targets t = ±1 (the
    0/1 targets of every problem), each sample weighted by its sample weight w (1 without), as a repeated one."""
    from scipy.optimize import minimize_scalar

    margins = ((2.0 * targets - 1.0) * outputs).ravel()
    weights = 1.0 if sample_weight is None else np.repeat(sample_weight, targets.shape[1])

    def negative_log_likelihood(a):
        return (weights * np.logaddexp(0.0, -a * margins)).sum()

    return float(minimize_scalar(negative_log_likelihood, bounds=(0.0, 100.0), method="bounded").x)
