"""relulp with its intercept against Ridge, SVR (RBF) and MLPRegressor on scikit-learn's diabetes data (issue 25):
the named features standardised, the target as it is (no scaling by hand), one shuffled 75/25 split; every
method's one hyperparameter chosen by 5-fold cross-validation on the training part (relulp: ReLULPRegressorCV over
λ in the target's units). Prints one JSON object per feature set: test R², fit seconds (the search included), the
chosen hyperparameter, relulp's status and relative gap. `--time-limit T` bounds every relulp solve to T seconds
(each λ of each fold's path, and the refit): a solve cut by it keeps the best network found with status
"time-limit" and its gap to a valid lower bound (relulp's anytime mode), counted in "not_certified"; the relulp
part then takes at most about (folds + 1) · len(lams) · T seconds. Run from the repository root with the package
installed and RELULP set:

    python benchmarks/python/diabetes_peers.py --features bmi --features bmi s5 --loss squared
    python benchmarks/python/diabetes_peers.py --features bmi s5 bp s4 --time-limit 20
"""

import argparse
import json
import os
import time
import warnings

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import GridSearchCV, KFold, train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR

import relulp


def timed(estimator, X, y):
    started = time.perf_counter()
    estimator.fit(X, y)
    return estimator, time.perf_counter() - started


def compare(features, loss, lams, folds, time_limit=None):
    data = load_diabetes(as_frame=True).frame
    X_train, X_test, y_train, y_test = train_test_split(
        data[features].to_numpy(), data["target"].to_numpy(), test_size=0.25, random_state=0)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    cv = KFold(folds, shuffle=True, random_state=0)
    result = {"features": features, "n_train": len(y_train), "n_test": len(y_test), "loss": loss,
              "regions_estimate": relulp.estimate_regions(X_train)}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", relulp.NotCertifiedWarning)
        model, seconds = timed(relulp.ReLULPRegressorCV(lams=lams, cv=cv, loss=loss, time_limit=time_limit), X_train, y_train)
    result["relulp"] = {"r2": model.score(X_test, y_test), "seconds": seconds, "lam": model.lam_,
                        "status": model.status_, "gap": model.gap_, "time_limit": time_limit,
                        "neurons": int(model.n_neurons_),
                        "intercept": model.best_estimator_.intercept_, "not_certified": len(caught)}
    peers = {
        "ridge": RidgeCV(alphas=np.logspace(-3, 3, 13), cv=cv),
        "svr_rbf": GridSearchCV(SVR(kernel="rbf"), {"C": [1, 10, 100, 1000]}, cv=cv),
        "mlp": GridSearchCV(MLPRegressor(max_iter=5000, random_state=0), {"alpha": [1e-4, 1e-2, 1]}, cv=cv),
    }
    for name, estimator in peers.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted, seconds = timed(estimator, X_train, y_train)
        chosen = getattr(fitted, "alpha_", None) or getattr(fitted, "best_params_", None)
        result[name] = {"r2": fitted.score(X_test, y_test), "seconds": seconds, "chosen": chosen}
    result["loadavg_after"] = os.getloadavg()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--features", nargs="+", action="append", help="a feature set (repeat for several)")
    parser.add_argument("--loss", default="squared", choices=["l1", "squared"])
    parser.add_argument("--lams", nargs="+", type=float, default=[100, 30, 10, 3, 1])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=None, help="seconds per relulp solve (default: none)")
    args = parser.parse_args()
    for features in args.features or [["bmi"], ["bmi", "s5"]]:
        print(json.dumps(compare(features, args.loss, args.lams, args.folds, args.time_limit), default=float), flush=True)


if __name__ == "__main__":
    main()
