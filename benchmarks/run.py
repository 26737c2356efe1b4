#!/usr/bin/env python3
"""One command for the peer benchmarks of relulp (issue #7).

    python3 benchmarks/run.py [--out benchmarks/RESULTS.md] [--relulp PATH] [--time-limit 300]
                              [--mem-limit-gib 8] [--quick] [--instances REGEX]

Generates the instances (fixed seeds), runs relulp and every peer on each of them, each in
its own subprocess under a wall-clock limit and an address-space limit (RLIMIT_AS), and
writes a markdown report with times, ratios to relulp measured in the same run, objective
excess over the certified optimum, and sparsity: the section of benchmarks/RESULTS.md between
the peer markers (or a whole file, when --out names one without them).  Raw JSON per run goes
to benchmarks/out/ (git-ignored).  See benchmarks/README.md.
"""
import argparse
import json
import math
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PEERS = HERE / "peers"
sys.path.insert(0, str(PEERS))
import common  # noqa: E402
import regions as regions_mod  # noqa: E402

FIXTURES = REPO / "Tests" / "Fixtures"  # example data and certified optima (Tests/Fixtures/README.md)

LAMBDA = 0.01
NOISE = 0.05
# (m, n) grid of generated instances; general-position region counts 2*sum_k C(n-1,k):
#   m=1: 2n;  m=2: n^2-n+2 (n=1000: 999,002);  m=3: n=30: 8,180, n=100: 323,600,
#   n=300: 8.9 million, n=1000: 333 million (beyond relulp's default --max-regions).
GRID = [(m, n) for m in (1, 2, 3) for n in (30, 100, 300, 1000)]
SAMPLED_P = [100, 1000, 10000]
ADAM_WIDTHS = [10, 100, 1000]
ADAM_SEEDS = [0, 1, 2]
EQUAL_REL = 1e-6


# --------------------------------------------------------------------------- instances
def make_instance(m, n, path):
    """Teacher network: 3 random neurons (unit weights with bias), inputs uniform in
    [-1,1]^m, labels = teacher + 0.05 * N(0,1).  Seed depends only on (m, n)."""
    rng = np.random.default_rng(7000 + 10 * n + m)
    X = rng.uniform(-1.0, 1.0, size=(n, m))
    W = rng.standard_normal((3, m + 1))
    W /= np.linalg.norm(W, axis=1, keepdims=True)
    a = rng.choice([-1.0, 1.0], size=3) * rng.uniform(0.5, 1.5, size=3)
    y = np.maximum(common.lift(X) @ W.T, 0.0) @ a + NOISE * rng.standard_normal(n)
    with open(path, "w") as fh:
        fh.write(",".join([f"x{i + 1}" for i in range(m)] + ["y"]) + "\n")
        for xi, yi in zip(X, y):
            fh.write(",".join(repr(float(v)) for v in list(xi) + [yi]) + "\n")


def instances(workdir, quick, pattern):
    out = []
    inst_dir = workdir / "instances"
    inst_dir.mkdir(parents=True, exist_ok=True)
    for f, lam in (("kink1d_n20.csv", 0.05), ("teacher2d_n30.csv", 0.01)):
        p = FIXTURES / f
        if p.exists():
            X, y, _ = common.load_csv(p)
            out.append(dict(name=f[:-4], path=p, n=len(y), m=X.shape[1], lam=lam, public=True))
    for m, n in GRID:
        if quick and n > 100:
            continue
        p = inst_dir / f"teacher_m{m}_n{n}.csv"
        if not p.exists():
            make_instance(m, n, p)
        out.append(dict(name=p.stem, path=p, n=n, m=m, lam=LAMBDA, public=False))
    if pattern:
        out = [i for i in out if re.search(pattern, i["name"])]
    return out


