#!/usr/bin/env python3
"""Markdown table of benchmarks/solve/run.sh's results.  Usage: table.py OUT_DIR INSTANCE..."""
import json, re, sys
from pathlib import Path

out, instances = Path(sys.argv[1]), sys.argv[2:]
LAM = {"teacher2d_n30": 0.01, "plane_n120": 0.005}

def summary(path):
    s = {}
    if path.exists():
        for line in path.read_text().splitlines():
            m = re.match(r"^(\w[\w |]*?)\s{2,}(.*)$", line)
            if m:
                s[m.group(1).strip()] = m.group(2).strip()
    return s

def timev(path):
    t = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "Maximum resident" in line:
                t["rss"] = int(line.split(":")[-1]) / 1024
            elif "Elapsed (wall clock)" in line:
                parts = [float(p) for p in line.rsplit(": ", 1)[1].split(":")]
                t["wall"] = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    return t

def ncol(csv):
    with open(csv) as f:
        head = f.readline().strip().split(",")
        n = sum(1 for line in f if line.strip())
    return n, len(head) - 1

rows = []
for inst in instances:
    n, m = ncol(out / f"{inst}.csv")
    recs = {}
    for be in ("clp", "glpk"):
        for method in ("column-generation", "vertices"):
            tag = out / f"{inst}.{be}.{method}"
            if not (tag.parent / (tag.name + ".rc")).exists():
                continue
            rc = int((tag.parent / (tag.name + ".rc")).read_text().strip() or -1)
            s, t = summary(tag.parent / (tag.name + ".out")), timev(tag.parent / (tag.name + ".time"))
            model = json.loads((tag.parent / (tag.name + ".json")).read_text()) if (tag.parent / (tag.name + ".json")).exists() else {}
            load = (tag.parent / (tag.name + ".load")).read_text().split("\n")[0]
            status = "timeout" if rc == 124 else (model.get("status") or s.get("status", "").split(" ")[0] or f"exit {rc}")
            if rc not in (0, 124) and not model:
                status = f"killed by signal {rc - 128}" if rc > 128 else f"exit {rc}"
            solver = model.get("solver") or {}
            # the LP's own optimum (before the atoms are merged per region): last progress line's upper bound
            lp_upper = None
            err = tag.parent / (tag.name + ".err")
            if err.exists():
                for line in err.read_text().splitlines():
                    p = line.split()
                    if len(p) == 7 and p[0].isdigit():
                        lp_upper = float(p[2])
            recs[(be, method)] = dict(inst=inst, n=n, m=m, be=be, method=method, status=status, rc=rc,
                                      objective=model.get("objective"), lower=model.get("lowerBound"),
                                      gap=model.get("gap"), rounds=solver.get("rounds"),
                                      diracs=len(model.get("atoms", [])) if model else None,
                                      regions=solver.get("regions") or s.get("regions"),
                                      seconds=solver.get("seconds"), lp_upper=lp_upper, wall=t.get("wall"), rss=t.get("rss"), load=load)
    # certified optimum: best certified upper bound among the column-generation runs
    cert = [r for (be, me), r in recs.items() if me == "column-generation" and r["status"] == "optimal"]
    opt = min((r["objective"] for r in cert), default=None)
    for r in recs.values():
        r["opt"] = opt
        rows.append(r)

def relgap(r):
    # relulp's "relative gap" is (J - lower) / max(1, |J|): an absolute gap when J < 1. This is the relative one.
    if r["objective"] is None or r["lower"] is None or r["objective"] == 0:
        return "–"
    return f"{(r['objective'] - r['lower']) / abs(r['objective']):.2e}"

def f(x, fmt):
    return "–" if x is None else format(x, fmt)

print("| instance | n | m | λ | regions | backend | method | status | objective | gap (relulp) | (J − lower)/J | rounds | diracs | solver s | wall s | peak RSS MiB | vertex-LP excess: LP / merged network | load (1-min, start) |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    exc = "–"
    if r["method"] == "vertices" and r["objective"] is not None and r["opt"]:
        lp = f"{(r['lp_upper'] - r['opt']) / r['opt']:.2e}" if r["lp_upper"] is not None else "–"
        exc = f"{lp} / {(r['objective'] - r['opt']) / r['opt']:.2e}"
    print(f"| {r['inst']} | {r['n']} | {r['m']} | {LAM.get(r['inst'], 0.01)} | {r['regions'] or '–'} | {r['be']} | {r['method']} | {r['status']} | "
          f"{f(r['objective'], '.12g')} | {f(r['gap'], '.2e')} | {relgap(r)} | {r['rounds'] if r['rounds'] is not None else '–'} | "
          f"{f(r['diracs'], 'd')} | {f(r['seconds'], '.3f')} | {f(r['wall'], '.2f')} | {f(r['rss'], '.0f')} | {exc} | {r['load'].split()[0]} |")

# backend agreement
print()
for inst in instances:
    cg = [r for r in rows if r["inst"] == inst and r["method"] == "column-generation" and r["status"] == "optimal"]
    if len(cg) == 2:
        a, b = cg[0]["objective"], cg[1]["objective"]
        print(f"* {inst}: CLP/GLPK certified objectives differ by {abs(a - b) / max(abs(a), abs(b)):.1e} relative")
