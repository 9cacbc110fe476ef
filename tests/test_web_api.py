"""The JSON API: same results as the CLI, 422 with field paths, body cap, no client-named files."""

import inspect
import json

import pytest
import yaml
from conftest import ROOT
from fastapi.testclient import TestClient
from scenario_helpers import example_data, run

from breakeven.outputs.json_text import evaluation_json
from breakeven.scenario.load import parse
from breakeven.web.app import MAX_BODY_BYTES, create_app


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def test_evaluate_matches_the_cli_json_plus_curves(client):
    data = example_data("glm-team")
    resp = client.post("/api/evaluate", json=json.loads(json.dumps(data, default=str)))
    assert resp.status_code == 200
    body = resp.json()
    expected = evaluation_json(run(data), curves=False)
    assert {k: body[k] for k in expected} == expected
    assert len(body["curves"]) == 3 and all(len(c["volumes"]) >= 200 for c in body["curves"])


def test_bad_scenario_gets_422_with_the_field_path(client):
    data = example_data("glm-team")
    data["candidates"][2]["gpus_per_replica"] = 0
    resp = client.post("/api/evaluate", json=json.loads(json.dumps(data, default=str)))
    assert resp.status_code == 422
    fields = [d["field"] for d in resp.json()["detail"]]
    assert "candidates[2].gpus_per_replica" in fields


def test_model_that_does_not_fit_gets_422_not_500(client):
    data = example_data("d-scenario-b")
    data["candidates"][1]["model"] = "llama-3.1-405b"
    resp = client.post("/api/evaluate", json=json.loads(json.dumps(data, default=str)))
    assert resp.status_code == 422 and "needs" in resp.json()["detail"][0]["msg"]


def test_non_object_body_gets_422(client):
    assert (
        client.post("/api/evaluate", content=b"[1,2]", headers={"content-type": "application/json"}).status_code == 422
    )
    assert (
        client.post("/api/evaluate", content=b"{nope", headers={"content-type": "application/json"}).status_code == 422
    )


def test_request_bodies_are_capped(client):
    huge = {"name": "x" * (MAX_BODY_BYTES + 10)}
    assert client.post("/api/evaluate", json=huge).status_code == 413


def test_catalog_endpoints(client):
    gpus = client.get("/api/catalog/gpus").json()
    assert {"h100-sxm", "mi300x"} <= {g["id"] for g in gpus}
    assert client.get("/api/catalog/models/deepseek-r1").json()["id"] == "deepseek-v3"
    resp = client.get("/api/catalog/models/llama-9")
    assert resp.status_code == 404 and "unknown id" in resp.json()["detail"][0]["msg"]
    assert client.get("/api/catalog/passwords").status_code == 422


def test_no_endpoint_reads_a_file_the_client_names(client):
    for path in (
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/app.py",
        "/api/catalog/..%2f..%2fetc%2fpasswd",
    ):
        resp = client.get(path)
        assert resp.status_code in (404, 422) and "root:" not in resp.text
    # a scenario naming a config.json path is refused by the API (only catalog ids)
    data = example_data("d-scenario-b")
    data["candidates"][1]["model"] = str(ROOT / "tests" / "data" / "hf_configs" / "llama-3.1-8b.json")  # exists
    resp = client.post("/api/evaluate", json=json.loads(json.dumps(data, default=str)))
    assert resp.status_code == 422 and "does not read config.json" in resp.json()["detail"][0]["msg"]


def test_yaml_round_trip(client):
    data = json.loads(json.dumps(example_data("b-crossover"), default=str))
    text = client.post("/api/scenario/yaml", json=data).text
    back = client.post("/api/scenario/parse", content=text, headers={"content-type": "text/plain"}).json()
    assert run(yaml.safe_load(text)).model_dump() == run(back).model_dump()
    bad = client.post("/api/scenario/parse", content="name: [", headers={"content-type": "text/plain"})
    assert bad.status_code == 422


def test_formulas_come_from_the_core_docstrings(client):
    from breakeven.core.costs import api_monthly

    items = client.get("/api/formulas").json()
    api = next(f for f in items if f["where"].endswith("api_monthly"))
    assert api["text"] == inspect.getdoc(api_monthly)


def test_openapi_document(client):
    spec = client.get("/openapi.json").json()
    assert "/api/evaluate" in spec["paths"] and "/api/catalog/{kind}" in spec["paths"]


def test_page_and_assets_are_served_locally(client):
    page = client.get("/").text
    assert "/vendor/plotly.min.js" in page and "https://" not in page and "http://" not in page
    assert client.get("/vendor/plotly.min.js").status_code == 200
    assert client.get("/static/app.js").status_code == 200


