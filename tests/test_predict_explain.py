"""`predict --explain` and `--json` show each step as its kernels; the deployment's choices (KV dtype,
attention layout) are shown with their reasons; scenarios choose the attention layout by default."""

import json
import shlex

import pytest
import yaml

from breakeven import predict


def test_explain_prints_each_step_as_its_kernels(cli):
    code, out, err = cli(
        *shlex.split(
            "predict --model qwen3-30b-a3b --gpu h100 --gpus 1 --input-tokens 2000 --output-tokens 200 "
            "--concurrency 16 --explain"
        )
    )
    assert code == 0, err
    assert "decode step at batch 16 (one GPU)" in out and "a step carrying one chunk of a new prompt" in out
    for term in ("dense GEMMs", "attention", "MoE GEMMs", "MoE routing and launches", "norms, sampling, launches"):
        assert term in out
    assert "KV cache" in out and "attention" in out and "one GPU: nothing to split" in out


def test_json_carries_the_kernels_and_they_add_up_to_the_step(cli):
    code, out, _ = cli(
        *shlex.split(
            "predict --model deepseek-r1 --gpu h200 --gpus 8 --input-tokens 4000 --output-tokens 500 "
            "--concurrency 64 --json"
        )
    )
    assert code == 0
    r = json.loads(out)
    assert r["attention_dp"] is True and "MLA" in r["attention_dp_reason"]
    assert r["kv_precision"] == "bf16" and r["kv_precision_reason"].startswith("bf16:")
    kernels = r["step_kernels"]
    assert {k["term"] for k in kernels} >= {"dense GEMMs", "attention", "MoE GEMMs", "communication"}
    assert all(set(k) == {"term", "time_s", "bound", "roofline_s", "fixed_s"} for k in kernels)
    assert {k["bound"] for k in kernels} <= {"memory", "compute", "link", "latency"}
    assert sum(k["time_s"] for k in kernels) == pytest.approx(r["step_time_s"], rel=1e-4)
    assert r["prefill_kernels"] and r["nodes"] == 1 and r["prefill_gpus"] == 0


def test_each_kernel_time_is_its_roofline_plus_its_fixed_cost():
    p = predict("llama-3.1-70b", "h100-sxm", 4, 8000, 500, concurrency=32)
    for k in p.step_kernels + p.prefill_kernels:
        assert k.time_s == pytest.approx(k.roofline_s + k.fixed_s)
        assert (k.bound == "latency") == (k.fixed_s > k.roofline_s)


def test_kv_precision_override_and_reason_in_the_table(cli):
    base = shlex.split(
        "predict --model llama-3.3-70b --gpu h100 --gpus 2 --precision fp8 --engine trtllm "
        "--input-tokens 1000 --output-tokens 100"
    )
    assert json.loads(cli(*base, "--json")[1])["kv_precision"] == "fp8"
    r = json.loads(cli(*base, "--kv-precision", "bf16", "--json")[1])
    assert r["kv_precision"] == "bf16" and "asked for" in r["kv_precision_reason"]
    out = cli(*base)[1]
    assert "nvidia/Llama-3.3-70B-Instruct-FP8" in out


def test_tp_attention_flag_overrides_the_default(cli):
    args = shlex.split("predict --model deepseek-r1 --gpu h200 --gpus 8 --input-tokens 1000 --output-tokens 100 --json")
    assert json.loads(cli(*args)[1])["attention_dp"] is True
    assert json.loads(cli(*args, "--tp-attention")[1])["attention_dp"] is False


def test_scenario_candidates_choose_data_parallel_attention_for_mla_models(tmp_path):
    # GLM-5.2 on 8x H100 needed 2 replicas at a few percent utilization until `attention_dp: true`
    # was copied from an example; left out, breakeven now chooses it as an operator would.
    from conftest import ROOT

    from breakeven.scenario.evaluate import evaluate
    from breakeven.scenario.load import parse

    data = yaml.safe_load((ROOT / "examples" / "glm-team.yaml").read_text())
    host = next(c for c in data["candidates"] if c["kind"] == "selfhost")
    results = {}
    for setting in ("auto", True, False):
        if setting == "auto":
            host.pop("attention_dp", None)
        else:
            host["attention_dp"] = setting
        ev = evaluate(parse(data, "glm-team"), curve_points=0)
        results[setting] = next(c for c in ev.candidates if c.kind == "selfhost")
        layout = next(a for a in ev.assumptions if a.name.endswith("attention layout"))
        if setting == "auto":
            assert layout.value.startswith("data-parallel") and "MLA" in layout.source
    assert results["auto"].replicas == results[True].replicas < results[False].replicas
