#!/usr/bin/env python3
"""Squared loss: relulp against the real pyscnn (issue #15).

    python3 benchmarks/squared.py [--relulp PATH] [--python PY] [--time-limit 120] [--mem-limit-gib 8]
                                  [--instances REGEX] [--out benchmarks/RESULTS.md] [--workdir DIR]

On the peers grid (the same generated instances as benchmarks/run.py, lambda = 0.01) up to m = 2, n = 1000
and m = 3, n = 100: `relulp solve --loss squared` (wall clock of the whole process, CSV to certified model)
and pyscnn (benchmarks/peers/pyscnn_relu.py; its solver time, imports excluded) at P = 100, 1,000, 10,000
sampled patterns and two solver tolerances (scnn's default 1e-6 and 1e-9). Every objective
(1/2n)||y - f||^2 + lam * TV is recomputed from the returned network (benchmarks/peers/common.py); the excess
is (J - J*) / J* against relulp's certified optimum J*. A pyscnn configuration that hits a limit is not run
with more patterns (same tolerance) nor at larger n (same m). The report goes between the markers
<!-- squared:begin --> and <!-- squared:end --> of --out (appended when they are missing).
"""
import argparse
import json
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "peers"))
import common  # noqa: E402
import run  # noqa: E402  (instances, limits, machine info of the L1 peers harness)

GRID = [(1, 30), (1, 100), (1, 300), (1, 1000), (2, 30), (2, 100), (2, 300), (2, 1000), (3, 30), (3, 100)]
PATTERNS = [100, 1000, 10000]
TOLERANCES = [1e-6, 1e-9]
LAMBDA = 0.01
GOAL = 1e-4
BEGIN, END = "<!-- squared:begin (written by benchmarks/squared.py) -->", "<!-- squared:end -->"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--relulp", help="relulp binary (default .build/release/relulp)")
    ap.add_argument("--python", default=sys.executable, help="interpreter with pyscnn installed")
    ap.add_argument("--time-limit", type=float, default=120.0)
    ap.add_argument("--mem-limit-gib", type=float, default=8.0)
    ap.add_argument("--instances", help="regex on instance names")
    ap.add_argument("--out", default=str(HERE / "RESULTS.md"))
    ap.add_argument("--workdir", default=str(HERE / "out" / "squared"))
    ap.add_argument("--relulp-only", action="store_true",
                    help="re-run relulp only; pyscnn's runs are taken from WORKDIR/results.json of an earlier run")
    args = ap.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    relulp, _ = run.find_relulp(args.relulp, True)
    if relulp is None:
        sys.exit("no relulp binary; build it with `swift build -c release` or pass --relulp")
    TL, MEM = args.time_limit, args.mem_limit_gib
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    previous = {r["name"]: r for r in (run.load_json(workdir / "results.json") or [])}
    rows = []
    for m, n in GRID:
        name = f"teacher_m{m}_n{n}"
        if args.instances and not re.search(args.instances, name):
            continue
        idir = workdir / name
        idir.mkdir(exist_ok=True)
        csv = idir / "data.csv"
        run.make_instance(m, n, csv)
        print(f"== {name}", file=sys.stderr)
        row = dict(name=name, m=m, n=n, runs={})
        model = idir / "relulp_model.json"
        if model.exists():
            model.unlink()
        st, wall, tail = run.run_limited([str(relulp), "solve", str(csv), "--lambda", repr(LAMBDA), "--loss", "squared",
                                          "--time-limit", repr(0.95 * TL), "--output", str(model), "--quiet"],
                                         TL, MEM, idir / "relulp")
        rel = dict(status=st, seconds=wall, tail=tail)
        if model.exists():
            J, atoms, mj = common.relulp_model_objective(model, csv)
            rel.update(objective=J, atoms=atoms, lower=mj["lowerBound"], gap=mj["gap"], solver_status=mj["status"],
                       regions=mj["solver"]["regions"])
        row["relulp"] = rel
        print(f"   relulp: {st} {wall:.2f}s {rel.get('solver_status')} J={rel.get('objective')}", file=sys.stderr)
        if args.relulp_only:
            row["runs"] = previous.get(name, {}).get("runs", {})
        for tol in (TOLERANCES if not args.relulp_only else []):
            for P in PATTERNS:
                key = f"P{P}-tol{tol:g}"
                blocked = [r for r in rows if r["m"] == m and r["runs"].get(key, {}).get("status") in ("time limit", "out of memory", "skipped")]
                blocked += [row["runs"][f"P{Q}-tol{tol:g}"] for Q in PATTERNS if Q < P
                            and row["runs"].get(f"P{Q}-tol{tol:g}", {}).get("status") in ("time limit", "out of memory", "skipped")]
                if blocked:
                    row["runs"][key] = dict(status="skipped")
                    continue
                out = idir / f"pyscnn-{key}.json"
                if out.exists():
                    out.unlink()
                st, wall, tail = run.run_limited([args.python, str(HERE / "peers" / "pyscnn_relu.py"), str(csv), "--lambda",
                                                  repr(LAMBDA), "--patterns", str(P), "--tol", repr(tol), "--json", str(out)],
                                                 TL, MEM, idir / f"pyscnn-{key}")
                rec = run.load_json(out) if st == "ok" else None
                r = dict(status=st if rec or st != "ok" else "failed", wall=wall, tail=tail)
                if rec:
                    r.update(seconds=rec["seconds"], objective=rec["objective"], atoms=rec["atoms"], versions=rec["versions"])
                row["runs"][key] = r
                print(f"   pyscnn {key}: {r['status']} {r.get('seconds', wall):.2f}s J={r.get('objective')}", file=sys.stderr)
        rows.append(row)
        with open(workdir / "results.json", "w") as fh:
            json.dump(rows, fh, indent=1, default=str)
    report = render(rows, args, started, run.machine_info(args.python))
    write(Path(args.out), report)