def _models_of(annotation) -> list:
    """The pydantic models an annotation can hold (through Optional, Union, Annotated, list)."""
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_of(arg)]


def _field_exists(models: list, parts: list[str]) -> bool:
    if not parts:
        return True
    for model in models:
        info = model.model_fields.get(parts[0])
        if info is not None and (len(parts) == 1 or _field_exists(_models_of(info.annotation), parts[1:])):
            return True
    return False


def test_every_knob_edits_a_scenario_field_and_every_bound_says_why(client):
    from breakeven.scenario.schema import ApiCandidate, Scenario, SelfHostCandidate

    roots = {"scenario": [Scenario], "api": [ApiCandidate], "host": [SelfHostCandidate]}
    body = client.get("/api/knobs").json()
    knobs = body["knobs"]
    for block in ("users", "traffic", "tokens_per_month"):  # blocks the page adds validate
        parse(
            {
                **example_data("b-crossover"),
                "workload": {"request": {"input_tokens": 1, "output_tokens": 1}, block: body["new_blocks"][block]},
            }
        )
    assert len({k["id"] for k in knobs}) == len(knobs)
    for k in knobs:
        assert _field_exists(roots[k["scope"]], k["path"].split(".")), k["id"]
        for cond in k["when"] + k["unless"]:
            path = cond.split("=")[0]
            root = roots["scenario"] if path.startswith("/") else roots[k["scope"]]  # "/": the scenario's path
            assert _field_exists(root, path.removeprefix("/").split(".")), (k["id"], cond)
        if k["kind"] != "select":
            assert k["high"] is not None and k["why"] and k["low"] < k["high"], k["id"]
            assert k["slider"] and k["low"] <= k["slider"][0] < k["slider"][1] <= k["high"], k["id"]


def test_examples_are_the_shipped_files_as_written(client):
    from breakeven.cli.scenario_cmds import example_names

    body = client.get("/api/examples").json()
    assert [e["id"] for e in body["examples"]] == example_names() and body["default"] in example_names()
    b = next(e for e in body["examples"] if e["id"] == "b-calculator")
    assert "[B]" in b["about"] and b["scenario"]["workload"]["users"]["requests_per_user_per_day"] == 5
    assert "cached_input_share" not in b["scenario"]["workload"]["request"]  # defaults are not filled in


def test_parsed_upload_evaluates_exactly_as_the_file(client):
    """The page uploads through /api/scenario/parse and evaluates the result: same numbers and the same
    assumption ledger (a value the file states stays 'scenario file', a default stays a default)."""
    from breakeven.cli.scenario_cmds import example_names

    for name in example_names():
        text = (ROOT / "src/breakeven/examples" / f"{name}.yaml").read_text()
        parsed = client.post("/api/scenario/parse", content=text, headers={"content-type": "text/plain"}).json()
        body = client.post("/api/evaluate", json=parsed).json()
        expected = json.loads(json.dumps(evaluation_json(run(yaml.safe_load(text)), curves=False)))
        assert {k: body[k] for k in expected} == expected, name


def test_currency_endpoint_converts_money_and_refuses_unknown_currencies(client):
    data = json.loads(json.dumps(example_data("glm-team"), default=str))
    usd = client.post("/api/scenario/currency", json={"scenario": data, "currency": "USD"}).json()
    assert usd["currency"] == "USD" and usd["candidates"][2]["staff"]["rate_per_hour"] == pytest.approx(110 / 0.85027)
    eur_cost = client.post("/api/evaluate", json=data).json()["candidates"][2]["monthly_cost"]
    usd_cost = client.post("/api/evaluate", json=usd).json()["candidates"][2]["monthly_cost"]
    assert usd_cost == pytest.approx(eur_cost / 0.85027)
    bad = client.post("/api/scenario/currency", json={"scenario": data, "currency": "GBP"})
    assert bad.status_code == 422 and "a rate for GBP" in bad.json()["detail"][0]["msg"]


def test_evaluate_with_uncertainty_and_horizon_options(client):
    data = json.loads(json.dumps(example_data("glm-team"), default=str))
    resp = client.post("/api/evaluate?uncertainty=true&samples=500&seed=3&horizon=true", json=data)
    assert resp.status_code == 200
    body = resp.json()
    u, h = body["uncertainty"], body["horizon"]
    assert (u["samples"], u["seed"]) == (500, 3)
    assert {b["candidate"] for b in u["curves"]} == {c["name"] for c in body["candidates"]}
    band = u["curves"][0]
    assert len(band["volumes"]) == len(band["p10"]) == len(body["curves"][0]["volumes"])
    assert all(lo <= hi for lo, hi in zip(band["p10"], band["p90"]))
    assert h["months"] == 48 and len(h["candidates"][0]["monthly_cost"]) == 48
    assert body["display"]["answer"].startswith("At 2,000 monthly active users")
    assert "uncertainty" in body["display"] and "horizon" in body["display"]
    plain = client.post("/api/evaluate", json=data).json()
    assert "uncertainty" not in plain and "horizon" not in plain and "display" in plain


