"""Smoke test of the peer benchmarks (CI-friendly).

Runs the exact conic peer (CVXPY + Clarabel) on Tests/Fixtures/kink1d_n20.csv with lambda = 0.05
and checks that it reproduces the certified optimum in Tests/Fixtures/expected.json to 1e-6 relative.
Skipped, with the reason, when cvxpy or clarabel is not installed:
    pip install -r benchmarks/peers/requirements.txt

Also provides compare_relulp_model(model_json, csv) for the lead: recompute the objective of
a relulp model with the peers' formula and compare it with the conic optimum.

    python3 -m pytest benchmarks/peers/smoke_test.py -q
"""
import json
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import regions  # noqa: E402


DATA = HERE.parents[1] / "Tests" / "Fixtures"  # the repository's fixtures: example data and certified optima
REL_TOL = 1e-6


def _expected(file, lam):
    for e in json.loads((DATA / "expected.json").read_text()):
        if e["file"] == file and abs(e["lam"] - lam) < 1e-15 and e["bias"]:
            return e
    raise KeyError((file, lam))


def conic_optimum(csv, lam, bias=True, regions_json=None, loss="l1"):
    """Objective of (P) (or of the squared loss) from the conic peer, recomputed from its atoms; plus its record."""
    import conic

    X, y, _ = common.load_csv(csv)
    Xt = common.lift(X, bias)
    reg = regions.load_regions(regions_json) if regions_json else regions.enumerate_regions(Xt)
    act, facets = regions.signs_and_facets(reg)
    amps, W, info = conic.solve_patterns(Xt, y, lam, act, facets, loss=loss)
    return common.objective(Xt, y, lam, amps, W, loss), dict(info, regions=int(act.shape[0]), atoms=common.count_atoms(amps))


def compare_relulp_model(model_json, csv, rel_tol=REL_TOL, conic_value=None):
    """Compare a relulp model (relulp-model v1 JSON) with the conic peer on the same data.
    Returns a dict; 'match' is True when both objectives agree to rel_tol (relative to the
    conic value) and the model's reported objective agrees with the recomputed one."""
    J, atoms, model = common.relulp_model_objective(model_json, csv)
    lam, bias = float(model["lambda"]), bool(model.get("bias", True))
    if conic_value is None:
        conic_value, _ = conic_optimum(csv, lam, bias)
    rel = abs(J - conic_value) / abs(conic_value)
    reported = model.get("objective")
    rep_rel = abs(reported - J) / abs(J) if reported is not None else None
    lower = model.get("lowerBound")
    return {
        "relulp_objective_recomputed": J, "relulp_objective_reported": reported, "relulp_lower_bound": lower,
        "relulp_atoms": atoms, "conic_objective": conic_value, "relative_difference": rel,
        "reported_vs_recomputed": rep_rel,
        "conic_not_below_lower_bound": lower is None or conic_value >= lower - rel_tol * abs(lower),
        "match": rel <= rel_tol and (rep_rel is None or rep_rel <= rel_tol),
    }


def test_regions_count_matches_expected():
    for e in json.loads((DATA / "expected.json").read_text()):
        X, _, _ = common.load_csv(DATA / e["file"])
        assert regions.enumerate_regions(common.lift(X, e["bias"]))["regions"] == e["regions"]


def test_conic_matches_certified_optimum_kink1d():
    pytest.importorskip("cvxpy", reason="cvxpy not installed: pip install -r benchmarks/peers/requirements.txt")
    pytest.importorskip("clarabel", reason="clarabel not installed: pip install -r benchmarks/peers/requirements.txt")
    e = _expected("kink1d_n20.csv", 0.05)
    J, info = conic_optimum(DATA / "kink1d_n20.csv", 0.05)
    assert info["regions"] == e["regions"]
    ref = e["optimum_upper"]
    assert abs(J - ref) <= REL_TOL * abs(ref), (J, ref)
    # a feasible network can never beat the certified lower bound
    assert J >= e["optimum_lower"] * (1 - REL_TOL)


if __name__ == "__main__":
    if len(sys.argv) == 3:  # python3 smoke_test.py MODEL.json DATA.csv
        print(json.dumps(compare_relulp_model(sys.argv[1], sys.argv[2]), indent=1))
    else:
        sys.exit(pytest.main([__file__, "-q"]))


def _relulp_binary():
    root = HERE.parents[1]
    for cand in (os.environ.get("RELULP"), root / ".build" / "release" / "relulp", root / ".build" / "debug" / "relulp"):
        if cand and Path(cand).exists():
            return Path(cand)
    return None


def test_conic_matches_relulp_certified_optimum(tmp_path):
    """The issue-7 smoke test proper: relulp's certified optimum and the conic peer agree to 1e-6."""
    pytest.importorskip("cvxpy", reason="cvxpy not installed: pip install -r benchmarks/peers/requirements.txt")
    pytest.importorskip("clarabel", reason="clarabel not installed: pip install -r benchmarks/peers/requirements.txt")
    binary = _relulp_binary()
    if binary is None:
        pytest.skip("relulp binary not built (swift build -c release)")
    import subprocess
    model = tmp_path / "model.json"
    csv = DATA / "teacher2d_n30.csv"
    subprocess.run([str(binary), "solve", str(csv), "--lambda", "0.1", "--quiet", "--output", str(model)],
                   check=True, capture_output=True)
    record = json.loads(model.read_text())
    assert record["status"] == "optimal"
    result = compare_relulp_model(model, csv)
    assert result["match"], result
    assert result["conic_not_below_lower_bound"], result


def test_conic_matches_relulp_squared_loss(tmp_path):
    """Issue 15: relulp's certified squared-loss optimum against the exact conic model with the squared loss on the
    full region set (CVXPY + Clarabel), on a small generated instance with two features: equal to 1e-6, and the
    conic network never below relulp's certified lower bound."""
    pytest.importorskip("cvxpy", reason="cvxpy not installed: pip install -r benchmarks/peers/requirements.txt")
    pytest.importorskip("clarabel", reason="clarabel not installed: pip install -r benchmarks/peers/requirements.txt")
    binary = _relulp_binary()
    if binary is None:
        pytest.skip("relulp binary not found (swift build -c release)")
    import subprocess
    import numpy as np
    rng = np.random.default_rng(15)
    X = rng.uniform(-1, 1, size=(25, 2))
    y = np.maximum(X @ [1.0, -0.5] + 0.2, 0) - 0.8 * np.maximum(X @ [-0.3, 1.0] - 0.1, 0) + 0.05 * rng.standard_normal(25)
    csv = tmp_path / "data.csv"
    csv.write_text("x1,x2,y\n" + "".join(f"{float(a)!r},{float(b)!r},{float(c)!r}\n" for (a, b), c in zip(X, y)))
    model = tmp_path / "model.json"
    for lam in (0.05, 0.005):
        subprocess.run([str(binary), "solve", str(csv), "--lambda", repr(lam), "--loss", "squared", "--quiet",
                        "--output", str(model)], check=True, capture_output=True)
        record = json.loads(model.read_text())
        assert record["status"] == "optimal" and record["loss"] == "squared"
        J, _, _ = common.relulp_model_objective(model, csv)
        conic_value, _ = conic_optimum(csv, lam, loss="squared")
        assert abs(J - conic_value) <= REL_TOL * abs(conic_value), (lam, J, conic_value)
        assert conic_value >= record["lowerBound"] * (1 - 1e-9), (lam, conic_value, record["lowerBound"])

