"""Speculative decoding through every face: predict's options, table and JSON, a scenario candidate
(its acceptance a Monte Carlo input, its assumptions) and the web API."""

import json
import shlex

import numpy as np
import pytest
from fastapi.testclient import TestClient
from scenario_helpers import by_name, example_data, run

from breakeven.api import predict
from breakeven.scenario.draws import SampleDraws
from breakeven.scenario.load import parse
from breakeven.scenario.resolve import resolve
from breakeven.scenario.samples import sampled_costs
from breakeven.web.app import create_app

GLM = "predict --model glm-5.2 --gpu h200 --gpus 8 --precision fp8 --input-tokens 4000 --output-tokens 1000"
JSON_KEYS = {"method", "draft_tokens", "acceptance", "tokens_per_step", "speedup"}


def test_predict_json_gains_speculative(cli):
    code, out, err = cli(*shlex.split(GLM + " --speculative mtp --acceptance 0.6,0.8 --draft-tokens 2 --json"))
    assert code == 0, err
    data = json.loads(out)
    s = data["speculative"]
    assert set(s) >= JSON_KEYS
    assert (s["method"], s["draft_tokens"], s["acceptance"], s["acceptance_range"]) == ("mtp", 2, 0.7, [0.6, 0.8])
    assert s["tokens_per_step"] == pytest.approx(1 + 0.7 + 0.49) and data["tokens_per_step"] == s["tokens_per_step"]
    assert s["speedup"] == pytest.approx(
        data["decode_tokens_per_s_per_stream"] / s["decode_tokens_per_s_per_stream_without"], rel=1e-4
    )
    assert s["speedup_range"][0] < s["speedup"] < s["speedup_range"][1]
    assert s["above_break_even"] == "turned_off" and s["active"] is True
    assert code == 0 and json.loads(cli(*shlex.split(GLM + " --json"))[1])["speculative"] is None


def test_predict_table_and_explain_show_the_speculation(cli):
    code, out, err = cli(*shlex.split(GLM + " --speculative mtp --explain"))
    assert code == 0, err
    for text in ("tokens per step", "speed-up", "without speculation", "where it stops", "glm-5.2 MTP layers"):
        assert text in out
    assert "verification step: 4 queries per sequence" in out and "one drafter pass (of 3 per step)" in out
    assert "decode step without speculation at batch 1" in out
    flat = " ".join(out.replace("│", " ").split())  # the table's wrapped cells read as one line
    assert "beyond the 507 sequences whose KV cache fits, so it pays at every batch this request runs" in flat
    short = "predict -m llama-3.1-8b -g h100 --gpus 1 --input-tokens 200 --output-tokens 100 --speculative eagle"
    code, out, err = cli(*shlex.split(short))
    assert code == 0 and "stops paying above batch 142" in out and "beyond the" not in out


@pytest.mark.parametrize(
    "args,option",
    [
        ("--acceptance 0.7", "--acceptance"),
        ("--speculative mtp --acceptance lots", "--acceptance"),
        ("--speculative mtp --acceptance 0.5,0.6,0.7", "--acceptance"),
        ("--speculative mtp --acceptance 1.2", "--acceptance"),
        ("--speculative mtp --draft-tokens 0", "--draft-tokens"),
        ("--speculative medusa", "--speculative"),
        ("--speculative draft_model", "--draft-model"),
        ("--speculative draft_model --draft-model llama-3.2-3b", "--draft-model"),
        ("--speculative eagle --draft-model llama-3.2-1b", "--draft-model"),
    ],
)
def test_bad_speculative_options_exit_2_naming_the_option(cli, args, option):
    code, _, err = cli(*shlex.split(GLM + " " + args))
    assert code == 2 and err.startswith(f"error: {option}:"), err
    assert "Traceback" not in err


def test_mtp_on_a_model_without_mtp_layers_says_so(cli):
    code, _, err = cli(
        *shlex.split("predict -m llama-3.1-8b -g h100 --gpus 1 --input-tokens 10 --output-tokens 10 --speculative mtp")
    )
    assert code == 2 and err.startswith("error: --speculative:") and "llama-3.1-8b has none" in err and "eagle" in err


def test_python_api_takes_the_option_as_a_mapping():
    p = predict(
        "llama-3.1-70b",
        "h100-sxm",
        4,
        2000,
        500,
        1,
        speculative={"method": "draft_model", "draft_model": "llama-3.2-1b", "acceptance": 0.7},
    )
    s = p.speculative
    assert s.drafter.startswith("llama-3.2-1b") and s.drafter_weight_bytes == pytest.approx(2.48e9, rel=0.01)
    assert s.acceptance_range is None and s.speedup_range is None and s.acceptance_source == "given"
    assert p.decode_tokens_per_s_per_stream > s.decode_tokens_per_s_per_stream_without


