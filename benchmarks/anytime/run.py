"""The anytime-bounds benchmark of issue 22: relulp against Adam and the SDP peer bound, every bound checked.

    python3 benchmarks/anytime/run.py [--relulp PATH] [--seconds 60] [--problems diabetes10,teacher6-sq]

For each problem (problems.py) it runs, one after the other on the same data and λ:
  * `relulp solve DATA.csv --lambda L --loss LOSS --time-limit T --output MODEL.json` with whatever binary it is
    given, and records what happens: a refusal (exit status and the message), a kill at 1.5·T + 30 s, or the model's
    status, objective (recomputed by objective.py and compared with the file's), lower bound and gap;
  * full-batch Adam at widths 100 and 1000 for T seconds each (adam.py), best objective of (P) over the run;
  * for the squared loss, the DNN SDP relaxation of Prakhya et al. (sdp.py) on a seeded subset of the points.
Then the check: every lower bound ≤ every objective reached on the same problem (the SDP's to its solver's
precision).  Before all that, a self-check on models/: the evaluator against relulp's stored objectives, and the
SDP's value against relulp's certified optimum on two small squared-loss problems.

Writes DIR/results.json and DIR/table.md (DIR = benchmarks/out/anytime) and prints the table.  Exit status 1 when
a check fails.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # 2 shared cores: threads only contend
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import adam  # noqa: E402
import objective as obj  # noqa: E402
import problems  # noqa: E402
import sdp  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
SDP_TOLERANCE = 1e-5  # relative: the SDP's value is an interior-point solver's, not a certified bound
EXACT_TOLERANCE = 1e-9  # relative: relulp's bounds and the objectives are float64 sums


def log(message):
    print(message, file=sys.stderr, flush=True)


def run_relulp(binary, csv, lam, loss, seconds, model, extra=()):
    """One `relulp solve`; a record of what happened (never raises on a refusal or a kill)."""
    csv, model = os.path.relpath(csv, ROOT), os.path.relpath(model, ROOT)
    command = [os.path.abspath(binary), "solve", csv, "--lambda", repr(lam), "--loss", loss, "--time-limit", repr(seconds),
               "--output", model, "--quiet", *extra]
    if os.path.exists(os.path.join(ROOT, model)):
        os.remove(os.path.join(ROOT, model))
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=1.5 * seconds + 30, cwd=ROOT)
        code, stderr, stdout = done.returncode, done.stderr, done.stdout
    except subprocess.TimeoutExpired as expired:
        code, stderr, stdout = "killed", (expired.stderr or b"").decode(errors="replace"), ""
    except OSError as error:
        code, stderr, stdout = "not run", str(error), ""
    wall = time.perf_counter() - start
    lines = [line for line in stderr.splitlines() if line.strip()]
    shown = " ".join([os.path.relpath(command[0], ROOT)] + command[1:])  # no machine paths in the report
    record = {"method": f"relulp {seconds:g} s", "command": shown, "exit": code, "seconds": wall,
              "message": (lines[-1] if lines else "").replace(ROOT + os.sep, "")}
    # The summary's `bound source` line: where the lower bound came from (exact, search-bound, subset (k of n points)).
    sources = [line.split(None, 2)[2] for line in stdout.splitlines() if line.startswith("bound source")]
    if sources:
        record["bound_source"] = sources[0]
    if os.path.exists(os.path.join(ROOT, model)):
        try:
            recomputed = obj.model_objective(os.path.join(ROOT, model), os.path.join(ROOT, csv))
        except (ValueError, KeyError, TypeError) as error:
            record["status"] = f"unreadable model ({error})"
            return record
        stored = recomputed["stored"]
        record.update(status=stored["status"], objective=recomputed["objective"], stored_objective=stored["objective"],
                      bound=stored["lowerBound"], gap=stored["gap"])
    elif code == "killed":
        record["status"] = f"killed after {wall:.0f} s"
    elif code == "not run":
        record["status"] = "not run"
    elif code < 0:
        record["status"] = f"crashed (signal {-code})"
    else:
        record["status"] = "refused" if code > 0 else "no model written"
    return record


def self_check(binary, out):
    """The evaluator on relulp's own models and the SDP against certified optima; a list of (what, ok, detail)."""
    results = []
    kink = os.path.join(ROOT, "models", "kink1d_n20")
    r = obj.model_objective(os.path.join(kink, "model.json"), os.path.join(kink, "data.csv"))
    diff = abs(r["objective"] - r["stored"]["objective"])
    results.append(("evaluator = stored objective, models/kink1d_n20", diff <= 1e-12, f"difference {diff:.2e}"))
    cases = [("kink1d_n20", 0.05), ("teacher2d_n30", 0.01)]
    for name, lam in cases:
        csv = os.path.join(ROOT, "models", name, "data.csv")
        for loss in ("l1", "squared"):
            model = os.path.join(out, f"selfcheck-{name}-{loss}.json")
            rec = run_relulp(binary, csv, lam, loss, 60, model)
            if "objective" not in rec:
                results.append((f"relulp on models/{name} ({loss})", False, f"{rec['status']}: {rec['message']}"))
                continue
            diff = abs(rec["objective"] - rec["stored_objective"])
            results.append((f"evaluator = stored objective, models/{name} {loss}", diff <= 1e-12 * max(1, rec["objective"]),
                            f"{rec['objective']:.12g}, difference {diff:.2e}"))
            if loss != "squared":
                results.append(reference_check(name, lam, rec["objective"]))
                continue
            if rec["status"] != "optimal":
                results.append((f"SDP ≤ optimum, models/{name}", False, f"relulp did not certify ({rec['status']})"))
                continue
            header, rows = obj.read_csv(csv)
            Xt, y = obj.lift(rows[:, :-1]), rows[:, -1]
            peer = sdp.dnn_bound(Xt, y, lam)
            ok = peer["bound"] is not None and peer["bound"] <= rec["objective"] * (1 + SDP_TOLERANCE)
            results.append((f"SDP bound ≤ certified optimum, models/{name} squared λ = {lam}", ok,
                            f"SDP {peer['bound']} ({peer['status']}) vs optimum {rec['objective']:.10g} "
                            f"(lower bound {rec['bound']:.10g})"))
    return results


