"""Peer (b): the convex reformulation restricted to P randomly sampled activation
patterns (the approach of the `scnn` package, Pilanci & Ergen / Mishkin et al.).

Patterns D = diag(1[X~ g > 0]) for P Gaussian vectors g (deduplicated), then the same
conic program as conic.py with the cone constraints (2D - I) X~ u >= 0 on all n rows
(no facet information).  Because every sampled pattern is a true region, the optimum is a
feasible network, so its objective is >= the certified optimum of (P); the excess
measures what sampling loses.  Solver: CVXPY + Clarabel (same tolerances as conic.py).

Usage: python3 sampled.py DATA.csv --lambda L [--no-bias] --patterns P [--seed S] --json OUT
"""
import sys
import time

import numpy as np

try:
    from . import common, conic  # type: ignore
except ImportError:
    import common  # type: ignore
    import conic  # type: ignore


def sample_patterns(Xt, P, seed=0):
    rng = np.random.default_rng(seed)
    G = rng.standard_normal((P, Xt.shape[1]))  # row by row: P=100 is a prefix of P=1000
    act = Xt @ G.T > 0
    act = act.T
    act = np.unique(act, axis=0)  # note: sorts the patterns (order is irrelevant)
    act = act[act.any(axis=1)]  # the all-off pattern contributes nothing
    return act


def main(argv=None):
    ap = common.peer_arguments("sampled activation patterns (scnn-style), CVXPY/Clarabel")
    ap.add_argument("--patterns", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    t_start = time.perf_counter()
    X, y, Xt = common.load_lifted(args)
    bias = not args.no_bias
    t0 = time.perf_counter()
    act = sample_patterns(Xt, args.patterns, args.seed)
    rows = [np.arange(len(y))] * act.shape[0]
    amps, W, info = conic.solve_patterns(Xt, y, args.lam, act, rows)
    total = time.perf_counter() - t_start
    rec = common.result_record(
        f"sampled-{args.patterns}", Xt, y, args.lam, amps, W,
        data=args.data, bias=bias, patterns_requested=args.patterns, patterns=int(act.shape[0]),
        seed=args.seed, seconds=time.perf_counter() - t0, total_seconds=total, versions=common.versions(), **info,
    )
    common.write_json(args.json, rec)
    print(f"sampled P={args.patterns} ({act.shape[0]} distinct): objective={rec['objective']:.12g} "
          f"atoms={rec['atoms']} seconds={total:.2f} status={info['status']}", file=sys.stderr)


if __name__ == "__main__":
    main()
