"""Scenario files: validation errors with field paths, modes, prices, FX, and the engine's laws."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scenario_helpers import by_name, example_data, run

from breakeven.errors import InputError
from breakeven.fx import Rate, convert
from breakeven.scenario.load import ScenarioError, load, parse
from breakeven.scenario.volume import parse_volume


def _problems(data):
    with pytest.raises(ScenarioError) as info:
        parse(data)
    return dict(info.value.problems)


def test_unknown_field_is_named_with_its_path():
    data = example_data("glm-team")
    data["candidates"][2]["gpus_per_replicas"] = 8
    probs = _problems(data)
    assert "candidates[2].gpus_per_replicas" in probs


def test_wrong_type_names_path_and_value():
    data = example_data("glm-team")
    data["workload"]["users"]["monthly_active"] = "lots"
    probs = _problems(data)
    path = next(p for p in probs if p.startswith("workload.users.monthly_active"))
    assert "lots" in probs[path]


def test_out_of_range_share_is_rejected():
    data = example_data("glm-team")
    data["workload"]["users"]["duty_cycle"] = 1.5
    assert "between 0 and 1" in _problems(data)["workload.users.duty_cycle"]


def test_unknown_pricing_kind_lists_the_allowed_ones():
    data = example_data("glm-team")
    data["candidates"][2]["pricing"] = {"kind": "lease", "price_per_gpu_hour": 2}
    msg = " ".join(_problems(data).values())
    assert "rent" in msg and "own" in msg


def test_exactly_one_workload_mode():
    data = example_data("glm-team")
    data["workload"]["traffic"] = {"requests_per_month": 1e6}
    assert any("exactly one of" in m for m in _problems(data).values())


def test_failover_must_name_an_api_candidate():
    data = example_data("glm-team")
    data["candidates"][2]["redundancy"] = {"kind": "api_failover", "api": "nope"}
    assert any("names no api candidate" in m for m in _problems(data).values())


def test_bad_yaml_names_the_line(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("name: x\nworkload: [unclosed\n")
    with pytest.raises(ScenarioError, match="line"):
        load(f)


def test_unknown_offer_id_is_a_clear_error():
    data = example_data("b-crossover")
    data["candidates"][1]["pricing"] = {"kind": "rent", "offer": "scaleway-h100-sxm-9"}
    with pytest.raises(InputError, match="did you mean"):
        run(data)


def test_ranges_use_their_midpoint():
    data = example_data("d-scenario-a")
    data["candidates"][1]["staff"] = {"fte": [0.05, 0.15], "loaded_salary_per_year": 180_000}
    assert by_name(run(data), "Hetzner AX102").breakdown["staff"] == pytest.approx(1_500)


def test_traffic_mode_business_hours_needs_more_replicas_than_flat():
    base = example_data("b-crossover")
    base["workload"].pop("users")
    base["candidates"][1].pop("capacity")
    base["workload"]["traffic"] = {"requests_per_month": 3e6, "hourly_profile": "flat"}
    flat = by_name(run(base), "dedicated").replicas
    base["workload"]["traffic"]["hourly_profile"] = "business_hours"
    busy = by_name(run(base), "dedicated").replicas
    assert busy > flat >= 1


def test_cached_input_prices_apply_where_the_api_has_caching():
    data = example_data("glm-team")
    data["candidates"][1] = {
        "name": "cached",
        "kind": "api",
        "prices": {"input_per_m": 2.0, "cached_input_per_m": 0.2, "output_per_m": 8.0},
    }
    api = by_name(run(data), "cached")
    requests = 2000 * 100
    assert api.breakdown["cached_input"] == pytest.approx(requests * 45_000 * 0.2 / 1e6)
    assert api.breakdown["input"] == pytest.approx(requests * 5_000 * 2.0 / 1e6)


def test_price_library_lookup_at_a_date():
    data = example_data("d-scenario-a")
    data["candidates"][0] = {"name": "gpt-5 (library)", "kind": "api", "provider": "openai", "model": "gpt-5"}
    api = by_name(run(data), "gpt-5 (library)")
    # genai-prices snapshot: GPT-5 $1.25 in / $10 out per M (differs from [D]'s $2.50 input)
    assert api.breakdown["input"] == pytest.approx(50e6 * 1.25 / 1e6)
    assert api.breakdown["output"] == pytest.approx(15e6 * 10 / 1e6)
    assert any("genai-prices" in a.source for a in run(data).assumptions)


def test_unknown_library_model_is_a_clear_error():
    data = example_data("d-scenario-a")
    data["candidates"][0] = {"name": "x", "kind": "api", "provider": "openai", "model": "gpt-99"}
    with pytest.raises(InputError, match="price library"):
        run(data)


def test_own_hardware_costs():
    data = example_data("d-scenario-b")
    data["candidates"][1]["pricing"] = {
        "kind": "own",
        "purchase_price_per_gpu": 1000,
        "currency": "USD",
        "depreciation_years": 3,
        "residual_value_share": 0.1,
        "cost_of_capital": 0.06,
        "power_w_per_gpu": 300,
        "pue": 1.2,
        "electricity_per_kwh": 0.25,
        "rack_per_month": 50,
    }
    host = by_name(run(data), "Hetzner AX102")
    assert host.breakdown["depreciation"] == pytest.approx(2000 * 0.9 / 36)
    assert host.breakdown["cost_of_capital"] == pytest.approx((2000 + 200) / 2 * 0.06 / 12)
    assert host.breakdown["power"] == pytest.approx(0.6 * 1.2 * 730 * 0.25)
    assert host.breakdown["rack"] == 50


def test_every_assumption_has_unit_source_and_confidence():
    e = run(example_data("glm-team"))
    assert len(e.assumptions) > 20
    for a in e.assumptions:
        assert a.source and a.confidence in ("firm", "est")
    names = {a.name for a in e.assumptions}
    assert {"h100-sxm memory bandwidth", "glm-5.2 total parameters", "dedicated: billed hours"} <= names


def test_service_level_not_met_is_reported():
    data = example_data("b-crossover")
    data["workload"]["service_level"] = {"min_tokens_per_s_per_stream": 5000}
    data["candidates"][1].pop("capacity")
    host = by_name(run(data), "dedicated")
    assert host.service_level_met is False and host.notes
    assert run(data).recommendation == "serverless"


def test_curves_cover_the_break_even():
    e = run(example_data("b-crossover"), curve_points=200)
    be = e.break_even[0].selfhost_cheaper_above
    for curve in e.curves:
        assert len(curve.volumes) >= 200 and min(curve.volumes) < be < max(curve.volumes)
        assert all(b >= a for a, b in zip(curve.monthly_cost, curve.monthly_cost[1:]))


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=10, max_value=1e6))
def test_cost_never_falls_as_volume_rises(users):
    data = example_data("glm-team")
    costs = []
    for factor in (1.0, 1.7, 3.1):
        data["workload"]["users"]["monthly_active"] = users * factor
        costs.append([c.monthly_cost for c in run(data).candidates])
    for before, after in itertools.pairwise(costs):
        assert all(b <= a * (1 + 1e-12) for b, a in zip(before, after))


@settings(max_examples=50)
@given(st.floats(min_value=1e-3, max_value=1e3), st.floats(min_value=1e-6, max_value=1e9))
def test_converting_and_back_is_the_identity(rate, amount):
    there = convert(amount, Rate("USD", rate, None, "", "firm"))
    back = convert(there, Rate("EUR", 1 / rate, None, "", "firm"))
    assert back == pytest.approx(amount, rel=1e-12)


def test_free_api_is_never_beaten_end_to_end():
    data = example_data("glm-team")
    data["candidates"][1] = {"name": "free", "kind": "api", "prices": {"input_per_m": 0, "output_per_m": 0}}
    e = run(data)
    pair = next(b for b in e.break_even if b.api == "free")
    assert pair.selfhost_cheaper_above is None and pair.crossings == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2B/month", (2e9, "tokens")),
        ("50M tokens/day", (50e6 * 365 / 12, "tokens")),
        ("1.5e9", (1.5e9, "tokens")),
        ("120k requests/day", (120e3 * 365 / 12, "requests")),
        ("3 tokens per hour", (3 * 730, "tokens")),
    ],
)
def test_volumes_parse_as_people_write_them(text, expected):
    value, kind = parse_volume(text)
    assert value == pytest.approx(expected[0]) and kind == expected[1]


@pytest.mark.parametrize("text", ["lots", "5 bananas/day", "-3", "0", "2X/month", "3 tokens/fortnight"])
def test_bad_volumes_are_clear_errors(text):
    with pytest.raises(InputError, match="volume"):
        parse_volume(text)


def test_shipped_examples_validate_and_evaluate():
    from breakeven.cli.scenario_cmds import example_names

    names = example_names()
    assert {"a-glm-team-tco", "b-crossover", "c-utilization", "d-scenario-a", "d-scenario-b", "glm-team"} <= set(names)
    for name in names:
        e = run(example_data(name))
        assert e.candidates and e.recommendation


@pytest.mark.parametrize("name", ["scenario", "calibration"])
def test_file_json_schemas_are_exported_and_current(name):
    from conftest import ROOT

    from breakeven.cli.catalog_cmd import file_schema_text

    assert (ROOT / "schemas" / f"{name}.schema.json").read_text() == file_schema_text(name), (
        f"run: breakeven catalog schema {name} > schemas/{name}.schema.json"
    )


@pytest.mark.parametrize(
    "path,value",
    [
        (("candidates", 0, "prices", "input_per_m"), -1.0),
        (("candidates", 1, "storage_network_per_month"), -350),
        (("workload", "request", "output_tokens"), float("nan")),
    ],
)
def test_negative_or_nan_amounts_are_rejected(path, value):
    data = example_data("glm-team")
    data["candidates"][0] = {"name": "p", "kind": "api", "prices": {"input_per_m": 1, "output_per_m": 2}}
    data["candidates"][1] = data["candidates"].pop(2)
    data["candidates"][1]["redundancy"] = {"kind": "none"}
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ScenarioError, match=r"at least 0|finite"):
        parse(data)


def test_defaults_are_listed_as_estimates_with_their_source_and_user_values_as_given():
    data = example_data("d-scenario-b")
    data["candidates"][1]["pricing"] = {"kind": "own", "offer": "rtx-4090-c", "pue": 1.1}
    data["candidates"][1]["gpu"] = "rtx-4090"
    found = {a.name: a for a in run(data).assumptions}
    pue, years = found["Hetzner AX102: PUE"], found["Hetzner AX102: depreciation"]
    assert (pue.value, pue.source, pue.confidence) == ("1.1", "scenario file", "firm")
    assert years.confidence == "est" and "breakeven default" in years.source
    assert found["repeated-prefix share of input"].confidence == "est"


def test_every_default_source_names_a_field_with_a_default():
    from breakeven.scenario import schema

    for (model_name, attr), source in schema.DEFAULT_SOURCES.items():
        field = getattr(schema, model_name).model_fields[attr]
        assert not field.is_required() and source, (model_name, attr)


def test_requests_per_day_of_use_make_the_month():
    data = example_data("b-crossover")
    data["workload"]["users"].pop("requests_per_user")
    data["workload"]["users"].update(requests_per_user_per_day=4, active_days_per_month=25)
    e = run(data)
    assert e.demand["requests_per_month"] == pytest.approx(2000 * 4 * 25)
    days = next(a for a in e.assumptions if a.name == "days of use per month")
    assert (days.value, days.confidence) == ("25", "firm")
    del data["workload"]["users"]["active_days_per_month"]
    e = run(data)
    assert e.demand["requests_per_month"] == pytest.approx(2000 * 4 * 365 / 12)  # every day of the month
    assert next(a for a in e.assumptions if a.name == "days of use per month").confidence == "est"


def test_requests_per_user_given_once():
    data = example_data("b-crossover")
    data["workload"]["users"]["requests_per_user_per_day"] = 3
    with pytest.raises(ScenarioError, match="exactly one of requests_per_user, requests_per_user_per_day"):
        parse(data)


def test_price_per_replica_hour_prices_the_whole_node():
    data = example_data("b-crossover")
    data["candidates"][1]["pricing"] = {"kind": "rent", "price_per_replica_hour": 30.06}
    assert by_name(run(data), "dedicated").breakdown["gpu_rent"] == pytest.approx(30.06 * 730)
    data["candidates"][1]["pricing"]["offer"] = "scaleway-h100-sxm-8"
    with pytest.raises(ScenarioError, match="exactly one of price_per_gpu_hour, price_per_replica_hour, offer"):
        parse(data)


@pytest.mark.parametrize("context", [25_000, 50_000, 70_000])
def test_concurrency_scales_inversely_with_the_context(context):
    data = example_data("b-crossover")
    data["workload"]["request"]["input_tokens"] = context
    data["candidates"][1]["capacity"] = {"concurrency_per_replica": 24, "concurrency_at_input_tokens": 50_000}
    capacity = by_name(run(data), "dedicated").capacity
    assert capacity["concurrency_per_replica"] == pytest.approx(24 * 50_000 / context)


def test_scaling_the_concurrency_needs_a_concurrency():
    data = example_data("b-crossover")
    data["candidates"][1]["capacity"] = {"concurrency_at_input_tokens": 50_000}
    with pytest.raises(ScenarioError, match="concurrency_at_input_tokens needs concurrency_per_replica"):
        parse(data)


def test_gpus_busier_than_possible_is_an_error_that_says_why():
    data = example_data("b-crossover")
    data["candidates"][1].pop("capacity", None)  # the performance model sizes the replica
    data["workload"]["users"]["requests_per_user"] = 1e6
    with pytest.raises(ScenarioError) as err:
        run(data)
    (path, msg), (candidate, how) = err.value.problems
    assert path == "workload.users.requests_per_user" and candidate == "candidates[1]"
    assert "utilized, which is impossible" in msg and "raise the duty cycle" in msg and "Little's law" in how
    data["workload"]["users"]["requests_per_user"] = 100  # consistent again: evaluates, under 100% busy
    assert by_name(run(data), "dedicated").utilization < 1


def test_a_concurrency_override_the_model_cannot_serve_is_flagged_not_hidden():
    # [B]'s calculator states 24 requests in flight per node at 50k tokens; the model says the node
    # serves 24 such requests at once far slower than [B]'s users would need: the user's figure stands,
    # the utilization above 100% shows the conflict, and the note says what it is.
    host = by_name(run(example_data("b-calculator")), "dedicated node")
    assert host.utilization > 1
    assert any("asks more than the performance model says" in n for n in host.notes)


def test_utilization_never_exceeds_one_where_the_model_sizes_the_replicas():
    for name in ("a-glm-team-tco", "b-crossover", "b-calculator", "c-utilization", "glm-team"):
        data = example_data(name)
        for c in run(data).candidates:
            overridden = any(
                d["name"] == c.name and (d.get("capacity") or {}).get("concurrency_per_replica")
                for d in data["candidates"]
            )
            assert overridden or c.utilization is None or c.utilization <= 1 + 1e-9, (name, c.name)


def test_switching_the_report_currency_converts_every_money_field():
    from breakeven.scenario.currency import in_currency

    data = example_data("glm-team")
    eur = run(data)
    usd_data = in_currency(parse(data), "USD")
    host = usd_data["candidates"][2]
    factor = 1 / 0.85027  # the scenario's own rate, inverted
    assert host["staff"]["rate_per_hour"] == pytest.approx(110 * factor)
    assert host["production_layer"]["one_off"] == pytest.approx(15000 * factor)
    assert host["storage_network_per_month"] == pytest.approx(350 * factor)
    assert host["staff"]["hours_per_month"] == 30  # hours are not money
    assert usd_data["fx"]["EUR"]["rate"] == pytest.approx(factor)
    usd = run(usd_data)
    for a, b in zip(eur.candidates, usd.candidates):
        assert b.monthly_cost == pytest.approx(a.monthly_cost * factor, rel=1e-9), a.name
    back = run(in_currency(parse(usd_data), "EUR"))
    assert [c.monthly_cost for c in back.candidates] == pytest.approx([c.monthly_cost for c in eur.candidates])


def test_switching_currency_keeps_prices_that_name_their_own_currency():
    from breakeven.scenario.currency import in_currency

    data = example_data("a-glm-team-tco")  # API prices given in EUR, staff as ranges in the report currency
    usd_data = in_currency(parse(data), "USD")
    assert usd_data["candidates"][0]["prices"] == {"input_per_m": 1.5, "output_per_m": 6.5, "currency": "EUR"}
    rate = usd_data["fx"]["EUR"]["rate"]
    assert usd_data["candidates"][1]["staff"]["rate_per_hour"] == pytest.approx([75 * rate, 150 * rate])
    with pytest.raises(InputError, match="a rate for GBP"):
        in_currency(parse(data), "GBP")


def test_cache_writes_are_billed_once_at_the_write_price():
    # Reproducer: cache-write tokens were billed as input and again at the write price (an Anthropic
    # write cost 2.25x the input price instead of 1.25x).
    from breakeven.core.costs import ApiPrices, api_monthly
    from breakeven.core.demand import Demand, RequestShape

    shape = RequestShape(input_tokens=1000, cached_input_tokens=500, output_tokens=100, cache_write_tokens=200)
    one = Demand(requests_per_month=1e6, shape=shape)
    parts = api_monthly(
        one, ApiPrices(input_per_m=3.0, output_per_m=15.0, cached_input_per_m=0.3, cache_write_per_m=3.75)
    )
    assert parts == pytest.approx(
        {"input": 300 * 3.0, "cached_input": 500 * 0.3, "cache_writes": 200 * 3.75, "output": 100 * 15.0}
    )
    no_write_price = api_monthly(one, ApiPrices(input_per_m=3.0, output_per_m=15.0, cached_input_per_m=0.3))
    assert no_write_price["input"] == pytest.approx(500 * 3.0) and no_write_price["cache_writes"] == 0
