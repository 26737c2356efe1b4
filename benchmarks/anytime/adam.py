"""Full-batch Adam on a width-W two-layer ReLU network for a fixed wall time, scored by the objective of (P).

    f(x) = Σ_i c_i σ(⟨u_i, x̃⟩),   minimised:  data term + λ Σ_i |c_i| ‖u_i‖   (path norm = TV of the normalised
    measure, docs/mathematics.md §1)

Hand-written (sub)gradients in numpy float64; β = (0.9, 0.999); learning rate lr0 with a cosine decay over the
*wall time* to lr0·1e-3 at the deadline; init u_i ~ N(0, I/d), c_i ~ N(0, 1/W).  Every `check` steps the network is
normalised and scored by objective.objective (the evaluator relulp's models are checked with); the best score and
the time it was reached are recorded, with a trace of improvements.
"""
import math
import time

import numpy as np

import objective as obj


def loss_gradient(y, f, loss):
    """d(data term)/df, a (sub)gradient."""
    n = len(y)
    if loss == "l1":
        return -np.sign(y - f) / n
    if loss == "squared":
        return (f - y) / n
    if loss == "hinge":
        return np.where(y * f < 1.0, -y, 0.0) / n
    raise ValueError(f"unknown loss {loss!r}")


def gradients(Xt, y, lam, loss, U, c):
    """(d/dU, d/dc) of  data term(y, Σ_i c_i σ(X̃ u_i)) + λ Σ_i |c_i| ‖u_i‖  (subgradients at kinks)."""
    Z = Xt @ U.T
    H = np.maximum(Z, 0.0)
    g = loss_gradient(y, H @ c, loss)
    nu = np.linalg.norm(U, axis=1)
    gc = H.T @ g + lam * np.sign(c) * nu
    gU = ((g[:, None] * (Z > 0)) * c[None, :]).T @ Xt + lam * (np.abs(c) / np.where(nu > 0, nu, 1.0))[:, None] * U
    return gU, gc


def train(Xt, y, lam, loss, width, seconds, seed=0, lr0=1e-2, check=20):
    """Adam for `seconds` of wall time; returns the best objective, when it was reached, steps and a trace."""
    rng = np.random.default_rng(seed)
    d = Xt.shape[1]
    U = rng.standard_normal((width, d)) / math.sqrt(d)
    c = rng.standard_normal(width) / math.sqrt(width)
    m = [np.zeros_like(U), np.zeros_like(c)]
    v = [np.zeros_like(U), np.zeros_like(c)]
    b1, b2, eps = 0.9, 0.999, 1e-8
    best, best_at, best_net, trace = math.inf, 0.0, None, []
    start = time.perf_counter()
    step = 0
    while True:
        elapsed = time.perf_counter() - start
        if step % check == 0:
            J = obj.objective(Xt, y, lam, c, U, loss)[0]
            if J < best:
                best, best_at, best_net = J, elapsed, (c.copy(), U.copy())
                trace.append((round(elapsed, 3), J))
        if elapsed >= seconds:
            break
        gU, gc = gradients(Xt, y, lam, loss, U, c)
        lr = lr0 * (1e-3 + (1 - 1e-3) * 0.5 * (1 + math.cos(math.pi * min(1.0, elapsed / seconds))))
        step += 1
        for k, (p, gr) in enumerate(((U, gU), (c, gc))):
            m[k] = b1 * m[k] + (1 - b1) * gr
            v[k] = b2 * v[k] + (1 - b2) * gr * gr
            p -= lr * (m[k] / (1 - b1**step)) / (np.sqrt(v[k] / (1 - b2**step)) + eps)
    return {
        "method": f"adam-{width}", "objective": best, "best_at": best_at, "steps": step,
        "seconds": time.perf_counter() - start, "trace": trace, "network": best_net,
    }