# --------------------------------------------------------------------------- running
def run_limited(cmd, time_limit, mem_gib, log_prefix):
    """Run cmd under a wall-clock limit and RLIMIT_AS.  Returns (status, wall, stderr_tail).
    status: 'ok' | 'time limit' | 'out of memory' | 'failed'."""
    mem = int(mem_gib * 2**30)

    def limits():
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        os.setsid()

    env = dict(os.environ)
    env.setdefault("PYTHONWARNINGS", "ignore")
    t0 = time.perf_counter()
    with open(str(log_prefix) + ".stdout", "w") as so, open(str(log_prefix) + ".stderr", "w") as se:
        proc = subprocess.Popen(cmd, stdout=so, stderr=se, preexec_fn=limits, env=env)
        try:
            rc = proc.wait(timeout=time_limit)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return "time limit", time.perf_counter() - t0, ""
    wall = time.perf_counter() - t0
    err = Path(str(log_prefix) + ".stderr").read_text(errors="replace")
    tail = " ".join(err.strip().splitlines()[-2:])[-300:]
    if rc == 0:
        return "ok", wall, tail
    oom = re.search(r"MemoryError|memory allocation of|bad_alloc|Cannot allocate|out of memory|"
                    r"Unable to allocate|ArrayMemoryError|std::length_error", err, re.I)
    if oom or rc in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT, 137, 134):
        return "out of memory" if oom or rc in (-signal.SIGABRT, 134) else f"failed (signal {-rc})", wall, tail
    return "failed", wall, tail


def find_relulp(path, build):
    cand = Path(path) if path else REPO / ".build" / "release" / "relulp"
    if not cand.exists() and build and not path and (REPO / "Package.swift").exists() and shutil.which("swift"):
        print("building relulp: swift build -c release", file=sys.stderr)
        subprocess.run(["swift", "build", "-c", "release"], cwd=REPO)
    if not cand.exists():
        return None, {}
    caps = {}
    for sub in ("solve", "regions"):
        try:
            r = subprocess.run([str(cand), sub, "--help"], capture_output=True, text=True, timeout=30)
            caps[sub] = r.returncode == 0 and ("--lambda" in r.stdout + r.stderr if sub == "solve" else "--list" in r.stdout + r.stderr)
        except Exception:
            caps[sub] = False
    return cand, caps


def load_json(p):
    try:
        with open(p) as fh:
            return json.load(fh)
    except Exception:
        return None


# --------------------------------------------------------------------------- report helpers
def fmt_s(x):
    if x is None:
        return "–"
    return f"{x:.3g}" if x < 100 else f"{x:.0f}"


def fmt_ratio(x):
    if x is None or not math.isfinite(x):
        return "–"
    return f"{x:.3g}×"


def fmt_excess_or_objective(r, ref):
    """Excess over the reference optimum, or the bare objective when there is no reference."""
    return fmt_ex(excess(r, ref)) if ref else f"J = {r['objective']:.6g}"


def fmt_ex(x):
    if x is None:
        return "–"
    if abs(x) < 1e-12:
        return "0"
    return f"{x:+.1e}"


def machine_info(python_exe):
    info = {"nproc": os.cpu_count(), "platform": platform.platform()}
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                info["ram_gib"] = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    try:
        r = subprocess.run([python_exe, "-c", "import sys,json;sys.path.insert(0,%r);import common;print(json.dumps(common.versions(True)))" % str(PEERS)],
                           capture_output=True, text=True, timeout=120)
        info["versions"] = json.loads(r.stdout.strip().splitlines()[-1])
    except Exception:
        info["versions"] = {}
    try:
        r = subprocess.run(["swift", "--version"], capture_output=True, text=True, timeout=60)
        info["swift"] = (r.stdout or r.stderr).strip().splitlines()[0]
    except Exception:
        pass
    return info