def reference_check(name, lam, value):
    """The recomputed L1 objective against Tests/Fixtures/expected.json (an independent prototype's optima)."""
    with open(os.path.join(ROOT, "Tests", "Fixtures", "expected.json")) as fh:
        known = [e for e in json.load(fh) if e["file"] == f"{name}.csv" and e["lam"] == lam and e["bias"]]
    if not known:
        return (f"expected.json has {name} at λ = {lam}", False, "no entry")
    lower, upper = known[0]["optimum_lower"], known[0]["optimum_upper"]
    ok = lower - 1e-9 <= value <= upper + 1e-9
    return (f"L1 objective within expected.json's bounds, {name} λ = {lam}", ok, f"{value:.12g} in [{lower:.12g}, {upper:.12g}]")


def run_problem(name, args):
    """All methods on one problem; returns (description, records)."""
    csv, X, y, loss, lam, description = problems.materialise(name, args.out)
    Xt = obj.lift(X)
    records = []
    for budget in args.relulp_seconds or [args.seconds]:
        log(f"{name}: relulp ({budget:g} s)")
        model = os.path.join(args.out, f"{name}.{budget:g}s.model.json")
        records.append(run_relulp(args.relulp, csv, lam, loss, budget, model, args.relulp_args.split()))
    for width in args.widths:
        log(f"{name}: Adam width {width} ({args.seconds:g} s)")
        r = adam.train(Xt, y, lam, loss, width, args.seconds)
        r.pop("network")
        records.append(r)
    if loss == "squared" and args.sdp:
        log(f"{name}: SDP relaxation, growing subsets ({args.seconds:g} s)")
        records.append(sdp.dnn_bound_within(Xt, y, lam, args.seconds))
    meta = {"name": name, "description": description, "loss": loss, "lambda": lam, "n": len(y), "m": X.shape[1]}
    return meta, records


def check(records):
    """Every lower bound ≤ every objective: a list of violations (method, bound, method, objective)."""
    bad = []
    for lower in records:
        if lower.get("bound") is None:
            continue
        tolerance = SDP_TOLERANCE if lower["method"] == "sdp-dnn" else EXACT_TOLERANCE
        for upper in records:
            value = upper.get("objective")
            if value is not None and lower["bound"] > value + tolerance * max(1.0, abs(value)):
                bad.append((lower["method"], lower["bound"], upper["method"], value))
    return bad


def first_clause(message):
    """A message up to its first ", " (the table stays readable; results.json keeps it whole)."""
    head = message.split(", ")[0]
    return head if head == message else head + " …"


def fmt(value, digits=6):
    return "" if value is None else f"{value:.{digits}g}"


def summary(records):
    """The best objective and the best lower bound of a problem, their gap, and relulp against the best Adam."""
    uppers = [(r["objective"], r["method"]) for r in records if r.get("objective") is not None]
    lowers = [(r["bound"], r["method"]) for r in records if r.get("bound") is not None]
    parts = []
    if uppers:
        parts.append("best objective {:.6g} ({})".format(*min(uppers)))
    if lowers:
        parts.append("best lower bound {:.6g} ({})".format(*max(lowers)))
    if uppers and lowers:
        parts.append(f"gap {(min(uppers)[0] - max(lowers)[0]) / abs(min(uppers)[0]):.3g}")
    adams = [v for v, m in uppers if m.startswith("adam")]
    for value, method in uppers:
        if method.startswith("relulp") and adams:
            parts.append(f"{method} − best Adam = {value - min(adams):+.3g}")
    return ", ".join(parts) if parts else "no objective and no bound"


