"""The peer bound: the doubly non-negative (DNN) SDP relaxation of Prakhya, Birdal and Yurtsever (ICLR 2025,
arXiv 2410.22311) for the squared loss, built with CVXPY (docs/mathematics.md, "The SDP peer bound").

A neuron c σ(⟨u, x̃⟩) is lifted to λ = (α, β, u, c) ∈ R^{2n+d+1} with α = σ(X̃u), β = σ(−X̃u), so that
X̃u = α − β, α ∘ β = 0 and α, β ≥ 0.  A network is Λ = Σ_k λ_k λ_kᵀ (completely positive in the α, β block).
The relaxation keeps what is linear in Λ and replaces complete positivity by Λ ⪰ 0 with a non-negative α, β block:

    minimise   ½ ‖Λ_{α,c} − y‖² + (β_reg/2) (tr Λ_{u,u} + Λ_{c,c})
    subject to M Λ Mᵀ = 0  (M = [−I, I, X̃, 0], i.e. X̃u = α − β),   diag Λ_{α,β} = 0,   Λ_{αβ-block} ≥ 0,   Λ ⪰ 0.

With β_reg = n λ its value divided by n is ≤ the optimum of (P) with the squared loss (1/2n)‖y − f‖² + λ TV.  On
a subset S of the points with the same β_reg = n λ (n the full count), dropping the other points' loss terms only
lowers every network's objective, so the value over n is still a valid, weaker lower bound for the full problem.
"""
import time

import numpy as np
import scipy.sparse as sp


def dnn_bound(Xt, y, lam, points=None, seed=0, time_limit=None):
    """Lower bound on min J for the squared loss from the DNN relaxation on `points` rows (all when None).

    Λ = N G Nᵀ with G ⪰ 0 over z = (α, u, c) and N the lift z ↦ (α, α − X̃u, u, c): the equalities M Λ Mᵀ = 0 hold
    by construction (they confine Λ to the null space of M; writing it so restores an interior for the solver).
    Returns a dict: bound (Clarabel's dual objective over n, None unless it solved or almost solved), the primal
    and dual objectives over n, Clarabel's status, points used, matrix size, seconds."""
    import cvxpy as cp

    n_full = len(y)
    rows = np.sort(np.random.default_rng(seed).permutation(n_full)[: points or n_full])  # nested in `points`
    X, t = Xt[rows], y[rows]
    n, d = X.shape
    G = cp.Variable((n + d + 1, n + d + 1), PSD=True)
    a, u, c = slice(0, n), slice(n, n + d), n + d
    Gaa, Gau, Guu = G[a, a], G[a, u], G[u, u]
    lam_aa = Gaa
    lam_ab = Gaa - Gau @ X.T
    lam_bb = lam_ab - X @ Gau.T + X @ Guu @ X.T
    off = ~np.eye(n, dtype=bool)
    reg = n_full * lam
    cost = 0.5 * cp.sum_squares(G[a, c] - t) + 0.5 * reg * (cp.trace(Guu) + G[c, c])
    constraints = [
        cp.diag(lam_ab) == 0,
        lam_ab[off] >= 0,
        cp.upper_tri(lam_aa) >= 0,  # the diagonals of the α and β blocks are ≥ 0 by Λ ⪰ 0 already
        cp.upper_tri(lam_bb) >= 0,
    ]
    problem = cp.Problem(cp.Minimize(cost), constraints)
    start = time.perf_counter()
    primal, dual, status = solve_clarabel(problem, time_limit)
    seconds = time.perf_counter() - start
    bound = dual / n_full if dual is not None and status in ("Solved", "AlmostSolved") else None
    return {
        "method": "sdp-dnn", "bound": bound, "primal": None if primal is None else primal / n_full,
        "dual": None if dual is None else dual / n_full, "status": status, "points": int(n),
        "n": int(n_full), "matrix": int(n + d + 1), "solver": "clarabel", "seconds": seconds,
    }


def solve_clarabel(problem, time_limit=None):
    """Solve a CVXPY problem with Clarabel directly, to read its dual objective (CVXPY keeps only the primal).

    Returns (primal objective, dual objective, Clarabel's status), both objectives with CVXPY's constant offset."""
    import cvxpy as cp

    data, chain, inverse = problem.get_problem_data(cp.CLARABEL)
    options = {"time_limit": float(time_limit)} if time_limit else {}
    solution = chain.solver.solve_via_data(data, False, False, options)
    offset = inverse[-1][cp.settings.OFFSET]
    status = str(solution.status)
    primal = float(solution.obj_val) + float(offset)
    dual = float(solution.obj_val_dual) + float(offset)
    finite = np.isfinite(primal) and np.isfinite(dual)
    return (primal, dual, status) if finite else (None, None, status)


def dnn_bound_within(Xt, y, lam, seconds, first=20, growth=1.4, seed=0):
    """The best SDP bound reachable in `seconds`: nested subsets of 20, 28, 40, 56, … points (one seeded order, so each
    subset contains the last and the bounds only grow), each solved with the time left, until the time is out or
    every point is in.  Returns the record of the largest solved subset (bound None if none solved), with the tries."""
    start = time.perf_counter()
    points, tries, best = first, [], None
    while True:
        left = seconds - (time.perf_counter() - start)
        if left <= 0:
            break
        record = dnn_bound(Xt, y, lam, points=min(points, len(y)), seed=seed, time_limit=left)
        tries.append({k: record[k] for k in ("points", "bound", "status", "seconds")})
        if record["bound"] is None:
            break
        best = record
        if points >= len(y):
            break
        points = int(np.ceil(points * growth))
    result = dict(best) if best else {"method": "sdp-dnn", "bound": None, "primal": None, "dual": None,
                                      "status": tries[-1]["status"] if tries else "no time", "points": 0,
                                      "n": len(y), "matrix": 0, "solver": "clarabel"}
    result.update(seconds=time.perf_counter() - start, tries=tries)
    return result
