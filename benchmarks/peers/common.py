"""Shared helpers for the peer benchmarks: data loading, lifting, and the
objective of (P) computed one way for everyone (docs/mathematics.md, section 1).

J(mu) = (1/n) sum_j |y_j - f(x_j)| + lam * sum_i |a_i|,  f(x) = sum_i a_i relu(<w_i, x~>),
with ||w_i|| = 1.  Unnormalised neurons c*relu(<u, x~>) are normalised first
(a = c*||u||, w = u/||u||), so the TV term is the path norm sum |c_i| ||u_i||.
Everything is float64.
"""
import csv
import json
import os
import platform
import sys

import numpy as np

SPARSITY_REL = 1e-6  # a neuron counts when |a| ||w|| > 1e-6 * total variation


def peer_arguments(description):
    """The command line every peer shares: DATA.csv --lambda L [--no-bias] [--json OUT]."""
    import argparse
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("data")
    ap.add_argument("--lambda", dest="lam", type=float, required=True)
    ap.add_argument("--no-bias", action="store_true")
    ap.add_argument("--json", default="-")
    return ap


def load_lifted(args):
    """X, y and the lifted inputs X̃ of a peer's DATA.csv, as its arguments ask."""
    X, y, _ = load_csv(args.data)
    return X, y, lift(X, not args.no_bias)


def load_csv(path):
    """Read a CSV with header x1..xm,y.  Returns X (n x m), y (n,), feature names."""
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    header = [h.strip() for h in rows[0]]
    data = np.array([[float(v) for v in r] for r in rows[1:] if r], dtype=np.float64)
    if "y" in header:
        yi = header.index("y")
    else:
        yi = len(header) - 1
    xi = [i for i in range(len(header)) if i != yi]
    return data[:, xi], data[:, yi], [header[i] for i in xi]


def lift(X, bias=True):
    """x~_j = (x_j, 1) with bias (last coordinate), x_j without."""
    X = np.asarray(X, dtype=np.float64)
    if bias:
        return np.hstack([X, np.ones((X.shape[0], 1))])
    return X.copy()


def normalise_neurons(c, U):
    """(c_i, u_i) -> (a_i, w_i) with ||w_i|| = 1, a_i = c_i ||u_i||; zero neurons dropped."""
    c = np.asarray(c, dtype=np.float64).reshape(-1)
    U = np.asarray(U, dtype=np.float64).reshape(len(c), -1)
    norms = np.linalg.norm(U, axis=1)
    keep = norms > 0
    return c[keep] * norms[keep], U[keep] / norms[keep][:, None]


def predict(Xt, amps, W):
    amps = np.asarray(amps, dtype=np.float64).reshape(-1)
    if amps.size == 0:
        return np.zeros(Xt.shape[0])
    W = np.asarray(W, dtype=np.float64).reshape(len(amps), -1)
    return np.maximum(Xt @ W.T, 0.0) @ amps


def objective(Xt, y, lam, amps, W, loss="l1"):
    """Objective of (P) for the finite measure sum_i a_i delta_{w_i} (||w_i|| = 1):
    loss "l1": (1/n) sum |y - f|, "squared": (1/2n) sum (y - f)^2, plus lam * TV."""
    f = predict(Xt, amps, W)
    n = len(y)
    if loss == "squared":
        data = 0.5 * float(np.sum((y - f) ** 2)) / n
    elif loss == "l1":
        data = float(np.sum(np.abs(y - f))) / n
    else:
        raise ValueError(f"loss {loss!r} not supported here")
    return float(data + lam * np.sum(np.abs(amps)))


def count_atoms(amps, rel=SPARSITY_REL):
    a = np.abs(np.asarray(amps, dtype=np.float64))
    tot = a.sum()
    if tot == 0:
        return 0
    return int(np.sum(a > rel * tot))


def merge_atoms(amps, W, tol=1e-9):
    """Merge atoms with numerically equal direction and equal sign (exact on the data)."""
    amps = np.asarray(amps, dtype=np.float64)
    W = np.asarray(W, dtype=np.float64)
    out_a, out_w = [], []
    for a, w in zip(amps, W):
        for k in range(len(out_a)):
            if np.sign(out_a[k]) == np.sign(a) and np.linalg.norm(out_w[k] - w) < tol:
                out_a[k] += a
                break
        else:
            out_a.append(a)
            out_w.append(w)
    return np.array(out_a), np.array(out_w).reshape(len(out_a), W.shape[1] if W.ndim == 2 else 0)


def result_record(peer, Xt, y, lam, amps, W, loss="l1", **extra):
    amps = np.asarray(amps, dtype=np.float64).reshape(-1)
    W = np.asarray(W, dtype=np.float64).reshape(len(amps), Xt.shape[1])
    rec = {
        "peer": peer,
        "n": int(len(y)),
        "d": int(Xt.shape[1]),
        "lambda": float(lam),
        "loss": loss,
        "objective": objective(Xt, y, lam, amps, W, loss),
        "atoms": count_atoms(amps),
        "atoms_total": int(len(amps)),
        "total_variation": float(np.sum(np.abs(amps))),
    }
    rec.update(extra)
    return rec


def relulp_model_objective(model_path, csv_path=None):
    """Objective of (P) for a relulp model JSON (format relulp-model v1), recomputed
    here with the same formula as the peers.  Returns (objective, atoms, model dict)."""
    with open(model_path) as fh:
        model = json.load(fh)
    if csv_path is None:
        raise ValueError("csv_path is required (the model does not embed the data)")
    X, y, _ = load_csv(csv_path)
    bias = bool(model.get("bias", True))
    Xt = lift(X, bias)
    atoms = model.get("atoms", [])
    amps = np.array([a["amplitude"] for a in atoms], dtype=np.float64)
    W = np.array([a["weights"] for a in atoms], dtype=np.float64).reshape(len(atoms), Xt.shape[1])
    # weights are documented as unit vectors; normalise defensively (exact by homogeneity)
    if len(atoms):
        amps, W = normalise_neurons(amps, W)
    loss = "squared" if model.get("loss") == "squared" else "l1"
    return objective(Xt, y, float(model["lambda"]), amps, W, loss), count_atoms(amps), model


def rel_excess(value, reference):
    return (value - reference) / max(1.0, abs(reference))


def write_json(path, obj):
    if path in (None, "-"):
        json.dump(obj, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(obj, fh, indent=1)
    os.replace(tmp, path)


def versions(import_all=False):
    """Versions of the packages in use (import_all: also import the ones not loaded yet)."""
    out = {"python": platform.python_version(), "numpy": np.__version__}
    for mod in ("scipy", "cvxpy", "clarabel", "torch"):
        if not import_all and mod not in sys.modules:
            continue
        try:
            m = __import__(mod)
            out[mod] = getattr(m, "__version__", "?")
        except Exception:
            pass
    return out
