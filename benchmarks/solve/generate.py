#!/usr/bin/env python3
"""Seeded teacher-network data for the exact-training benchmark (issue 4).

y = sum_k c_k relu(<u_k, (x, 1)>) + 0.05 N(0,1), x uniform in [-1,1]^m, 3 random neurons
(u_k ~ N(0, I_{m+1}), c_k ~ N(0, 1)).  Standard library only, so the data are reproducible
without numpy.  Usage: generate.py OUT_DIR
"""
import random, sys

NEURONS, NOISE = 3, 0.05

def write(path, n, m, seed):
    rng = random.Random(seed)
    teacher = [([rng.gauss(0, 1) for _ in range(m + 1)], rng.gauss(0, 1)) for _ in range(NEURONS)]
    with open(path, "w") as f:
        f.write(",".join([f"x{i+1}" for i in range(m)] + ["y"]) + "\n")
        for _ in range(n):
            x = [rng.uniform(-1, 1) for _ in range(m)]
            xt = x + [1.0]
            y = sum(c * max(0.0, sum(a * b for a, b in zip(u, xt))) for u, c in teacher)
            y += NOISE * rng.gauss(0, 1)
            f.write(",".join(repr(v) for v in x + [y]) + "\n")

if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    write(f"{out}/plane_n120.csv", 120, 2, 4120)
    write(f"{out}/plane_n1000.csv", 1000, 2, 41000)
    write(f"{out}/line_n10000.csv", 10000, 1, 410000)
    write(f"{out}/line_n100000.csv", 100000, 1, 4100000)
    write(f"{out}/space_n100.csv", 100, 3, 4100)
