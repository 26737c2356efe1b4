#!/usr/bin/env python3
"""Seeded generators for the dual-region benchmark (issue 3)."""
import random, sys

def write(path, n, m, seed):
    rng = random.Random(seed)
    names = [f"x{i+1}" for i in range(m)] + ["y"]
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        for _ in range(n):
            xs = [rng.gauss(0, 1) for _ in range(m)]
            f.write(",".join(repr(v) for v in xs + [rng.gauss(0, 1)]) + "\n")

out = sys.argv[1] if len(sys.argv) > 1 else "."
write(f"{out}/plane_n1000.csv", 1000, 2, 1)    # d = 3 with bias, ~1e6 regions
write(f"{out}/space_n100.csv", 100, 3, 2)      # d = 4 with bias, ~3.2e5 regions
write(f"{out}/line_n100000.csv", 100000, 1, 3) # d = 2 with bias, 2e5 regions
