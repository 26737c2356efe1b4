"""ReLULPRegressorCV (one warm `relulp path` per fold) against GridSearchCV of cold ReLULPRegressor fits over the
same λ and the same folds: wall time, the cross-validated scores and the λ chosen (issue 25). Data: scikit-learn's
bundled diabetes set, a few standardised features; the target as it is (the estimators fit an intercept), so λ is
in the target's units (its standard deviation is 77). `--standardise-target` restores the earlier setting. Run
from the repository root with the package installed and RELULP (or the wheel's binary):

    python benchmarks/python/cv_benchmark.py --features bmi s5 --lams 30 10 3 1 --folds 5 [--loss squared]
"""

import argparse
import json
import os
import time
import warnings

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import GridSearchCV, KFold

import relulp


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--features", nargs="+", default=["bmi", "s5"])
    parser.add_argument("--lams", nargs="+", type=float, default=[30, 10, 3, 1])
    parser.add_argument("--loss", default="l1", choices=["l1", "squared"])
    parser.add_argument("--standardise-target", action="store_true")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    data = load_diabetes(as_frame=True).frame
    X = data[args.features].to_numpy()
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    y = data["target"].to_numpy()
    if args.standardise_target:
        y = (y - y.mean()) / y.std()
    folds = KFold(args.folds, shuffle=True, random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", relulp.NotCertifiedWarning)
        started = time.perf_counter()
        warm = relulp.ReLULPRegressorCV(lams=args.lams, cv=folds, loss=args.loss).fit(X, y)
        warm_seconds = time.perf_counter() - started
        started = time.perf_counter()
        cold = GridSearchCV(relulp.ReLULPRegressor(loss=args.loss), {"lam": args.lams}, cv=folds).fit(X, y)
        cold_seconds = time.perf_counter() - started
    print(json.dumps({
        "n": len(y), "features": args.features, "loss": args.loss, "lams": args.lams, "folds": args.folds,
        "regions_estimate": relulp.estimate_regions(X),
        "warm_path_cv": {"seconds": round(warm_seconds, 2), "lam": warm.lam_,
                         "mean_test_r2": [round(s, 6) for s in warm.cv_results_["mean_test_score"]]},
        "grid_search_cold": {"seconds": round(cold_seconds, 2), "lam": cold.best_params_["lam"],
                             "mean_test_r2": [round(s, 6) for s in cold.cv_results_["mean_test_score"]]},
        "not_certified_warnings": len(caught), "loadavg_after": os.getloadavg(),
    }, indent=1))


if __name__ == "__main__":
    main()
