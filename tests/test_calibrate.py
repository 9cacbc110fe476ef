"""Calibrating on a real measured sweep, calibration files, and using them in predict and scenarios."""

import datetime as dt
import json

import numpy as np
import pytest
from conftest import ROOT

from breakeven import catalog, predict
from breakeven.calibration.bundled import deployment_for
from breakeven.calibration.calibrate import calibrate
from breakeven.calibration.file import CalibrationDeployment, load
from breakeven.calibration.fit import evaluate
from breakeven.calibration.runs import to_measurements
from breakeven.ingest.benchmarks import read_results

NIM = ROOT / "tests" / "data" / "measured" / "nim-llama-3.3-70b-2xh100-fp8-5000in-500out.yaml"
TODAY = dt.date(2026, 11, 22)
DEPLOYMENT = CalibrationDeployment(
    model="llama-3.3-70b", gpu="h100-sxm", gpus=2, precision="fp8", kv_precision="fp8", engine="trtllm"
)


def _points(runs):
    return [m for r in runs for m in to_measurements(r, "llama-3.3-70b", "h100-sxm", 2, "fp8", "fp8", "trtllm", TODAY)]


def test_calibrating_on_half_a_measured_sweep_predicts_the_other_half():
    # NVIDIA NIM 1.8.0, Llama 3.3 70B fp8 on 2x H100, 5,000 in / 500 out, concurrency 1..250 (8 points).
    runs = read_results([str(NIM)]).runs
    train, held_out = runs[0::2], runs[1::2]  # concurrency 1, 25, 100, 200 | 5, 50, 150, 250
    cal = calibrate(_points(train), catalog.engine("trtllm"), DEPLOYMENT, [NIM.name], TODAY)
    assert cal.file.fit.rms_relative_error_after < cal.file.fit.rms_relative_error_before
    errors = {
        (e.point.concurrency, e.point.metric): e.relative_error
        for e in evaluate(cal.file.profile, _points(held_out), deployment_for)
    }
    # Stated errors: mean ITL and output throughput within 10%; TTFT within 10% where queueing dominates
    # (concurrency above the ~86 sequences that fit) and within 40% below it, where the scheduler's
    # delays are not modelled (docs/calibration.md).
    for (conc, metric), err in errors.items():
        limit = 0.40 if metric == "ttft_ms" and conc < 100 else 0.10
        assert abs(err) <= limit, (conc, metric, err)


def test_uncalibrated_model_on_the_measured_sweep_is_reported_and_bounded():
    runs = read_results([str(NIM)]).runs
    errs = [e.relative_error for e in evaluate(catalog.engine("trtllm"), _points(runs), deployment_for)]
    assert len(errs) == 24
    assert np.sqrt(np.mean(np.square(errs))) < 0.2


def test_calibrate_cli_writes_a_file_predict_and_scenarios_use(cli, tmp_path):
    out = tmp_path / "cal.yaml"
    code, stdout, err = cli(
        "calibrate",
        str(NIM),
        "--model",
        "llama-3.3-70b",
        "--gpu",
        "h100-sxm",
        "--gpus",
        "2",
        "--precision",
        "fp8",
        "--kv-precision",
        "fp8",
        "--engine",
        "trtllm",
        "--out",
        str(out),
        "--json",
        "--chart",
        str(tmp_path / "chart.html"),
    )
    assert code == 0, err
    data = json.loads(stdout)
    assert data["fit"]["points"] == 24 and data["runs"] == 8
    assert data["fit"]["rms_relative_error_after"] <= data["fit"]["rms_relative_error_before"]
    assert (tmp_path / "chart.html").stat().st_size > 100_000
    cal = load(out)
    p = predict(
        "llama-3.3-70b", "h100-sxm", 2, 5000, 500, concurrency=50, precision="fp8", kv_precision="fp8", calibration=cal
    )
    assert p.calibration.engine == "trtllm-calibrated" and len(p.calibration.fitted_on) == 24
    code, stdout, _ = cli(
        "predict",
        "--model",
        "llama-3.3-70b",
        "--gpu",
        "h100-sxm",
        "--gpus",
        "2",
        "--precision",
        "fp8",
        "--input-tokens",
        "5000",
        "--output-tokens",
        "500",
        "--concurrency",
        "50",
        "--calibration",
        str(out),
        "--json",
    )
    assert code == 0 and json.loads(stdout)["calibration"]["engine"] == "trtllm-calibrated"
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        (ROOT / "examples" / "d-scenario-b.yaml")
        .read_text()
        .replace("    engine: vllm\n", "    engine: vllm\n    calibration: cal.yaml\n")
    )
    code, stdout, err = cli("evaluate", str(scenario), "--json")
    assert code == 0, err
    host = json.loads(stdout)["candidates"][1]
    assert any("calibrated on llama-3.3-70b" in n and "carried over" in n for n in host["notes"])
    code, stdout, err = cli("evaluate", str(scenario), "--json", "--uncertainty", "--samples", "200", "--horizon")
    assert code == 0, err  # the calibrated profile's figures are drawn like the catalog's
    assert json.loads(stdout)["uncertainty"]["samples"] == 200


