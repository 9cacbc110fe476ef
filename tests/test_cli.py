"""The CLI contract: JSON keys, exit codes, clear errors (never a traceback)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import HF_CONFIGS

SIZE_KEYS = {"weights_bytes", "kv_bytes_per_token", "kv_capacity_tokens", "max_sequences", "fits", "min_gpus"}
PREDICT_KEYS = {
    "decode_tokens_per_s_per_stream",
    "output_tokens_per_s",
    "ttft_s",
    "step_time_s",
    "batch",
    "bound",
    "calibration",
}


def test_size_json_contract(cli):
    code, out, _ = cli("size", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--json")
    data = json.loads(out)
    assert code == 0 and set(data) >= SIZE_KEYS
    assert data["kv_bytes_per_token"] == 131072 and data["fits"] is True and data["min_gpus"] == 1


def test_size_with_all_flags(cli):
    code, out, _ = cli(
        "size",
        "--model",
        "deepseek-r1",
        "--gpu",
        "h200",
        "--gpus",
        "8",
        "--precision",
        "fp8",
        "--kv-precision",
        "fp8",
        "--context",
        "32768",
        "--json",
    )
    data = json.loads(out)
    assert code == 0 and data["model"] == "deepseek-v3" and data["kv_bytes_per_token"] == 61 * 576


def test_size_reports_fits_false_not_an_error(cli):
    code, out, _ = cli("size", "--model", "llama-3.1-405b", "--gpu", "rtx-4090", "--gpus", "2", "--json")
    assert code == 0 and json.loads(out)["fits"] is False


def test_predict_json_contract(cli):
    code, out, _ = cli(
        "predict",
        "--model",
        "llama-3.1-8b",
        "--gpu",
        "h100",
        "--gpus",
        "1",
        "--input-tokens",
        "2000",
        "--output-tokens",
        "500",
        "--concurrency",
        "max",
        "--json",
    )
    data = json.loads(out)
    assert code == 0 and set(data) >= PREDICT_KEYS
    assert data["concurrency"] == "max" and data["batch"] > 1 and data["calibration"]["engine"] == "vllm"


def test_predict_table_for_people(cli):
    code, out, _ = cli(
        "predict",
        "--model",
        "qwen3-30b-a3b",
        "--gpu",
        "l40s",
        "--gpus",
        "2",
        "--input-tokens",
        "1000",
        "--output-tokens",
        "200",
        "--concurrency",
        "16",
        "--engine",
        "sglang",
    )
    assert code == 0 and "tok/s" in out and "bound by" in out


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["size", "--model", "llama-3.1-7b", "--gpu", "h100"], "did you mean"),
        (["size", "--model", "llama-3.1-8b", "--gpu", "h1000"], "h100"),
        (["size", "--model", "llama-3.1-8b", "--gpu", "h100", "--gpus", "0"], "gpus"),
        (["size", "--model", "llama-3.1-8b", "--gpu", "h100", "--context", "999999"], "maximum context"),
        (["size", "--model", "llama-3.1-8b", "--gpu", "h100", "--precision", "fp7"], "precision"),
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
                "-3",
                "--output-tokens",
                "10",
            ],
            "--input-tokens: -3",
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
                "--concurrency",
                "lots",
            ],
            "concurrency",
        ),
        (
            [
                "predict",
                "--model",
                "llama-3.1-405b",
                "--gpu",
                "h100",
                "--gpus",
                "2",
                "--input-tokens",
                "10",
                "--output-tokens",
                "10",
            ],
            "needs at least",
        ),
        (
            ["predict", "--model", "llama-3.1-8b", "--gpu", "h100", "--gpus", "1", "--input-tokens", "10"],
            "output-tokens",
        ),
        (["size", "--model", "missing/config.json", "--gpu", "h100"], "config.json"),
        (["catalog", "list", "--kind", "cars"], "kind"),
        (["catalog", "show", "b300"], "did you mean"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(cli, argv, needle):
    code, out, err = cli(*argv)
    assert code == 2
    assert needle in err + out
    assert "Traceback" not in err + out


def test_model_from_hf_config_path(cli):
    code, out, _ = cli("size", "--model", str(HF_CONFIGS / "deepseek-v3.json"), "--gpu", "h200", "--json")
    data = json.loads(out)
    assert code == 0 and data["kv_bytes_per_token"] == 70272 and data["precision"] == "fp8"


def test_catalog_list_show_check(cli):
    code, out, _ = cli("catalog", "list", "--kind", "gpus", "--json")
    assert code == 0 and {"h100-sxm", "mi300x"} <= {e["id"] for e in json.loads(out)}
    code, out, _ = cli("catalog", "show", "glm-5.2", "--json")
    assert code == 0 and json.loads(out)["params_total_b"] == 743
    code, out, _ = cli("catalog", "check", "--max-age-days", "365", "--today", "2026-12-01")
    assert code == 0 and "valid" in out
    code, out, _ = cli("catalog", "check", "--max-age-days", "30", "--today", "2027-06-01", "--json")
    assert code == 1 and json.loads(out)["stale"]


def test_catalog_schema_prints_json_schema(cli):
    code, out, _ = cli("catalog", "schema", "models")
    assert code == 0 and json.loads(out)["required"] == ["models"]


SCRIPT = Path(sys.executable).parent / "breakeven"


@pytest.mark.skipif(not SCRIPT.exists(), reason="package not installed (run: pip install '.[test]')")
def test_console_script_end_to_end():
    proc = subprocess.run([str(SCRIPT), "size", "--model", "nope", "--gpu", "h100"], capture_output=True, text=True)
    assert proc.returncode == 2 and "error: --model" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "breakeven", "catalog", "list", "--kind", "engines"], capture_output=True, text=True
    )
    assert proc.returncode == 0 and "vllm" in proc.stdout


@pytest.mark.parametrize("kind", ["gpus", "models", "engines", "gpu-rent", "gpu-own", "api-offers", "fx"])
def test_catalog_list_every_kind(cli, kind):
    code, out, err = cli("catalog", "list", "--kind", kind)
    assert code == 0 and "Traceback" not in err and len(out.splitlines()) > 4


EVALUATE_KEYS = {"currency", "candidates", "break_even", "recommendation", "assumptions"}
CANDIDATE_KEYS = {
    "name",
    "kind",
    "monthly_cost",
    "breakdown",
    "cost_per_million_tokens",
    "replicas",
    "utilization",
    "service_level_met",
}
BREAK_EVEN_KEYS = {"api", "selfhost", "axis", "crossings", "selfhost_cheaper_above"}


def test_evaluate_json_contract(cli):
    from conftest import ROOT

    code, out, err = cli("evaluate", str(ROOT / "examples" / "glm-team.yaml"), "--json")
    data = json.loads(out)
    assert code == 0, err
    assert set(data) >= EVALUATE_KEYS
    assert all(set(c) >= CANDIDATE_KEYS for c in data["candidates"])
    assert all(set(b) >= BREAK_EVEN_KEYS for b in data["break_even"]) and len(data["break_even"]) == 2
    assert "curves" not in data
    code, out, _ = cli("evaluate", str(ROOT / "examples" / "glm-team.yaml"), "--json", "--curves")
    assert len(json.loads(out)["curves"]) == 3


def test_evaluate_table_for_people(cli):
    from conftest import ROOT

    code, out, _ = cli("evaluate", str(ROOT / "examples" / "b-crossover.yaml"))
    assert code == 0 and "recommendation" in out and "2,298" in out and "assumptions" in out


def test_evaluate_bad_scenario_exits_2_with_the_field_path(cli, tmp_path):
    from conftest import ROOT

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (ROOT / "examples" / "glm-team.yaml").read_text().replace("gpus_per_replica: 8", "gpus_per_replica: eight")
    )
    code, _out, err = cli("evaluate", str(bad))
    assert code == 2 and "candidates[2].gpus_per_replica" in err and "Traceback" not in err
    code, _, err = cli("evaluate", str(tmp_path / "missing.yaml"))
    assert code == 2 and "file" in err


def test_compare_quick_answer(cli):
    code, out, err = cli(
        "compare", "--model", "glm-5.2", "--volume", "2B tokens/month", "--gpu", "h200", "--precision", "fp8", "--json"
    )
    data = json.loads(out)
    assert code == 0, err
    assert {c["kind"] for c in data["candidates"]} == {"api", "selfhost"}
    staff = next(a for a in data["assumptions"] if a["name"].endswith("staff hours"))
    assert staff["confidence"] == "est" and "[A]" in staff["source"]


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["compare", "--model", "glm-5.2", "--volume", "lots"], "volume"),
        (["compare", "--model", "qwen3-8b", "--volume", "1B/month"], "API offer"),
        (["compare", "--model", "glm-5.2", "--volume", "1B/month", "--input-share", "1.5"], "--input-share: 1.5"),
        (["example", "nope"], "b-crossover"),
    ],
)
def test_compare_and_example_bad_input(cli, argv, needle):
    code, _out, err = cli(*argv)
    assert code == 2 and needle in err and "Traceback" not in err


def test_example_writes_a_scenario_that_evaluates(cli, tmp_path):
    code, out, _ = cli("example")
    assert code == 0 and "b-crossover" in out.split()
    code, out, _ = cli("example", "d-scenario-b")
    f = tmp_path / "s.yaml"
    f.write_text(out)
    code, out, _ = cli("evaluate", str(f), "--json")
    assert code == 0 and json.loads(out)["recommendation"] == "Hetzner AX102"


UNCERTAINTY_KEYS = {"samples", "seed", "candidates", "break_even", "tornado"}
"""The contract of evaluate --uncertainty (add keys freely, keep these)."""


def test_evaluate_uncertainty_and_horizon_json_contract(cli):
    from conftest import ROOT

    path = str(ROOT / "examples" / "glm-team.yaml")
    code, out, err = cli("evaluate", path, "--json", "--uncertainty", "--samples", "1000", "--seed", "4", "--horizon")
    assert code == 0, err
    data = json.loads(out)
    u = data["uncertainty"]
    assert set(u) >= UNCERTAINTY_KEYS and (u["samples"], u["seed"]) == (1000, 4)
    for c in u["candidates"]:
        assert set(c) >= {"name", "monthly_cost", "cost_per_million_tokens", "probability_cheapest"}
        assert set(c["monthly_cost"]) == set(c["cost_per_million_tokens"]) == {"p10", "p50", "p90"}
    for b in u["break_even"]:
        assert set(b) >= {"api", "selfhost", "selfhost_cheaper_above", "probability_never"}
        assert set(b["selfhost_cheaper_above"]) == {"p10", "p50", "p90"}
    swings = [t["swing"] for t in u["tornado"] if t["swing"] is not None]
    assert all(set(t) >= {"input", "low", "high", "swing"} for t in u["tornado"]) and swings == sorted(
        swings, reverse=True
    )
    assert "curves" not in u and set(data["horizon"]) >= {"months", "candidates", "payback", "break_even"}
    plain = json.loads(cli("evaluate", path, "--json")[1])
    assert {k: v for k, v in data.items() if k not in ("uncertainty", "horizon", "assumptions")} == {
        k: v for k, v in plain.items() if k != "assumptions"
    }


def test_evaluate_uncertainty_for_people(cli):
    from conftest import ROOT

    code, out, _ = cli("evaluate", str(ROOT / "examples" / "c-utilization.yaml"), "--uncertainty", "--samples", "500")
    assert code == 0 and "uncertainty — 500 samples, seed 0" in out and "tornado" in out
    assert out.startswith("At 7.78B tokens/month")


@pytest.mark.parametrize(
    "argv,needle",
    [
        (("--samples", "500"), "--samples: 500 is not allowed; only with --uncertainty"),
        (("--seed", "1"), "--seed"),
        (("--uncertainty", "--samples", "2000000"), "--samples"),
        (("--uncertainty", "--seed", "-3"), "--seed"),
    ],
)
def test_evaluate_uncertainty_options_exit_2(cli, argv, needle):
    from conftest import ROOT

    code, _, err = cli("evaluate", str(ROOT / "examples" / "glm-team.yaml"), *argv)
    assert code == 2 and needle in err and "Traceback" not in err
