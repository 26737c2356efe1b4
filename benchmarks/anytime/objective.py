"""The objective of (P), recomputed in numpy independently of relulp (docs/mathematics.md §1 and §4, "Other losses").

    J(μ) = data term + λ Σ_i |a_i|,   f(x) = Σ_i a_i σ(⟨w_i, x̃⟩),   x̃ = (x, 1) (or x with --no-bias),  ‖w_i‖ = 1

with the data terms  L1: (1/n) Σ |y − f|,  squared: (1/2n) Σ (y − f)²,  hinge: (1/n) Σ max(0, 1 − y f) (y = ±1).
A network c_i σ(⟨u_i, x̃⟩) is normalised first (a_i = c_i ‖u_i‖, w_i = u_i/‖u_i‖): the TV term is its path norm.
"""
import csv
import json

import numpy as np

LOSSES = ("l1", "squared", "hinge")


def read_csv(path):
    """Header and float64 rows of a relulp CSV (first row: column names)."""
    with open(path, newline="") as fh:
        rows = [r for r in csv.reader(fh) if r]
    header = [h.strip() for h in rows[0]]
    return header, np.array([[float(v) for v in r] for r in rows[1:]], dtype=np.float64)


def lift(X, bias=True):
    """x̃_j = (x_j, 1) with the bias (the constant last), x_j without."""
    X = np.asarray(X, dtype=np.float64)
    return np.hstack([X, np.ones((X.shape[0], 1))]) if bias else X.copy()


def normalise(c, U):
    """(c_i, u_i) → (a_i, w_i) with ‖w_i‖ = 1 and a_i = c_i ‖u_i‖; neurons with u_i = 0 contribute nothing."""
    c = np.asarray(c, dtype=np.float64).reshape(-1)
    U = np.asarray(U, dtype=np.float64)
    U = U.reshape(len(c), U.shape[-1] if len(c) == 0 else -1)  # -1 cannot be inferred for zero neurons
    norms = np.linalg.norm(U, axis=1)
    keep = norms > 0
    return c[keep] * norms[keep], U[keep] / norms[keep][:, None]


def data_term(y, f, loss):
    """The loss part of (P) for labels y and predictions f."""
    n = len(y)
    if loss == "l1":
        return float(np.sum(np.abs(y - f))) / n
    if loss == "squared":
        return 0.5 * float(np.sum((y - f) ** 2)) / n
    if loss == "hinge":
        return float(np.sum(np.maximum(0.0, 1.0 - y * f))) / n
    raise ValueError(f"unknown loss {loss!r} (one of {', '.join(LOSSES)})")


def objective(Xt, y, lam, amps, W, loss):
    """(J, data term, TV) of the measure Σ a_i δ_{w_i}; W's rows are normalised here (exact by homogeneity)."""
    amps, W = normalise(amps, np.asarray(W, dtype=np.float64).reshape(len(np.ravel(amps)), Xt.shape[1]))
    f = np.maximum(Xt @ W.T, 0.0) @ amps if len(amps) else np.zeros(len(y))
    data = data_term(y, f, loss)
    tv = float(np.sum(np.abs(amps)))
    return data + lam * tv, data, tv


def model_objective(model_path, csv_path):
    """Recompute a relulp model's objective on its data: a dict with the recomputed and the stored values."""
    with open(model_path) as fh:
        model = json.load(fh)
    header, rows = read_csv(csv_path)
    target = model.get("target", "y")
    features = model.get("features") or [h for h in header if h != target]
    X = rows[:, [header.index(f) for f in features]]
    y = rows[:, header.index(target)]
    loss = model.get("loss", "l1")
    if loss == "hinge":
        negative, positive = model["classes"]
        if not np.all((y == negative) | (y == positive)):
            raise ValueError(f"{csv_path}: a label is neither class {negative} nor {positive}")
        y = np.where(y == positive, 1.0, -1.0)
    if loss not in LOSSES:
        raise ValueError(f"{model_path}: loss {loss!r} is not one of {', '.join(LOSSES)}")
    Xt = lift(X, bool(model.get("bias", True)))
    atoms = model.get("atoms", [])
    amps = np.array([a["amplitude"] for a in atoms], dtype=np.float64)
    W = np.array([a["weights"] for a in atoms], dtype=np.float64).reshape(len(atoms), Xt.shape[1])
    J, data, tv = objective(Xt, y, float(model["lambda"]), amps, W, loss)
    return {
        "objective": J, "dataLoss": data, "totalVariation": tv, "loss": loss, "n": len(y),
        "stored": {k: model.get(k) for k in ("objective", "dataLoss", "totalVariation", "lowerBound", "gap", "status")},
    }


def main(argv=None):
    import argparse

    ap = argparse.ArgumentParser(description="recompute a relulp model's objective of (P) in numpy")
    ap.add_argument("model")
    ap.add_argument("data")
    args = ap.parse_args(argv)
    r = model_objective(args.model, args.data)
    s = r["stored"]
    for key in ("objective", "dataLoss", "totalVariation"):
        stored = s.get(key)
        diff = "" if stored is None else f"  stored {stored:.15g}  difference {r[key] - stored:.3g}"
        print(f"{key:15s} {r[key]:.15g}{diff}")
    print(f"status {s.get('status')}  lowerBound {s.get('lowerBound')}  gap {s.get('gap')}")


if __name__ == "__main__":
    main()
