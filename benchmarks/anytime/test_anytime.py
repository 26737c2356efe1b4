"""Tests of the anytime harness's parts:  python3 -m pytest benchmarks/anytime -q

The evaluator against relulp's stored model and hand-computed values, Adam's hand-written gradients against
finite differences, the SDP bound against networks' objectives, and the bound check's ability to fail."""
import json
import os
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
ROOT = os.path.dirname(os.path.dirname(HERE))

import adam  # noqa: E402
import objective as obj  # noqa: E402
import run  # noqa: E402

KINK = os.path.join(ROOT, "models", "kink1d_n20")


def test_evaluator_matches_the_stored_model():
    r = obj.model_objective(os.path.join(KINK, "model.json"), os.path.join(KINK, "data.csv"))
    for key in ("objective", "dataLoss", "totalVariation"):
        assert abs(r[key] - r["stored"][key]) <= 1e-12 * max(1.0, abs(r[key]))


def test_evaluator_by_hand():
    # one atom a = 2 at w ∝ (1, 1) (not normalised: ‖u‖ = √2, so a = 2√2), points x = 0 and x = 1, bias on:
    # f(0) = 2√2·(1/√2)·1 = 2, f(1) = 2√2·(2/√2) = 4; labels 1 and 5.
    Xt = obj.lift(np.array([[0.0], [1.0]]))
    y = np.array([1.0, 5.0])
    c, U = np.array([2.0]), np.array([[1.0, 1.0]])
    tv = 2 * np.sqrt(2)
    assert obj.objective(Xt, y, 0.1, c, U, "l1")[0] == pytest.approx((1 + 1) / 2 + 0.1 * tv, rel=1e-15)
    assert obj.objective(Xt, y, 0.1, c, U, "squared")[0] == pytest.approx((1 + 1) / 4 + 0.1 * tv, rel=1e-15)
    yh = np.array([1.0, -1.0])  # margins 2 and −4: hinge terms 0 and 5
    assert obj.objective(Xt, yh, 0.1, c, U, "hinge")[0] == pytest.approx(5 / 2 + 0.1 * tv, rel=1e-15)


def test_evaluator_on_the_zero_network():
    # a model with no atoms (what relulp writes when the budget ends before a neuron is found): f = 0, TV = 0
    Xt = obj.lift(np.array([[0.0], [1.0]]))
    none, shape = np.zeros(0), np.zeros((0, 2))
    assert obj.objective(Xt, np.array([1.0, -3.0]), 0.1, none, shape, "l1")[0] == pytest.approx(2.0, rel=1e-15)
    assert obj.objective(Xt, np.array([1.0, -1.0]), 0.1, none, shape, "hinge")[0] == pytest.approx(1.0, rel=1e-15)


@pytest.mark.parametrize("loss", ["l1", "squared", "hinge"])
def test_adam_gradients_match_finite_differences(loss):
    rng = np.random.default_rng(1)
    Xt = obj.lift(rng.standard_normal((15, 3)))
    y = rng.standard_normal(15) if loss != "hinge" else np.sign(rng.standard_normal(15))
    U, c = rng.standard_normal((4, 4)), rng.standard_normal(4)
    gU, gc = adam.gradients(Xt, y, 0.03, loss, U, c)

    def J(U, c):
        return obj.objective(Xt, y, 0.03, c, U, loss)[0]

    h = 1e-6
    for i, j in [(0, 0), (1, 3), (3, 2)]:
        E = np.zeros_like(U)
        E[i, j] = h
        assert (J(U + E, c) - J(U - E, c)) / (2 * h) == pytest.approx(gU[i, j], rel=1e-5, abs=1e-8)
    for i in range(4):
        e = np.zeros_like(c)
        e[i] = h
        assert (J(U, c + e) - J(U, c - e)) / (2 * h) == pytest.approx(gc[i], rel=1e-5, abs=1e-8)