@pytest.mark.parametrize("query,field", [("samples=20001", "samples"), ("samples=10", "samples"), ("seed=-4", "seed")])
def test_uncertainty_options_are_bounded_with_422(client, query, field):
    data = json.loads(json.dumps(example_data("glm-team"), default=str))
    resp = client.post(f"/api/evaluate?uncertainty=true&{query}", json=data)
    assert resp.status_code == 422
    assert resp.json()["detail"][0]["field"] == field


def test_display_has_a_string_for_every_figure_the_page_shows(client):
    """The page formats nothing: each figure it shows has its display string, written by the one
    formatter (outputs/format.py) from the value at the same place in the JSON."""
    from breakeven.outputs.display import count
    from breakeven.outputs.format import money, month, percent, short_volume, volume

    data = json.loads(json.dumps(example_data("c-utilization"), default=str))
    body = client.post("/api/evaluate?uncertainty=true&samples=500&seed=7&horizon=true", json=data).json()
    d, u, h, cur, axis = body["display"], body["uncertainty"], body["horizon"], body["currency"], body["axis"]
    assert d["demand"]["input_tokens"] == count(body["demand"]["input_tokens"]) == "6.17B"
    host = next(c for c in body["candidates"] if c["kind"] == "selfhost")
    shown = d["candidates"][host["name"]]
    assert shown["utilization"] == percent(host["utilization"]) and shown["replicas"] == "1"
    assert shown["breakdown"]["gpu_rent"] == money(host["breakdown"]["gpu_rent"], cur)
    assert set(shown["capacity"]) == set(host["capacity"])
    be = body["break_even"][0]
    assert d["break_even_volumes"][0]["crossings"][0] == volume(be["crossings"][0]["volume"], axis)
    du = d["uncertainty"]
    assert du["probability_selfhost_cheapest"] == percent(u["probability_selfhost_cheapest"])
    assert du["probability_selfhost_cheapest_interval"]["high"] == percent(
        u["probability_selfhost_cheapest_interval"]["high"]
    )
    spread = u["break_even"][0]["selfhost_cheaper_above"]
    assert du["break_even_percentiles"][0]["p10"] == volume(spread["p10"], axis)
    assert du["break_even_percentiles"][0]["p90"] == ("never" if spread["p90"] is None else volume(spread["p90"], axis))
    bar, shown_bar = u["tornado"][0], du["tornado"][0]
    assert (shown_bar["low"], shown_bar["high"]) == (short_volume(bar["low"]), short_volume(bar["high"]))
    assert shown_bar["gap_low"] == money(bar["gap_low"], cur) and shown_bar["swing"] == (
        "-" if bar["swing"] is None else short_volume(bar["swing"])
    )
    assert d["horizon"]["settings"]["discount_rate"] == "8%"
    end = h["candidates"][0]
    assert d["horizon"]["candidates"][end["name"]]["cash"] == money(end["cumulative_cost"][-1], cur)
    months = d["horizon"]["break_even_months"][0]
    assert months["selfhost_cheaper_from_month"] == month(h["break_even"][0]["selfhost_cheaper_from_month"])


def test_knobs_carry_their_bounds_written_out_and_the_monte_carlo_options(client):
    from breakeven.web.app import WEB_DEFAULT_SAMPLES, WEB_MAX_SAMPLES

    body = client.get("/api/knobs").json()
    by_id = {k["id"]: k for k in body["knobs"]}
    assert by_id["api_in"]["high_text"] == "10,000" and by_id["peak"]["high_text"] == "100%"
    assert by_id["mau"]["low_text"] == "0" and by_id["model"]["high_text"] is None
    options = body["evaluate_options"]
    samples, seed = options["samples"], options["seed"]
    assert (samples["high"], samples["default"], samples["high_text"]) == (
        WEB_MAX_SAMPLES,
        WEB_DEFAULT_SAMPLES,
        "20,000",
    )
    assert seed["high"] == str(2**63 - 1) and seed["default"] == "0"
    data = json.loads(json.dumps(example_data("b-calculator"), default=str))
    for n, status in ((samples["low"], 200), (samples["low"] - 1, 422), (samples["high"] + 1, 422)):
        assert client.post(f"/api/evaluate?uncertainty=true&samples={n}", json=data).status_code == status, n
    assert client.post(f"/api/evaluate?uncertainty=true&samples=100&seed={seed['high']}", json=data).status_code == 200
