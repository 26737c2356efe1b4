"""Peer (c): a finite-width two-layer ReLU network trained with Adam on the objective of (P).

    f(x) = sum_i c_i relu(<u_i, x~>)            (bias folded into x~)
    loss = (1/n) sum_j |y_j - f(x_j)| + lam * sum_i |c_i| ||u_i||_2   (path norm = TV)

Full-batch Adam (beta = 0.9, 0.999), a fixed budget of steps (default 5000), learning rate
lr0 = 1e-2 with cosine decay to lr0 * 1e-3 at the last step; initialisation
u_i ~ N(0, I/d), c_i ~ N(0, 1/width).  The reported objective is recomputed in float64
with common.objective from the final weights (a_i = c_i ||u_i||, w_i = u_i/||u_i||), together
with the number of neurons with |c_i| ||u_i|| > 1e-6 * total.

Backend: PyTorch (float32 training, CPU) when importable, else the same loop in numpy
(float64, hand-written subgradients).  `--backend numpy` forces the numpy loop.

Usage: python3 adam.py DATA.csv --lambda L [--no-bias] --width W [--seed S] [--steps N] --json OUT
"""
import math
import sys
import time

import numpy as np

try:
    from . import common  # type: ignore
except ImportError:
    import common  # type: ignore


def lr_at(step, steps, lr0):
    return lr0 * (1e-3 + (1 - 1e-3) * 0.5 * (1 + math.cos(math.pi * step / max(1, steps - 1))))


def init(width, d, seed):
    rng = np.random.default_rng(seed)
    U = rng.standard_normal((width, d)) / math.sqrt(d)
    c = rng.standard_normal(width) / math.sqrt(width)
    return U, c


def train_torch(Xt, y, lam, width, seed, steps, lr0):
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)  # tiny tensors: threads only add overhead (and the machine has 2 cores)
    U0, c0 = init(width, Xt.shape[1], seed)
    X = torch.tensor(Xt, dtype=torch.float32)
    Y = torch.tensor(y, dtype=torch.float32)
    U = torch.tensor(U0, dtype=torch.float32, requires_grad=True)
    c = torch.tensor(c0, dtype=torch.float32, requires_grad=True)
    opt = torch.optim.Adam([U, c], lr=lr0, betas=(0.9, 0.999))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: lr_at(k, steps, lr0) / lr0)
    for _ in range(steps):
        opt.zero_grad(set_to_none=True)
        f = torch.relu(X @ U.T) @ c
        loss = (Y - f).abs().mean() + lam * (c.abs() * U.norm(dim=1)).sum()
        loss.backward()
        opt.step()
        sched.step()
    return U.detach().double().numpy(), c.detach().double().numpy(), "torch " + torch.__version__


def train_numpy(Xt, y, lam, width, seed, steps, lr0):
    n = len(y)
    U, c = init(width, Xt.shape[1], seed)
    b1, b2, eps = 0.9, 0.999, 1e-8
    mU = np.zeros_like(U); vU = np.zeros_like(U)
    mc = np.zeros_like(c); vc = np.zeros_like(c)
    for k in range(steps):
        Z = Xt @ U.T
        H = np.maximum(Z, 0.0)
        r = y - H @ c
        g = -np.sign(r) / n  # d loss / d f
        nu = np.linalg.norm(U, axis=1)
        gc = H.T @ g + lam * np.sign(c) * nu
        safe = np.where(nu > 0, nu, 1.0)
        gU = ((g[:, None] * (Z > 0)) * c[None, :]).T @ Xt + lam * (np.abs(c) / safe)[:, None] * U
        lr = lr_at(k, steps, lr0)
        t = k + 1
        for p, gr, m, v in ((U, gU, mU, vU), (c, gc, mc, vc)):
            m *= b1; m += (1 - b1) * gr
            v *= b2; v += (1 - b2) * gr * gr
            p -= lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
    return U, c, "numpy " + np.__version__


def main(argv=None):
    ap = common.peer_arguments("wide ReLU net trained with Adam on (P)")
    ap.add_argument("--width", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--steps", type=int, default=5000)
    ap.add_argument("--lr", type=float, default=1e-2)
    ap.add_argument("--backend", choices=["auto", "torch", "numpy"], default="auto")
    args = ap.parse_args(argv)
    t_start = time.perf_counter()
    X, y, Xt = common.load_lifted(args)
    bias = not args.no_bias
    backend = args.backend
    if backend == "auto":
        try:
            import torch  # noqa: F401
            backend = "torch"
        except Exception:
            backend = "numpy"
    trainer = train_torch if backend == "torch" else train_numpy
    t0 = time.perf_counter()
    U, c, impl = trainer(Xt, y, args.lam, args.width, args.seed, args.steps, args.lr)
    seconds = time.perf_counter() - t0
    amps, W = common.normalise_neurons(c, U)
    rec = common.result_record(
        f"adam-{args.width}", Xt, y, args.lam, amps, W,
        data=args.data, bias=bias, width=args.width, seed=args.seed, steps=args.steps, lr0=args.lr,
        backend=impl, seconds=seconds, total_seconds=time.perf_counter() - t_start, versions=common.versions(),
    )
    common.write_json(args.json, rec)
    print(f"adam width={args.width} seed={args.seed} [{impl}]: objective={rec['objective']:.10g} "
          f"atoms={rec['atoms']}/{args.width} seconds={seconds:.2f}", file=sys.stderr)


if __name__ == "__main__":
    main()