def test_sdp_bound_is_below_networks_and_grows_with_points():
    pytest.importorskip("cvxpy")
    import sdp

    header, rows = obj.read_csv(os.path.join(KINK, "data.csv"))
    Xt, y = obj.lift(rows[:, :1]), rows[:, 1]
    lam = 0.05
    full = sdp.dnn_bound(Xt, y, lam)
    half = sdp.dnn_bound(Xt, y, lam, points=10)
    assert full["bound"] is not None and half["bound"] is not None
    assert 0 < half["bound"] <= full["bound"] * (1 + run.SDP_TOLERANCE)
    with open(os.path.join(KINK, "model.json")) as fh:
        atoms = json.load(fh)["atoms"]  # relulp's L1 network: any network's squared objective is an upper bound
    amps = np.array([a["amplitude"] for a in atoms])
    W = np.array([a["weights"] for a in atoms])
    for scale in (1.0, 0.8):
        upper = obj.objective(Xt, y, lam, scale * amps, W, "squared")[0]
        assert full["bound"] <= upper
    trained = adam.train(Xt, y, lam, "squared", width=20, seconds=1.0)
    assert full["bound"] <= trained["objective"] * (1 + run.SDP_TOLERANCE)


def test_check_reports_a_bound_above_an_objective():
    records = [{"method": "relulp", "bound": 0.5, "objective": 0.6},
               {"method": "adam-100", "objective": 0.45},
               {"method": "sdp-dnn", "bound": 0.4}]
    assert run.check(records) == [("relulp", 0.5, "adam-100", 0.45)]
    records[1]["objective"] = 0.55
    assert run.check(records) == []


def test_self_check_with_the_binary():
    binary = os.path.join(ROOT, ".build", "release", "relulp")
    if not os.access(binary, os.X_OK):
        pytest.skip("no release build of relulp (swift build -c release --product relulp)")
    out = os.path.join(ROOT, "benchmarks", "out", "anytime")
    os.makedirs(out, exist_ok=True)
    failed = [(what, detail) for what, ok, detail in run.self_check(binary, out) if not ok]
    assert failed == []


def test_a_binary_that_stops_at_the_time_limit_is_recorded(tmp_path):
    # A stand-in for the anytime binary: writes kink1d's model with status "time-limit" and exits 1, as relulp does
    # for an uncertified run. The harness must read the status, recompute the objective and keep the bound.
    fake = tmp_path / "relulp"
    fake.write_text(
        "#!/usr/bin/env python3\n"
        "import json, sys\n"
        f"model = json.load(open({os.path.join(KINK, 'model.json')!r}))\n"
        "model['status'] = 'time-limit'\n"
        "model['lowerBound'] = 0.9 * model['objective']\n"
        "json.dump(model, open(sys.argv[sys.argv.index('--output') + 1], 'w'))\n"
        "print('status            time-limit')\n"
        "print('bound source      subset (16 of 20 points)')\n"
        "print('error: not certified within the time limit', file=sys.stderr)\n"
        "sys.exit(1)\n")
    fake.chmod(0o755)
    record = run.run_relulp(str(fake), os.path.join(KINK, "data.csv"), 0.01, "l1", 5, str(tmp_path / "m.json"))
    stored = obj.model_objective(os.path.join(KINK, "model.json"), os.path.join(KINK, "data.csv"))
    assert record["status"] == "time-limit" and record["exit"] == 1
    assert record["bound_source"] == "subset (16 of 20 points)"
    assert record["objective"] == pytest.approx(stored["objective"], rel=1e-14)
    assert record["bound"] == pytest.approx(0.9 * stored["stored"]["objective"], rel=1e-14)
    assert record["message"] == "error: not certified within the time limit"


def test_a_refusal_is_recorded(tmp_path):
    fake = tmp_path / "relulp"
    fake.write_text("#!/bin/sh\necho 'error: too many regions' >&2\nexit 1\n")
    fake.chmod(0o755)
    record = run.run_relulp(str(fake), os.path.join(KINK, "data.csv"), 0.01, "l1", 5, str(tmp_path / "m.json"))
    assert record["status"] == "refused" and "objective" not in record
    assert record["message"] == "error: too many regions"


def test_a_crash_is_not_called_a_refusal(tmp_path):
    fake = tmp_path / "relulp"
    fake.write_text("#!/bin/sh\nkill -ABRT $$\n")
    fake.chmod(0o755)
    record = run.run_relulp(str(fake), os.path.join(KINK, "data.csv"), 0.01, "l1", 5, str(tmp_path / "m.json"))
    assert record["status"] == "crashed (signal 6)"