def test_calibrate_report_and_fixture_formats(cli):
    code, out, err = cli(
        "calibrate",
        *[str(p) for p in sorted((ROOT / "tests/data/benchmarks/vllm").glob("serve-*.json"))],
        "--model",
        "llama-3.1-8b",
        "--gpu",
        "h100-sxm",
        "--gpus",
        "1",
        "--report",
    )
    assert code == 0, err
    assert "predicted against measured" in out and "rms relative error" in out


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["calibrate", "nope.json", "--model", "llama-3.1-8b", "--gpu", "h100", "--gpus", "1"], "results"),
        (
            ["calibrate", "README.md", "--model", "llama-3.1-8b", "--gpu", "h100", "--gpus", "1"],
            "at least one readable",
        ),
        (
            [
                "predict",
                "--model",
                "llama-3.1-8b",
                "--gpu",
                "h100",
                "--gpus",
                "1",
                "--input-tokens",
                "10",
                "--output-tokens",
                "10",
                "--calibration",
                "README.md",
            ],
            "calibration",
        ),
    ],
)
def test_calibrate_bad_input(cli, argv, needle, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, _out, err = cli(*argv)
    assert code == 2 and needle in err and "Traceback" not in err


def test_web_api_refuses_calibration_files():
    from fastapi.testclient import TestClient
    from scenario_helpers import example_data

    from breakeven.web.app import create_app

    data = example_data("d-scenario-b")
    data["candidates"][1]["calibration"] = "/etc/passwd"
    resp = TestClient(create_app()).post("/api/evaluate", json=json.loads(json.dumps(data, default=str)))
    assert resp.status_code == 422 and "does not read files" in resp.json()["detail"][0]["msg"]


SWEEP = ROOT / "tests" / "data" / "benchmarks" / "vllm" / "sweep.jsonl"


def _sweep_points():
    runs = read_results([str(SWEEP)]).runs
    return [m for r in runs for m in to_measurements(r, "llama-3.1-8b", "h100-sxm", 1, "bf16", "bf16", "vllm", TODAY)]


def test_the_readme_calibration_never_ends_worse_than_it_starts():
    # Reproducer: this README example once printed `rms error 20.3% -> 23.6%` (the fit minimized log
    # errors, the report printed relative ones). The objective is now the printed figure.
    deployment = CalibrationDeployment(
        model="llama-3.1-8b", gpu="h100-sxm", gpus=1, precision="bf16", kv_precision="bf16", engine="vllm"
    )
    cal = calibrate(_sweep_points(), catalog.engine("vllm"), deployment, [SWEEP.name], TODAY)
    fit = cal.file.fit
    assert fit.rms_relative_error_after <= fit.rms_relative_error_before
    assert fit.objective.startswith("rms relative error")
    # these 3 runs at one request shape cannot separate every decode constant: the fit names the
    # groups, and one field of each keeps its starting value
    base = catalog.engine("vllm")
    assert fit.unidentified and len(fit.warnings()) >= len(fit.unidentified)
    for group in fit.unidentified:
        assert any(getattr(cal.file.profile, f) == getattr(base, f) for f in group)
        assert any(group[0] in w for w in fit.warnings())


def test_a_fit_that_cannot_improve_keeps_its_start():
    from breakeven.calibration.fit import fit_profile

    base = catalog.engine("vllm")
    points = _sweep_points()
    # fit only a field these points cannot move: nothing to gain, the start is kept
    fit = fit_profile(base, points, ["allreduce_latency_us"], deployment_for)
    assert fit.profile == base and fit.unidentified == (("allreduce_latency_us",),)


def test_inseparable_fields_are_found_from_the_jacobian():
    from breakeven.calibration.fit import inseparable

    # residuals that move with a + b only: a and b cannot be told apart, c is fine
    jac = np.array([[1.0, 1.0, 0.0], [2.0, 2.0, 1.0], [0.5, 0.5, 3.0]])
    groups = inseparable(jac, ["a", "b", "c"])
    assert len(groups) == 1 and set(groups[0][0]) == {"a", "b"}
    assert inseparable(np.eye(3), ["a", "b", "c"]) == []