# --------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(HERE / "RESULTS.md"),
                    help="report file; when it holds the peer markers only that section is replaced")
    ap.add_argument("--workdir", default=str(HERE / "out"))
    ap.add_argument("--relulp", help="path of the relulp binary (default: .build/release/relulp, built if missing)")
    ap.add_argument("--no-build", action="store_true", help="do not run swift build when the binary is missing")
    ap.add_argument("--backend", default="clp", help="relulp LP backend (clp|glpk)")
    ap.add_argument("--python", default=sys.executable, help="interpreter for the peers")
    ap.add_argument("--time-limit", type=float, default=300.0, help="seconds per run (relulp and peers)")
    ap.add_argument("--mem-limit-gib", type=float, default=8.0)
    ap.add_argument("--quick", action="store_true", help="n <= 100, one Adam seed, 1000 Adam steps")
    ap.add_argument("--instances", help="regex on instance names")
    ap.add_argument("--adam-steps", type=int, default=5000)
    ap.add_argument("--adam-backend", default="auto", choices=["auto", "torch", "numpy"])
    ap.add_argument("--peers", default="conic,sampled,adam", help="comma list of peers to run")
    ap.add_argument("--regions-from", default="auto", choices=["auto", "relulp", "python"],
                    help="where the conic peer gets the regions (auto: relulp regions when available)")
    ap.add_argument("--render-only", action="store_true",
                    help="only rewrite the report from WORKDIR/results.json (e.g. of an interrupted run)")
    args = ap.parse_args()

    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    peers = set(args.peers.split(","))
    seeds = ADAM_SEEDS[:1] if args.quick else ADAM_SEEDS
    steps = 1000 if args.quick and args.adam_steps == 5000 else args.adam_steps
    relulp, caps = find_relulp(args.relulp, not args.no_build)
    expected = load_json(FIXTURES / "expected.json") or []
    load_start = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    t_all = time.perf_counter()
    TL, MEM = args.time_limit, args.mem_limit_gib
    limit_text = {"time limit": f"time limit {TL:.0f} s", "out of memory": f"out of memory (limit {MEM:g} GiB)"}

    rows = []
    todo = instances(workdir, args.quick, args.instances)
    if args.render_only:
        rows, todo = load_json(workdir / "results.json") or [], []
        load_start = (float("nan"),) * 3
        started = "(re-rendered from results.json; partial if the run was interrupted)"
    for inst in todo:
        name, csv, lam = inst["name"], str(inst["path"]), inst["lam"]
        d = inst["m"] + 1
        print(f"== {name} (n={inst['n']}, m={inst['m']}, lambda={lam})", file=sys.stderr)
        idir = workdir / name
        idir.mkdir(exist_ok=True)
        row = dict(inst, path=str(inst["path"]), bound=regions_mod.general_position_bound(inst["n"], d), runs={})

        # relulp solve
        rel = dict(status="unavailable")
        if relulp and caps.get("solve"):
            mp = idir / "relulp_model.json"
            if mp.exists():
                mp.unlink()
            # relulp gets its own time limit just under the harness's, so that a slow solve
            # ends with its bounds and gap instead of being killed.
            st, wall, tail = run_limited([str(relulp), "solve", csv, "--lambda", repr(lam), "--backend", args.backend,
                                          "--time-limit", repr(0.95 * TL), "--output", str(mp), "--quiet"],
                                         TL, MEM, idir / "relulp")
            if st == "failed" and "--max-regions" in tail:
                st = "refused"
            rel = dict(status=st, seconds=wall, tail=tail)
            if st in ("ok", "failed") and mp.exists():
                st = rel["status"] = "ok"
                J, atoms, model = common.relulp_model_objective(mp, csv)
                rel.update(objective=J, atoms=atoms, upper=model.get("objective"), lower=model.get("lowerBound"),
                           gap=model.get("gap"), solver_status=model.get("status"),
                           regions=(model.get("solver") or {}).get("regions"),
                           solver_seconds=(model.get("solver") or {}).get("seconds"))
        row["relulp"] = rel
        certified = rel.get("status") == "ok" and rel.get("solver_status") == "optimal"

        def hit_limit(key, smaller=()):
            """A peer that hit a limit at a smaller n with the same m, or in a smaller configuration
            (fewer patterns, narrower net) on this instance, is not run again."""
            earlier = [(prev["runs"].get(key, {}), f"n = {prev['n']}") for prev in rows
                       if prev["m"] == inst["m"] and prev["n"] < inst["n"] and not prev.get("public")]
            earlier += [(row["runs"].get(k, {}), k) for k in smaller]
            for r, where in earlier:
                if r.get("status") in ("time limit", "out of memory", "skipped"):
                    return r.get("skipped_after") or f"{limit_text.get(r['status'], r['status'])} at {where}"
            return None

        # regions for the conic peer
        reg_path, reg_info = None, {}
        use_relulp_regions = args.regions_from == "relulp" or (args.regions_from == "auto" and relulp and caps.get("regions"))
        if "conic" in peers and use_relulp_regions and not hit_limit("conic"):
            rp = idir / "regions.json"
            st, wall, tail = run_limited([str(relulp), "regions", csv, "--list", "--json", str(rp)], TL, MEM, idir / "regions")
            reg_info = dict(status=st, seconds=wall, source="relulp regions")
            if st == "ok":
                reg_path = rp
                rj = load_json(rp)
                if rj:
                    row["regions"] = rj.get("regions")
        row["regions_run"] = reg_info

        def peer(key, script, extra, smaller=()):
            why = hit_limit(key, smaller)
            if why:
                row["runs"][key] = dict(status="skipped", skipped_after=why)
                print(f"   {key}: skipped ({why})", file=sys.stderr)
                return
            out = idir / f"{key}.json"
            if out.exists():
                out.unlink()
            cmd = [args.python, str(PEERS / script), csv, "--lambda", repr(lam), "--json", str(out)] + extra
            st, wall, tail = run_limited(cmd, TL, MEM, idir / key)
            rec = load_json(out) if st == "ok" else None
            r = dict(wall=wall, tail=tail)
            if rec:
                r.update(rec)
                r["solver_status"] = rec.get("status")
            r["status"] = st if rec or st != "ok" else "failed"
            row["runs"][key] = r
            print(f"   {key}: {r['status']} wall={wall:.1f}s obj={r.get('objective')}", file=sys.stderr)

        if "conic" in peers:
            peer("conic", "conic.py", ["--regions", str(reg_path)] if reg_path else [])
            c = row["runs"]["conic"]
            if c.get("regions") and not row.get("regions"):
                row["regions"] = c["regions"]
        if "sampled" in peers:
            for i, P in enumerate(SAMPLED_P):
                peer(f"sampled-{P}", "sampled.py", ["--patterns", str(P)], [f"sampled-{Q}" for Q in SAMPLED_P[:i]])
        if "adam" in peers:
            for i, w in enumerate(ADAM_WIDTHS):
                for s in seeds:
                    peer(f"adam-{w}-s{s}", "adam.py", ["--width", str(w), "--seed", str(s), "--steps", str(steps),
                                                      "--backend", args.adam_backend], [f"adam-{v}-s{s}" for v in ADAM_WIDTHS[:i]])

        # reference optimum
        ref = None
        if certified:
            ref = dict(value=rel["objective"], lower=rel.get("lower") if rel.get("lower") is not None else rel["objective"],
                       source="relulp (certified)")
        elif rel.get("status") == "ok" and rel.get("lower") is not None:
            # Not certified (time limit): excess is measured against relulp's upper bound, and the
            # lower bound is still valid for the check that nobody goes below it.
            ref = dict(value=rel["objective"], lower=rel["lower"],
                       source=f"relulp {rel.get('solver_status')}, gap {rel.get('gap'):.1e}, *not certified*")
        else:
            for e in expected:
                if inst.get("public") and e["file"] == Path(csv).name and abs(e["lam"] - lam) < 1e-15:
                    ref = dict(value=e["optimum_upper"], lower=e["optimum_lower"], source="expected.json (certified)")
            if ref is None and row["runs"].get("conic", {}).get("status") == "ok":
                c = row["runs"]["conic"]
                ref = dict(value=c["objective"], lower=c["objective"] * (1 - EQUAL_REL), source="conic (not certified)")
        row["reference"] = ref
        rows.append(row)
        with open(workdir / "results.json", "w") as fh:
            json.dump(rows, fh, indent=1, default=str)

    info = machine_info(args.python)
    info["load_start"] = load_start
    info["load_end"] = os.getloadavg()
    report = render(rows, info, args, relulp, caps, started, time.perf_counter() - t_all, seeds, steps, limit_text)
    write_report(Path(args.out), report)
    print(f"wrote {args.out}", file=sys.stderr)


