"""The problems of issue 22's benchmarks, written as relulp CSVs (header x1..xm,y; labels in the last column).

Every problem fixes its data, λ and loss.  Features are standardised (mean 0, population standard deviation 1);
regression targets too.  Random teachers use numpy with fixed seeds, so the files are the same on every machine.
"""
import os

import numpy as np

LAMBDA = 0.01


def standardise(a):
    """Columns (or a vector) shifted to mean 0 and scaled to population standard deviation 1."""
    a = np.asarray(a, dtype=np.float64)
    return (a - a.mean(axis=0)) / a.std(axis=0)


def diabetes(features):
    """scikit-learn's diabetes data (n = 442), its first `features` columns, features and target standardised."""
    from sklearn.datasets import load_diabetes

    data = load_diabetes(scaled=False)
    return standardise(data.data[:, :features]), standardise(data.target)


def breast_cancer():
    """scikit-learn's breast cancer data (n = 569, 30 features standardised), labels +1 benign, −1 malignant."""
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    return standardise(data.data), np.where(data.target == 1, 1.0, -1.0)


def teacher(features, n, seed, neurons=3, noise=0.05):
    """A random teacher network: x ~ N(0, I_m), `neurons` unit-norm ReLU neurons on (x, 1) with N(0, 1) outer
    weights, labels plus noise·N(0, 1)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, features))
    W = rng.standard_normal((neurons, features + 1))
    W /= np.linalg.norm(W, axis=1)[:, None]
    a = rng.standard_normal(neurons)
    Xt = np.hstack([X, np.ones((n, 1))])
    return X, np.maximum(Xt @ W.T, 0.0) @ a + noise * rng.standard_normal(n)


# name → (loader, loss, description).  λ = 0.01 throughout.
PROBLEMS = {
    "diabetes10": (lambda: diabetes(10), "l1", "diabetes, 10 features, n = 442"),
    "diabetes6": (lambda: diabetes(6), "l1", "diabetes, first 6 features, n = 442"),
    "breast-cancer": (breast_cancer, "hinge", "breast cancer, 30 features, n = 569, labels ±1"),
    "teacher10": (lambda: teacher(10, 100, seed=10), "l1", "random teacher, 10 features, n = 100"),
    "teacher6": (lambda: teacher(6, 100, seed=6), "l1", "random teacher, 6 features, n = 100"),
    "diabetes6-sq": (lambda: diabetes(6), "squared", "diabetes, first 6 features, n = 442"),
    "teacher6-sq": (lambda: teacher(6, 100, seed=6), "squared", "random teacher, 6 features, n = 100"),
    # controls that relulp certifies today: the harness's relulp records and its bound check on a real optimum
    "teacher2": (lambda: teacher(2, 100, seed=2), "l1", "random teacher, 2 features, n = 100 (control)"),
    "teacher2-sq": (lambda: teacher(2, 100, seed=2), "squared", "random teacher, 2 features, n = 100 (control)"),
}


def write_csv(path, X, y):
    """A relulp CSV: header x1..xm,y, full float64 precision."""
    header = ",".join([f"x{i + 1}" for i in range(X.shape[1])] + ["y"])
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    np.savetxt(path, np.hstack([X, y[:, None]]), delimiter=",", header=header, comments="", fmt="%.17g")


def materialise(name, directory):
    """Write problem `name` to directory/name.csv; returns (path, X, y, loss, λ, description)."""
    loader, loss, description = PROBLEMS[name]
    X, y = loader()
    path = os.path.join(directory, f"{name}.csv")
    write_csv(path, X, y)
    return path, X, y, loss, LAMBDA, description
