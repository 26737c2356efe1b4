"""Peer (a): the exact finite problem handed to a generic conic solver (CVXPY + Clarabel).

For each dual region s (activation indicator D_s) two cone variables u_s, v_s in R^d:

    min (1/n) || y - sum_s D_s X~ (u_s - v_s) ||_1 + lam * sum_s (||u_s||_2 + ||v_s||_2)
    s.t. (2 D_s - I) X~ u_s >= 0,  (2 D_s - I) X~ v_s >= 0   (rows of the region's facets only)

All regions are stacked into one vector variable (R*d) and the data/constraint operators
are assembled as scipy sparse matrices (vectorised model building).  The solution is
turned into atoms a = +||u_s|| at u_s/||u_s||, a = -||v_s|| at v_s/||v_s||, and the
objective of (P) is recomputed from those atoms with common.objective.

Usage: python3 conic.py DATA.csv --lambda L [--no-bias] [--regions REGIONS.json] --json OUT
(without --regions the regions come from regions.py, timed separately).
"""
import sys
import time

import numpy as np
import scipy.sparse as sp

try:
    from . import common, regions  # type: ignore
except ImportError:
    import common  # type: ignore
    import regions  # type: ignore


def build_operators(Xt, act, rows):
    """act: (R, n) bool activation matrix; rows: list (len R) of constraint row indices.
    Returns F (n x R*d) with f = F vec(U) and G (#constraints x R*d) with G vec(U) >= 0,
    vec row-major (region s occupies columns s*d .. s*d+d-1)."""
    R, n = act.shape
    d = Xt.shape[1]
    s_idx, j_idx = np.nonzero(act)
    kk = np.arange(d)
    F = sp.csr_matrix(
        (Xt[j_idx].reshape(-1), (np.repeat(j_idx, d), (s_idx[:, None] * d + kk[None, :]).reshape(-1))),
        shape=(n, R * d),
    )
    lens = np.fromiter((len(r) for r in rows), dtype=np.int64, count=R)
    cs = np.repeat(np.arange(R), lens)
    cj = np.concatenate([np.asarray(r, dtype=np.int64) for r in rows]) if lens.sum() else np.zeros(0, np.int64)
    sign = np.where(act[cs, cj], 1.0, -1.0)
    m = len(cs)
    G = sp.csr_matrix(
        ((sign[:, None] * Xt[cj]).reshape(-1), (np.repeat(np.arange(m), d), (cs[:, None] * d + kk[None, :]).reshape(-1))),
        shape=(m, R * d),
    )
    return F, G


# Clarabel's defaults (1e-8) leave ~1e-6 relative error in the objective recomputed from
# the atoms; these reach ~1e-9 for two or three extra iterations.
CLARABEL_TIGHT = dict(tol_gap_abs=1e-10, tol_gap_rel=1e-10, tol_feas=1e-10, tol_ktratio=1e-8)


def solve_patterns(Xt, y, lam, act, rows, solver="CLARABEL", verbose=False, solver_opts=None, loss="l1"):
    """Solve the convex program over the given activation patterns.  Returns (amps, W, info).
    loss "l1": (1/n) sum |y - f| (problem (P)); "squared": (1/2n) sum (y - f)^2 (relulp --loss squared)."""
    import cvxpy as cp

    n, d = Xt.shape
    R = act.shape[0]
    t0 = time.perf_counter()
    F, G = build_operators(Xt, act, rows)
    u = cp.Variable(R * d)
    v = cp.Variable(R * d)
    Ur = cp.reshape(u, (R, d), order="C")
    Vr = cp.reshape(v, (R, d), order="C")
    residual = y - F @ (u - v)
    data = 0.5 * cp.sum_squares(residual) / n if loss == "squared" else cp.sum(cp.abs(residual)) / n
    obj = data + lam * (cp.sum(cp.norm(Ur, 2, axis=1)) + cp.sum(cp.norm(Vr, 2, axis=1)))
    cons = [G @ u >= 0, G @ v >= 0] if G.shape[0] else []
    prob = cp.Problem(cp.Minimize(obj), cons)
    t_build = time.perf_counter() - t0
    t1 = time.perf_counter()
    opts = dict(CLARABEL_TIGHT) if (solver_opts is None and solver == "CLARABEL") else dict(solver_opts or {})
    prob.solve(solver=solver, verbose=verbose, **opts)
    t_solve_call = time.perf_counter() - t1
    stats = prob.solver_stats
    solver_seconds = float(stats.solve_time) if stats and stats.solve_time is not None else None
    compile_seconds = float(getattr(prob, "compilation_time", None) or 0.0) or None
    if u.value is None:
        raise RuntimeError(f"conic solver status {prob.status}")
    Uv = np.asarray(u.value).reshape(R, d)
    Vv = np.asarray(v.value).reshape(R, d)
    nu = np.linalg.norm(Uv, axis=1)
    nv = np.linalg.norm(Vv, axis=1)
    amps = np.concatenate([nu, -nv])
    W = np.vstack([Uv, Vv])
    keep = np.abs(amps) > 0
    W = W[keep] / np.abs(amps[keep])[:, None]
    amps = amps[keep]
    info = {
        "status": prob.status,
        "solver_value": float(prob.value),
        "build_seconds": t_build,
        "solve_call_seconds": t_solve_call,
        "compile_seconds": compile_seconds,
        "solver_seconds": solver_seconds,
        "iterations": getattr(stats, "num_iters", None),
        "variables": int(2 * R * d),
        "constraint_rows": int(2 * G.shape[0]),
        "F_nnz": int(F.nnz),
        "G_nnz": int(G.nnz),
    }
    return amps, W, info


def main(argv=None):
    ap = common.peer_arguments("exact finite problem in CVXPY/Clarabel")
    ap.add_argument("--regions", help="JSON from `relulp regions --list --json` (or regions.py)")
    ap.add_argument("--all-rows", action="store_true", help="constrain every row, not only facets")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    t_start = time.perf_counter()
    X, y, Xt = common.load_lifted(args)
    bias = not args.no_bias
    t0 = time.perf_counter()
    if args.regions:
        reg = regions.load_regions(args.regions)
        source = args.regions
    else:
        reg = regions.enumerate_regions(Xt)
        source = "regions.py"
    act, facets = regions.signs_and_facets(reg)
    t_regions = time.perf_counter() - t0
    rows = [list(range(len(y)))] * act.shape[0] if args.all_rows else facets
    amps, W, info = solve_patterns(Xt, y, args.lam, act, rows, verbose=args.verbose)
    total = time.perf_counter() - t_start
    rec = common.result_record(
        "conic", Xt, y, args.lam, amps, W,
        data=args.data, bias=bias, regions=int(act.shape[0]), regions_source=source,
        regions_seconds=t_regions, seconds=info["build_seconds"] + info["solve_call_seconds"],
        total_seconds=total, versions=common.versions(), **info,
    )
    rec["model"] = {"amplitudes": amps.tolist(), "weights": W.tolist()} if len(amps) <= 20000 else None
    common.write_json(args.json, rec)
    print(f"conic: objective={rec['objective']:.12g} atoms={rec['atoms']} regions={rec['regions']} "
          f"build={info['build_seconds']:.2f}s solve={info['solve_call_seconds']:.2f}s status={info['status']}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