def table(results, seconds, binary):
    """The markdown table of all problems and methods."""
    lines = [f"Adam and the SDP {seconds:g} s each; relulp = `{binary}` with the time limit in its row.", "",
             "| problem | loss | n | m | method | status | objective | lower bound | gap | time (s) | note |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for meta, records, violations in results:
        for r in records:
            note, status, gap = "", r.get("status", ""), r.get("gap")
            if r["method"].startswith("relulp"):
                note = (f"bound: {r['bound_source']}" if "bound_source" in r else "") if "objective" in r \
                    else first_clause(r["message"]).replace("|", "\\|")
                status = f"{status} (exit {r['exit']})"
            elif r["method"].startswith("adam"):
                status = f"{r['steps']} steps"
                note = f"best at {r['best_at']:.1f} s"
            else:
                tried = ", ".join(f"{t['points']}: {fmt(t['bound'], 4) or t['status']}" for t in r["tries"])
                note = (f"{r['points']} of {r['n']} points (tried {tried}); Clarabel's dual value, "
                        "valid to its precision")
            lines.append(f"| {meta['name']} | {meta['loss']} | {meta['n']} | {meta['m']} | {r['method']} | {status} | "
                         f"{fmt(r.get('objective'))} | {fmt(r.get('bound'))} | {fmt(gap, 3)} | {r['seconds']:.1f} | "
                         f"{note} |")
    lines.append("")
    for meta, records, violations in results:
        verdict = "ok" if not violations else "**VIOLATED**: " + "; ".join(
            f"{a} bound {b:.8g} > {c} objective {d:.8g}" for a, b, c, d in violations)
        lines.append(f"* {meta['name']}: every lower bound ≤ every objective: {verdict}; {summary(records)}")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--relulp", default=os.path.join(ROOT, ".build", "release", "relulp"))
    ap.add_argument("--seconds", type=float, default=60.0, help="time for relulp and for each Adam run")
    ap.add_argument("--problems", default="all", help=f"comma-separated, of: {', '.join(problems.PROBLEMS)}")
    ap.add_argument("--relulp-seconds", default="", help="comma-separated time limits for relulp (default: --seconds)")
    ap.add_argument("--widths", default="100,1000")
    ap.add_argument("--no-sdp", dest="sdp", action="store_false", help="skip the SDP peer bound")
    ap.add_argument("--relulp-args", default="", help="extra arguments for relulp solve (split at spaces)")
    ap.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "out", "anytime"))
    ap.add_argument("--no-self-check", action="store_true")
    args = ap.parse_args(argv)
    args.widths = [int(w) for w in args.widths.split(",") if w]
    args.relulp_seconds = [float(t) for t in args.relulp_seconds.split(",") if t]
    names = list(problems.PROBLEMS) if args.problems == "all" else args.problems.split(",")
    unknown = [n for n in names if n not in problems.PROBLEMS]
    if unknown:
        ap.error(f"unknown problem(s) {', '.join(unknown)}; known: {', '.join(problems.PROBLEMS)}")
    if not os.access(args.relulp, os.X_OK):
        ap.error(f"no relulp binary at {args.relulp} (build it: swift build -c release --product relulp)")
    os.makedirs(args.out, exist_ok=True)
    load_before = " ".join(open("/proc/loadavg").read().split()[:3]) if os.path.exists("/proc/loadavg") else "?"
    failed = False
    checks = [] if args.no_self_check else self_check(args.relulp, args.out)
    for what, ok, detail in checks:
        log(f"self-check {'ok  ' if ok else 'FAIL'} {what}: {detail}")
        failed |= not ok
    results = []
    for name in names:
        meta, records = run_problem(name, args)
        violations = check(records)
        failed |= bool(violations)
        results.append((meta, records, violations))
    text = table(results, args.seconds, os.path.relpath(args.relulp, ROOT))
    if checks:
        text += "\nSelf-check:\n\n" + "\n".join(f"* {'ok' if ok else '**FAIL**'}: {w} ({d})" for w, ok, d in checks) + "\n"
    load_after = " ".join(open("/proc/loadavg").read().split()[:3]) if os.path.exists("/proc/loadavg") else "?"
    text += f"\nLoad average (1, 5, 15 min) before: {load_before}; after: {load_after}.\n"
    with open(os.path.join(args.out, "table.md"), "w") as fh:
        fh.write(text)
    with open(os.path.join(args.out, "results.json"), "w") as fh:
        json.dump({"seconds": args.seconds, "relulp": args.relulp, "self_check": checks,
                   "problems": [{**m, "records": r, "violations": v} for m, r, v in results]}, fh, indent=1, default=float)
    print(text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