# ------------------------------------------------------------------------------------ scenarios


def _with_speculation(acceptance=None):
    data = example_data("a-glm-mtp")
    if acceptance is not None:
        data["candidates"][2]["speculative"]["acceptance"] = acceptance
    return data


def test_an_acceptance_range_is_drawn_by_the_monte_carlo():
    draws = SampleDraws(400, 0)
    r, _ = resolve(parse(_with_speculation([0.6, 0.8])), draws)
    field = "candidates[2].speculative.acceptance"
    drawn = r.hosts["8x H200 with MTP"].figures["speculative.acceptance"]
    assert draws.inputs[field].performance and drawn.min() >= 0.6 and drawn.max() <= 0.8
    assert np.unique(drawn).size == np.unique(r.performance_index).size == 20
    capacity = sampled_costs(r).lines.capacity["8x H200 with MTP"]
    # more acceptance, more streams kept at the 120 tok/s service level: more throughput per replica (the
    # speed of each stream sits just above the level, whichever batch the search lands on)
    rate = capacity.output_tokens_per_s_per_replica
    assert rate[np.argmax(drawn)] > rate[np.argmin(drawn)] and capacity.tokens_per_s_per_stream.min() >= 120


def test_the_catalog_acceptance_is_an_est_assumption_and_a_tornado_input():
    e = run(_with_speculation())
    names = {a.name: a for a in e.assumptions}
    acceptance = names["8x H200 with MTP: speculative acceptance per position (mtp)"]
    assert acceptance.value == "0.65–0.8" and acceptance.confidence == "est"
    assert names["8x H200 with MTP: draft tokens per step"].field == "candidates[2].speculative.draft_tokens"
    assert names["8x H200 with MTP: above the batch where speculation stops paying"].value == "vllm turns it off"
    assert "1 x 9.9B" in names["glm-5.2 MTP layers"].value
    assert by_name(e, "8x H200 with MTP").service_level_met is True


@pytest.mark.parametrize(
    "speculative,name,value",
    [
        ({"method": "eagle"}, "llama-3.1-70b EAGLE-3 head", "32,000-token draft vocabulary"),
        ({"method": "draft_model", "draft_model": "llama-3.2-1b"}, "draft model llama-3.2-1b", "1.24B params"),
    ],
)
def test_the_drafter_is_an_assumption_with_its_source(speculative, name, value):
    data = _with_speculation()
    host = data["candidates"][2]
    host.update(model="llama-3.1-70b", speculative=speculative)
    data["workload"]["service_level"] = {"min_tokens_per_s_per_stream": 20}
    names = {a.name: a for a in run(data).assumptions}
    assert value in names[name].value and names[name].source
    assert not any("MTP layers" in n for n in names)


def test_point_estimate_takes_the_middle_of_the_range():
    low = by_name(run(_with_speculation(0.65)), "8x H200 with MTP").capacity
    mid = by_name(run(_with_speculation([0.65, 0.8])), "8x H200 with MTP").capacity
    at = by_name(run(_with_speculation(0.725)), "8x H200 with MTP").capacity
    assert mid == at and mid != low


# ------------------------------------------------------------------------------------ web API


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def test_web_api_evaluates_a_speculating_candidate(client):
    resp = client.post("/api/evaluate", json=json.loads(json.dumps(_with_speculation(), default=str)))
    assert resp.status_code == 200
    host = next(c for c in resp.json()["candidates"] if c["name"] == "8x H200 with MTP")
    assert host["service_level_met"] is True


@pytest.mark.parametrize(
    "speculative,field",
    [
        ({"method": "mtp", "acceptance": 1.5}, "candidates[2].speculative.acceptance"),
        ({"method": "mtp", "draft_tokens": 99}, "candidates[2].speculative.draft_tokens"),
        ({"method": "warp"}, "candidates[2].speculative.method"),
        ({"method": "draft_model", "draft_model": "qwen3-8b"}, "candidates[2].speculative.draft_model"),
    ],
)
def test_web_api_refuses_bad_speculation_with_the_field_path(client, speculative, field):
    data = _with_speculation()
    data["candidates"][2]["speculative"] = speculative
    resp = client.post("/api/evaluate", json=json.loads(json.dumps(data, default=str)))
    assert resp.status_code == 422
    assert field in [d["field"] for d in resp.json()["detail"]], resp.json()
