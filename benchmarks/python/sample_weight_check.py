"""The two fits of scikit-learn's `check_sample_weight_equivalence_on_dense_data` (its data as scikit-learn 1.9.1
builds it: 15 points in 30 features, integer labels and weights), with the package as it is ("after": canonical
rows) or with relulp given the rows as they come ("before"): objectives, gaps, intercepts and the largest
difference of the predictions (benchmarks/RESULTS.md, "check_estimator's sample-weight check"). Run from the
repository root with the package installed and RELULP set:

    python benchmarks/python/sample_weight_check.py before|after [MAX_ROUNDS]
"""
import sys
import warnings

import numpy as np
from sklearn.utils import shuffle

import relulp
from relulp import _estimators as E

rng = np.random.RandomState(42)
n = 15
X = rng.rand(n, n * 2); y = rng.randint(0, 3, size=n); sw = rng.randint(0, 5, size=n)
Xr, yr = X.repeat(sw, axis=0), y.repeat(sw)
Xw, yw, sww = shuffle(X, y, sw, random_state=0)
warnings.simplefilter("ignore")
mode = sys.argv[1]
if mode == "before":
    class Raw:  # the rows as given, as the package passed them before `_CanonicalRows`
        def __init__(self, X, y, w=None):
            self.X, self.y, self.weights, self.first = X, y, w, np.arange(len(y))

        def expand(self, model, weighted):
            return model
    E._CanonicalRows = lambda X, y, w=None: Raw(X, y, w)
kw = dict(max_rounds=int(sys.argv[2])) if len(sys.argv) > 2 else {}
a = relulp.ReLULPRegressor(**kw).fit(Xr, yr)
b = relulp.ReLULPRegressor(**kw).fit(Xw, yw, sample_weight=sww.astype(float))
for name, m in [("repeated", a), ("weighted", b)]:
    print(name, "objective %.15g lower %.15g gap %.3e status %s neurons %d rounds %d b %.15g" % (
        m.objective_, m.lower_bound_, m.gap_, m.status_, m.n_neurons_, m.n_rounds_, m.intercept_))
pa, pb = a.predict(X), b.predict(X)
print("max |pred diff| %.3e ; rel %.3e" % (np.abs(pa - pb).max(), (np.abs(pa - pb) / np.maximum(np.abs(pb), 1e-300)).max()))
print("identical:", np.array_equal(pa, pb))