BEGIN, END = "<!-- peers:begin (written by benchmarks/run.py) -->", "<!-- peers:end -->"


def write_report(path, report):
    """Replace the section between the peer markers of `path`, or write the whole file."""
    text = path.read_text() if path.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + BEGIN + "\n" + report + END + rest.split(END, 1)[1]
    else:
        text = report
    path.write_text(text)


def excess(r, ref):
    if not ref or r.get("objective") is None:
        return None
    return (r["objective"] - ref["value"]) / abs(ref["value"])


def below(r, ref):
    """True when a feasible network claims an objective below the certified lower bound."""
    if not ref or r.get("objective") is None:
        return False
    return r["objective"] < ref["lower"] - EQUAL_REL * abs(ref["lower"])


def cell_status(r, limit_text):
    st = r.get("status", "not run")
    if st == "skipped":
        return f"not run ({r['skipped_after']})"
    if st == "refused":
        return "refused: region estimate over --max-regions"
    return limit_text.get(st, st)


def render(rows, info, args, relulp, caps, started, total, seeds, steps, limit_text):
    L = []
    L.append("## relulp against its peers (issue #7)\n")
    L.append(f"Generated by `python3 benchmarks/run.py {' '.join(sys.argv[1:])}` on {started}, "
             f"total {total / 60:.1f} min. Limits per run: {args.time_limit:.0f} s wall clock, "
             f"{args.mem_limit_gib:g} GiB address space (RLIMIT_AS). λ = {LAMBDA} on generated instances.\n")
    v = info.get("versions", {})
    L.append("### Machine\n")
    L.append(f"* {info.get('cpu', '?')}, {info.get('nproc')} logical CPUs, {info.get('ram_gib', '?')} GiB RAM; {info.get('platform')}")
    L.append(f"* load average at start {tuple(round(x, 2) for x in info['load_start'])}, at end "
             f"{tuple(round(x, 2) for x in info['load_end'])} (a shared machine inflates every time)")
    L.append("* " + ", ".join(f"{k} {val}" for k, val in v.items()) + (f"; {info['swift']}" if info.get("swift") else ""))
    if relulp and caps.get("solve"):
        L.append(f"* relulp: `{relulp}` (backend {args.backend})")
    else:
        L.append(f"* relulp: **not available** ({'binary ' + str(relulp) + ' lacks `solve --lambda`' if relulp else 'no binary'}); "
                 "the reference optimum falls back to expected.json (public files) or to the conic peer's objective "
                 "(marked *not certified*), and no ratios to relulp can be given.")
    L.append("")
    L.append("Times: relulp = wall clock of the whole `relulp solve` process (CSV to certified model). "
             "Conic = CVXPY model building + canonicalisation + Clarabel (region enumeration excluded, listed separately; "
             "Python start-up and imports excluded). Sampled = pattern sampling + the same. Adam = the training loop. "
             "Ratio = peer seconds / relulp seconds, same run. Excess = (J_peer − J*) / |J*| with J* the reference "
             "optimum, every objective recomputed from the returned network by the same float64 formula "
             "(benchmarks/peers/common.py). Atoms = neurons with |a|‖w‖ > 1e-6 × total variation.\n")

    L.append("### relulp and the exact conic model\n")
    L.append("| instance | n | m | regions | J* (source) | relulp s | gap | atoms | regions s | conic s | conic / relulp | conic excess | conic atoms |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        rel, ref, c = r["relulp"], r["reference"], r["runs"].get("conic", {})
        regs = r.get("regions") or rel.get("regions") or (f"≤ {r['bound']:,}" if r.get("bound") else "?")
        regs = f"{regs:,}" if isinstance(regs, int) else regs
        refs = f"{ref['value']:.10g} ({ref['source']})" if ref else "–"
        rs = cell_status(rel, limit_text)
        if rel.get("status") == "ok":
            rs = fmt_s(rel.get("seconds")) + ("" if rel.get("solver_status") == "optimal" else f" ({rel.get('solver_status')})")
        rg = r.get("regions_run", {})
        rgs = fmt_s(rg.get("seconds")) + " (relulp)" if rg.get("status") == "ok" else (fmt_s(c.get("regions_seconds")) + " (py)" if c.get("regions_seconds") is not None else "–")
        if c.get("status") == "ok":
            ratio = c["seconds"] / rel["seconds"] if rel.get("status") == "ok" else None
            cs = (fmt_s(c["seconds"]), fmt_ratio(ratio), fmt_ex(excess(c, ref)) + (" **below J\\***" if below(c, ref) else ""), str(c["atoms"]))
        else:
            cs = (cell_status(c, limit_text), "–", "–", "–") if c else ("not run", "–", "–", "–")
        gap = rel.get("gap")
        L.append(f"| {r['name']} | {r['n']} | {r['m']} | {regs} | {refs} | {rs} | {('%.1e' % gap) if gap is not None else '–'} | "
                 f"{rel.get('atoms', '–')} | {rgs} | " + " | ".join(cs) + " |")
    L.append("")
    L.append("A peer that hit a limit at some n is not run at larger n with the same m (\"not run (… at n = …)\").\n")

    L.append("### Sampled activation patterns (scnn-style)\n")
    L.append("| instance | " + " | ".join(f"P={P}: patterns, s, ×relulp, excess, atoms" for P in SAMPLED_P) + " |")
    L.append("|---|" + "---|" * len(SAMPLED_P))
    for r in rows:
        cells = []
        for P in SAMPLED_P:
            s = r["runs"].get(f"sampled-{P}")
            if not s:
                cells.append("not run")
            elif s.get("status") != "ok":
                cells.append(cell_status(s, limit_text))
            else:
                ratio = s["seconds"] / r["relulp"]["seconds"] if r["relulp"].get("status") == "ok" else None
                flag = " **below J\\***" if below(s, r["reference"]) else ""
                cells.append(f"{s['patterns']}, {fmt_s(s['seconds'])} s, {fmt_ratio(ratio)}, {fmt_excess_or_objective(s, r['reference'])}{flag}, {s['atoms']}")
        L.append(f"| {r['name']} | " + " | ".join(cells) + " |")
    L.append("")

    L.append(f"### Adam (seeds {', '.join(map(str, seeds))}; {steps} full-batch steps)\n")
    L.append("Per width: median seconds, ratio to relulp, excess min / median / max over seeds, atoms median (of width).\n")
    L.append("| instance | " + " | ".join(f"width {w}" for w in ADAM_WIDTHS) + " |")
    L.append("|---|" + "---|" * len(ADAM_WIDTHS))
    backends = set()
    for r in rows:
        cells = []
        for w in ADAM_WIDTHS:
            runs = [r["runs"].get(f"adam-{w}-s{s}") for s in seeds]
            runs = [x for x in runs if x]
            ok = [x for x in runs if x.get("status") == "ok"]
            if not runs:
                cells.append("not run")
                continue
            if not ok:
                cells.append(cell_status(runs[0], limit_text))
                continue
            backends.update(x.get("backend", "?") for x in ok)
            secs = statistics.median(x["seconds"] for x in ok)
            ex = sorted(excess(x, r["reference"]) for x in ok) if r["reference"] else []
            ratio = secs / r["relulp"]["seconds"] if r["relulp"].get("status") == "ok" else None
            flag = " **below J\\***" if any(below(x, r["reference"]) for x in ok) else ""
            extra = f" ({len(runs) - len(ok)} failed)" if len(ok) < len(runs) else ""
            exs = (f"{fmt_ex(ex[0])} / {fmt_ex(statistics.median(ex))} / {fmt_ex(ex[-1])}" if ex
                   else "J = " + " / ".join(f"{x['objective']:.6g}" for x in ok))
            cells.append(f"{fmt_s(secs)} s, {fmt_ratio(ratio)}, {exs}{flag}, {int(statistics.median(x['atoms'] for x in ok))}{extra}")
        L.append(f"| {r['name']} | " + " | ".join(cells) + " |")
    L.append(f"\nAdam backend: {', '.join(sorted(backends)) or '–'}.\n")

    # goals
    L.append("### Goals of issue #7, checked on this run\n")
    speed, cant, bad, sparse = [], [], [], []
    for r in rows:
        rel, ref, c = r["relulp"], r["reference"], r["runs"].get("conic", {})
        certified = rel.get("status") == "ok" and rel.get("solver_status") == "optimal"
        if certified and c.get("status") == "ok" and ref:
            eq = abs(c["objective"] - rel["objective"]) <= EQUAL_REL * abs(rel["objective"])
            speed.append((r["name"], c["seconds"] / rel["seconds"], eq))
        if certified and c and c.get("status") != "ok":
            cant.append((r["name"], cell_status(c, limit_text)))
        for k, x in r["runs"].items():
            if x.get("status") == "ok" and below(x, ref):
                bad.append((r["name"], k, excess(x, ref)))
        if certified and ref:
            for k, x in r["runs"].items():
                if x.get("status") == "ok" and x.get("objective") is not None and x["objective"] <= rel["objective"] * (1 + EQUAL_REL) \
                        and x["atoms"] < rel["atoms"]:
                    sparse.append((r["name"], k, x["atoms"], rel["atoms"]))
    if speed:
        ok20 = [s for s in speed if s[1] >= 20 and s[2]]
        L.append(f"* relulp ≥ 20× faster than the conic model at equal objective (1e-6 relative): "
                 f"{len(ok20)} of {len(speed)} instances where both finished; ratios: "
                 + ", ".join(f"{n} {x:.3g}×{'' if e else ' (objectives differ > 1e-6)'}" for n, x, e in speed) + ".")
    else:
        L.append("* relulp vs conic speed: no instance where both finished (see the tables).")
    L.append("* Instances relulp solved that the conic model could not: "
             + (", ".join(f"{n} ({s})" for n, s in cant) if cant else "none in this run") + ".")
    L.append("* Peers below the certified optimum (would be a bug somewhere): "
             + (", ".join(f"{n}/{k} ({e:+.1e})" for n, k, e in bad) if bad else "none") + ".")
    L.append("* Peers sparser than relulp at equal or better objective: "
             + (", ".join(f"{n}/{k} ({a} < {b})" for n, k, a, b in sparse) if sparse else "none") + ".")
    L.append("")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()
