"""ReLULPRegressorCV (λ by cross-validation over one warm path per fold) and the module-level
`regularization_path`."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context, clone
from sklearn.metrics import check_scoring
from sklearn.model_selection import check_cv
from sklearn.utils.validation import check_is_fitted, validate_data

from ._binary import cleanup_on_sigterm
from ._estimators import _DEFAULTS, ReLULPRegressor, _documented, _lock

# λ tried by ReLULPRegressorCV when `lams` is None: a decade in three steps each, from 1 down to 10⁻³.
DEFAULT_LAMS = (1.0, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001)


def regularization_path(X, y, lams, *, estimator=None, **params):
    """One fitted estimator per λ in `lams` (in the given order), from one warm `relulp path` run per problem.

    The dual regions are enumerated once and one master LP is re-solved from the largest λ down, each λ
    certified on its own (a not-certified one warns with `NotCertifiedWarning`). A repeated λ is solved once.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Targets (a regressor) or class labels (a classifier).
    lams : sequence of float > 0
        The λ values.
    estimator : ReLULPRegressor or ReLULPClassifier, default=None
        The estimator whose parameters the path uses (its `lam` is ignored); None: ReLULPRegressor(**params).
    **params
        Parameters of the default ReLULPRegressor (only without `estimator`).

    Returns
    -------
    list of fitted estimators, one per λ in `lams`.

    Examples
    --------
    >>> import numpy as np, relulp
    >>> X = np.linspace(-1, 1, 20).reshape(-1, 1)
    >>> path = relulp.regularization_path(X, np.abs(X[:, 0]), [0.1, 0.01])
    >>> [round(m.lam, 2) for m in path], [m.status_ for m in path]
    ([0.1, 0.01], ['optimal', 'optimal'])
    """
    if estimator is None:
        estimator = ReLULPRegressor(**params)
    elif params:
        raise TypeError(f"give either estimator= or its parameters, not both (got {sorted(params)})")
    return estimator.regularization_path(X, y, lams)


@_documented
class ReLULPRegressorCV(RegressorMixin, BaseEstimator):
    """ReLULPRegressor with λ chosen by cross-validation: per fold one warm regularisation path (`relulp
    path`: regions once, one master LP re-solved from the largest λ down) instead of a cold fit per λ, then a
    refit on all the data at the best λ.

    Parameters
    ----------
    lams : sequence of float > 0 or None, default=None
        The λ tried (None: DEFAULT_LAMS, 1 down to 10⁻³, three per decade).
    cv : int, cross-validation generator or iterable, default=5
        As in scikit-learn (`check_cv`): an int is the number of KFold folds.
    scoring : str, callable or None, default=None
        The score maximised (None: the estimator's R²).
    n_jobs : int or None, default={n_jobs!r}
        Folds solved at the same time (joblib; None is 1).
    loss : {{"l1", "squared"}}, default={loss!r}
        As in ReLULPRegressor.
    {shared parameters without lam}

    Attributes
    ----------
    lam_ : float
        The λ chosen (the best mean score; the largest λ among ties).
    cv_results_ : dict
        "lams", "mean_test_score", "std_test_score", and "split{{k}}_test_score" per fold.
    best_estimator_ : ReLULPRegressor
        The refit at `lam_` on all the data; its statistics (objective_, gap_, status_, …) are copied here.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np, relulp
    >>> X = np.linspace(-1, 1, 30).reshape(-1, 1)
    >>> y = np.abs(X[:, 0]) + 0.05 * np.sin(20 * X[:, 0])
    >>> cv = relulp.ReLULPRegressorCV(lams=[0.1, 0.01], cv=3).fit(X, y)
    >>> cv.lam_ in (0.1, 0.01), cv.status_
    (True, 'optimal')
    """

    _parameter_constraints: dict = {**ReLULPRegressor._parameter_constraints, "lams": ["array-like", None],
                                    "cv": ["cv_object"], "scoring": [str, callable, None],
                                    "n_jobs": [Integral, None]}
    _parameter_constraints.pop("lam")

    def __init__(self, lams=None, *, cv=5, scoring=None, n_jobs=_DEFAULTS["n_jobs"],
                 fit_intercept=_DEFAULTS["fit_intercept"], loss=_DEFAULTS["loss"],
                 backend=_DEFAULTS["backend"], tolerance=_DEFAULTS["tolerance"], bias=_DEFAULTS["bias"],
                 pricing=_DEFAULTS["pricing"], max_regions=_DEFAULTS["max_regions"],
                 max_search_regions=_DEFAULTS["max_search_regions"], max_rounds=_DEFAULTS["max_rounds"],
                 time_limit=_DEFAULTS["time_limit"], relulp_path=_DEFAULTS["relulp_path"],
                 verbose=_DEFAULTS["verbose"]):
        self.lams = lams
        self.cv = cv
        self.scoring = scoring
        self.n_jobs = n_jobs
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

    def _regressor(self):
        names = [name for name in ReLULPRegressor().get_params() if name != "lam"]
        return ReLULPRegressor(**{name: getattr(self, name) for name in names})

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Scores every λ by cross-validation (one warm path per fold), then refits at the best."""
        with _lock(self), cleanup_on_sigterm():
            X, y = validate_data(self, X, y, y_numeric=True, dtype=np.float64, ensure_min_samples=2)
            lams = np.asarray(DEFAULT_LAMS if self.lams is None else self.lams, dtype=float).ravel()
            if lams.size == 0 or not np.all(np.isfinite(lams) & (lams > 0)):
                raise ValueError(f"lams must be finite numbers > 0, at least one; got {self.lams!r}")
            regressor = self._regressor()
            scorer = check_scoring(regressor, scoring=self.scoring)
            splits = list(check_cv(self.cv, y, classifier=False).split(X, y))

            def fold(train, test):
                path = regressor.regularization_path(X[train], y[train], lams)
                return [scorer(estimator, X[test], y[test]) for estimator in path]

            scores = np.array(Parallel(n_jobs=self.n_jobs, prefer="threads")(
                delayed(fold)(train, test) for train, test in splits))
            mean = scores.mean(axis=0)
            best = max(range(len(lams)), key=lambda i: (mean[i], lams[i]))
            self.cv_results_ = {"lams": lams, "mean_test_score": mean, "std_test_score": scores.std(axis=0),
                                **{f"split{k}_test_score": row for k, row in enumerate(scores)}}
            self.lam_ = float(lams[best])
            self.best_estimator_ = clone(regressor).set_params(lam=self.lam_).fit(X, y)
            for name in ("objective_", "lower_bound_", "gap_", "status_", "n_neurons_", "n_rounds_", "fit_time_",
                         "weights_", "amplitudes_", "intercept_", "model_"):
                setattr(self, name, getattr(self.best_estimator_, name))
        return self

    def predict(self, X):
        """The refit network's output at the rows of X."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return self.best_estimator_.predict(X)

