"""Per (sweep, c, seed): Dirac counts against the limit's and the log-log slopes of the matched errors against λ
over the solves with the limit's count (stdlib only). Usage: python3 slopes.py SWEEP_FOLDER... > slopes.csv"""
import csv
import json
import math
import sys


def fit(xs, ys):
    """Least-squares slope of log10(y) against log10(x); None with fewer than 3 points."""
    pts = [(math.log10(x), math.log10(y)) for x, y in zip(xs, ys) if x > 0 and y > 0]
    if len(pts) < 3:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx


print("sweep,c,seed,solves,same_count,largest_lambda_with_other_count,angle_slope,amplitude_slope")
for folder in sys.argv[1:]:
    limit = json.load(open(folder + "/summary.json"))["limit"]["diracs"]
    rows = list(csv.DictReader(open(folder + "/runs.csv")))
    for key in sorted({(float(r["noise"]), int(r["seed"])) for r in rows}):
        rs = [r for r in rows if (float(r["noise"]), int(r["seed"])) == key]
        same = [r for r in rs if int(r["diracs"]) == limit and int(r["unmatched"]) == 0]
        other = [float(r["lambda"]) for r in rs if int(r["diracs"]) != limit]
        lam = [float(r["lambda"]) for r in same]
        slopes = [fit(lam, [float(r[q]) for r in same]) for q in ("max_angle_error", "max_amplitude_error")]
        text = ["" if s is None else "%.3f" % s for s in slopes]
        worst = "%g" % max(other) if other else ""
        print("%s,%g,%d,%d,%d,%s,%s,%s" % (folder.split("/")[-1], key[0], key[1], len(rs), len(same), worst, *text))
