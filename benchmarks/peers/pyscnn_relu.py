"""Peer: the real `pyscnn` package (PyPI pyscnn 0.0.10, module `scnn`; Mishkin, Sahiner & Pilanci), the
convex reformulation of a two-layer ReLU network over P *sampled* activation patterns, solved by its
augmented-Lagrangian method (`scnn.solvers.AL`, the solver `scnn.optimize` uses for formulation "relu").

Same problem as `relulp solve --loss squared`: scnn's objective is (1/(2n)) ||y - f||^2 + lam * sum_i ||v_i||
(`ConvexMLP._objective` divides the summed squares by 2n; `NeuronGL1(lam)` is lam * sum of group norms), and
its group norm of a convex neuron v_i equals the path norm |a_i| ||w_i|| of the ReLU neuron it maps to. To
keep the two problems identical, scnn gets the lifted inputs x~ = (x, 1) with its own `bias=False` (so the
bias is a weight inside the group norm, as in relulp), `unitize_data=False` (its column scaling would change
the regulariser's geometry), float64 on the CPU. The objective is recomputed here (benchmarks/peers/common.py)
from the ReLU network scnn returns, not taken from scnn.

Usage: python3 pyscnn_relu.py DATA.csv --lambda L [--no-bias] --patterns P [--tol T] [--seed S] --json OUT
"""
import sys
import time

import numpy as np

try:
    from . import common  # type: ignore
except ImportError:
    import common  # type: ignore


def main(argv=None):
    ap = common.peer_arguments("pyscnn (scnn 0.0.10): convex ReLU reformulation over sampled patterns, AL solver")
    ap.add_argument("--patterns", type=int, default=1000, help="gate vectors sampled (scnn's max_neurons / 2)")
    ap.add_argument("--tol", type=float, default=1e-6, help="AL tolerance (tol and constraint_tol; scnn's default 1e-6)")
    ap.add_argument("--seed", type=int, default=778, help="scnn's default seed")
    args = ap.parse_args(argv)
    t_start = time.perf_counter()
    X, y, Xt = common.load_lifted(args)
    bias = not args.no_bias
    from scnn.activations import sample_gate_vectors
    from scnn.metrics import Metrics
    from scnn.models import ConvexReLU
    from scnn.optimize import optimize_model
    from scnn.regularizers import NeuronGL1
    from scnn.solvers import AL
    import scnn
    t0 = time.perf_counter()
    G = sample_gate_vectors(args.seed, Xt.shape[1], args.patterns)
    model = ConvexReLU(G, c=1, bias=False)
    solver = AL(model, tol=args.tol, constraint_tol=args.tol)
    nc_model, metrics = optimize_model(model, solver, Metrics(), Xt, y, regularizer=NeuronGL1(args.lam),
                                       unitize_data=False, device="cpu", dtype="float64", seed=args.seed)
    seconds = time.perf_counter() - t0
    # The ReLU network: f(x) = sum_i c_i relu(<u_i, x~>), parameters [U (p x d), c (1 x p)].
    U, c = (np.asarray(p, dtype=np.float64) for p in nc_model.parameters)
    amps, W = common.normalise_neurons(c.reshape(-1), U)
    rec = common.result_record(
        f"pyscnn-{args.patterns}", Xt, y, args.lam, amps, W, loss="squared",
        data=args.data, bias=bias, patterns_requested=args.patterns, tol=args.tol, seed=args.seed,
        seconds=seconds, total_seconds=time.perf_counter() - t_start,
        versions=dict(common.versions(), scnn=getattr(scnn, "__version__", "0.0.10")), status="done",
    )
    common.write_json(args.json, rec)
    print(f"pyscnn P={args.patterns} tol={args.tol:g}: objective={rec['objective']:.12g} atoms={rec['atoms']} "
          f"seconds={seconds:.2f}", file=sys.stderr)


if __name__ == "__main__":
    main()
