"""`breakeven ingest` from the command line: the JSON contract, tables, the workload block and the
scenario it writes (which `evaluate` runs unchanged, its API line matching the recorded bill),
charts, and bad input (exit code 2, one line naming the field)."""

import json

import pytest
import yaml
from conftest import ROOT

from breakeven.scenario.load import load
from breakeven.scenario.schema import Workload

DATA = ROOT / "tests" / "data" / "usage"
LITELLM = str(DATA / "litellm" / "spend_logs.csv")
CONTRACT = {
    "rows_read",
    "rows_used",
    "rows_rejected",
    "period",
    "tokens",
    "tokens_per_month",
    "requests",
    "requests_per_month",
    "hourly_profile",
    "peak_to_mean",
    "request_size",
    "by_model",
    "recorded_cost",
    "computed_cost",
}


def test_json_contract(cli):
    code, out, err = cli("ingest", LITELLM, "--json", "--tz", "Europe/Berlin")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) >= CONTRACT
    assert data["rows_read"] == data["rows_used"] + sum(data["rows_rejected"].values())
    assert set(data["period"]) >= {"start", "end", "months"}
    keys = {"input", "cached_input", "cache_write", "output"}
    assert set(data["tokens"]) == keys and set(data["tokens_per_month"]) == keys
    assert len(data["hourly_profile"]) == 24 and sum(data["hourly_profile"]) / 24 == pytest.approx(1, abs=1e-4)
    assert len(data["hour_of_week_profile"]) == 168
    assert set(data["request_size"]["input"]) >= {"p50", "p90", "p99"}
    assert {"model", "requests", "tokens"} <= set(data["by_model"][0])
    assert set(data["recorded_cost"]) == set(data["computed_cost"]) == {"amount", "currency"}
    assert "rows read 1,060 = used 1,048 + rejected 12" in err


def test_tables_say_rows_in_equal_rows_out(cli):
    code, out, err = cli("ingest", str(DATA / "litellm" / "spend_logs_malformed.csv"))
    assert code == 0, err
    assert "rows read 42 = used 33 + rejected 9" in out
    for text in ("unparseable_time", "malformed_line", "line 8", "measured workload", "by model"):
        assert text in out


def test_ingest_scenario_evaluate_matches_the_recorded_bill(cli, tmp_path):
    """One model's logs -> scenario -> evaluate: the API candidate's monthly cost at the logs' prices
    equals the bill the logs record, per month, within 1%."""
    scenario = tmp_path / "measured.yaml"
    code, out, err = cli("ingest", LITELLM, "--model", "gpt-4o-mini", "--scenario", str(scenario), "--json")
    assert code == 0, err
    measured = json.loads(out)
    recorded_per_month = measured["recorded_cost"]["amount"] / measured["period"]["months"]
    s = load(scenario)
    assert [c.model for c in s.candidates] == ["gpt-4o-mini"] and s.currency == "USD"
    assert measured["period"]["days"] >= 28  # four weeks and more: the 168 hours of the week
    assert s.workload.traffic.hourly_profile == pytest.approx(measured["hour_of_week_profile"], abs=1e-4)
    code, out, err = cli("evaluate", str(scenario), "--json")
    assert code == 0, err
    api = json.loads(out)["candidates"][0]
    assert api["monthly_cost"] == pytest.approx(recorded_per_month, rel=0.01)


def test_workload_block_in_both_modes(cli, tmp_path):
    for mode in ("traffic", "tokens"):
        out_file = tmp_path / f"{mode}.yaml"
        code, _, err = cli("ingest", LITELLM, "--out", str(out_file), "--mode", mode)
        assert code == 0, err
        text = out_file.read_text()
        assert text.startswith("# Measured by breakeven ingest")
        w = Workload.model_validate(yaml.safe_load(text)["workload"])
        assert w.mode == mode and isinstance((w.traffic or w.tokens_per_month).hourly_profile, list)
        assert 0 < w.request.cached_input_share < 1 and 0 < w.request.cache_write_share < 1


@pytest.mark.parametrize("suffix", [".html", ".png"])
def test_chart(cli, tmp_path, suffix):
    chart = tmp_path / f"usage{suffix}"
    code, _out, err = cli("ingest", LITELLM, "--chart", str(chart), "--tz", "Europe/Berlin")
    assert code == 0, err
    data = chart.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == ".png" else b"plotly" in data and b"2026-07" in data


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--tz", "Nowhere/Else"], "--tz"),
        (["--format", "splunk"], "--format"),
        (["--mode", "daily"], "--mode"),
        (["--since", "whenever"], "--since"),
        (["--price-date", "soon"], "--price-date"),
        (["--chart", "usage.svg"], "--chart"),
        (["--table", "t"], "--table"),
    ],
)
def test_bad_input_exits_2_naming_the_field(cli, tmp_path, args, field):
    code, _out, err = cli("ingest", LITELLM, *args)
    assert code == 2 and err.startswith(f"error: {field}:") and "Traceback" not in err


def test_unknown_file_layout_exits_2(cli, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n")
    code, _, err = cli("ingest", str(odd))
    assert code == 2 and "Columns seen: a, b" in err and "litellm" in err
    code, _, err = cli("ingest", str(tmp_path / "missing.jsonl"))
    assert code == 2 and "existing" in err


def test_generic_map_and_parquet(cli):
    mapping = "time=epoch,input=prompt_tok,cached_input=cached_tok,output=completion_tok,model=model_name"
    code, out, err = cli("ingest", str(DATA / "generic" / "usage.parquet"), "--map", mapping, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["rows_used"] == 99 and data["sources"][0] == {
        "name": str(DATA / "generic" / "usage.parquet"),
        "format": "generic",
        "kind": "parquet",
    }