def excess(r, ref):
    if ref is None or r.get("objective") is None:
        return None
    return (r["objective"] - ref) / abs(ref)


def render(rows, args, started, info):
    L = [BEGIN, "## Squared loss: relulp against pyscnn (issue #15)\n"]
    L.append(f"Generated by `python3 benchmarks/squared.py --python {args.python} --time-limit {args.time_limit:g}"
             f"{' --instances ' + repr(args.instances) if args.instances else ''}"
             f"{' --relulp-only' if args.relulp_only else ''}` started {started}"
             f"{' (relulp re-run; the pyscnn runs are those of the earlier run in the same workdir)' if args.relulp_only else ''}. "
             f"λ = {LAMBDA}, the instances of the L1 peers table (benchmarks/run.py, same seeds).\n")
    L.append(f"Objective (1/2n)‖y − f‖² + λ Σ|a|‖w‖ on the lifted inputs (x, 1) for both; pyscnn gets the lifted "
             f"inputs with its own bias off, `unitize_data=False`, float64, formulation \"relu\" (its AL solver), "
             f"P gate vectors (scnn's default seed 778). relulp s = wall clock of the whole `relulp solve --loss squared` "
             f"process; pyscnn s = its `optimize_model` call only (imports and data loading excluded). "
             f"Excess = (J − J*)/J* against relulp's certified J*, J recomputed from the returned network. "
             f"Goal (issue #15): relulp certifies faster than pyscnn reaches excess ≤ {GOAL:g}.\n")
    L.append(f"Machine: {info.get('cpu', '?')}; {info.get('versions', '')}\n")
    head = "| instance | regions | J* | relulp s | gap | atoms | " + " | ".join(
        f"P={P}, tol {t:g}: s, excess, atoms" for t in TOLERANCES for P in PATTERNS) + " | fastest pyscnn ≤ 1e-4 | goal met |"
    L.append(head)
    L.append("|" + "---|" * (head.count("|") - 1))
    for row in rows:
        rel = row["relulp"]
        certified = rel.get("solver_status") == "optimal"
        ref = rel.get("objective") if certified else None
        cells = [row["name"], f"{rel.get('regions', '–'):,}" if isinstance(rel.get("regions"), int) else "–",
                 f"{ref:.10g}" if ref is not None else f"not certified ({rel.get('solver_status') or rel['status']})",
                 run.fmt_s(rel.get("seconds")), f"{rel['gap']:.1e}" if rel.get("gap") is not None else "–",
                 str(rel.get("atoms", "–"))]
        reached = []
        for t in TOLERANCES:
            for P in PATTERNS:
                r = row["runs"].get(f"P{P}-tol{t:g}", {})
                if r.get("status") == "ok":
                    e = excess(r, ref)
                    cells.append(f"{run.fmt_s(r['seconds'])} s, {run.fmt_ex(e)}, {r['atoms']}")
                    if e is not None and e <= GOAL:
                        reached.append((r["seconds"], f"P={P}, tol {t:g}"))
                else:
                    cells.append(r.get("status", "–") if r.get("status") != "time limit" else f"time limit {args.time_limit:g} s")
        if reached:
            best = min(reached)
            cells.append(f"{run.fmt_s(best[0])} s ({best[1]})")
            met = certified and rel["seconds"] < best[0]
        else:
            cells.append("none")
            met = certified
        cells.append(("yes" if met else "no") + ("" if reached or not certified else f" (not reached in {args.time_limit:g} s)"))
        L.append("| " + " | ".join(cells) + " |")
    L.append(END)
    return "\n".join(L) + "\n"


def write(path, report):
    text = path.read_text() if path.exists() else ""
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + report.rstrip("\n") + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + report
    path.write_text(text)


if __name__ == "__main__":
    main()
