"""Writes the teacher instances of the pricing benchmark (issue 14) with the peers harness's generator
(benchmarks/run.py make_instance: 3 random neurons, x uniform in [-1,1]^m, noise 0.05, seed from (m, n)).

    python3 benchmarks/pricing/instances.py OUTDIR            # teacher_m{m}_n{n}.csv for the default list
    python3 benchmarks/pricing/instances.py OUTDIR 3:300 4:100
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from run import make_instance  # noqa: E402

DEFAULT = [(1, 10000), (2, 1000), (3, 100), (3, 300), (3, 1000), (4, 100), (5, 60), (6, 50), (8, 40)]

if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    pairs = [tuple(int(v) for v in a.split(":")) for a in sys.argv[2:]] or DEFAULT
    for m, n in pairs:
        path = out / f"teacher_m{m}_n{n}.csv"
        make_instance(m, n, path)
        print(path)
