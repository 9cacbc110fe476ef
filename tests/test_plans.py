"""Plans in scenarios: hybrid candidates and the plans breakeven adds, their schedules, break-evens,
Monte Carlo and horizon; redundancy priced; people served; cost per task; energy."""

import copy
import math

import numpy as np
import pytest
from scenario_helpers import at_bound, by_name, example_data, run

from breakeven.scenario.analysis import analyse
from breakeven.scenario.load import ScenarioError, parse
from breakeven.scenario.resolve_hybrid import billed_hours, covered_slots
from breakeven.scenario.schema import WorkingHours

# ------------------------------------------------------------------ hybrid candidates


def office() -> dict:
    return example_data("hybrid-office-hours")


def test_hybrid_candidate_has_the_contract_keys_and_its_optimum_is_the_cheapest_alternative():
    e = run(office())
    for name in ("office hours", "base load + peaks"):
        h = by_name(e, name)
        assert h.kind == "hybrid" and h.replicas >= 1 and 0 < h.overflow_share < 1
        costs = [a.monthly_cost for a in h.alternatives]
        assert [a.replicas for a in h.alternatives] == list(range(len(costs)))  # 0 .. full coverage
        assert h.monthly_cost == pytest.approx(min(costs))
        assert h.alternatives[h.replicas].monthly_cost == pytest.approx(h.monthly_cost)
        assert h.hybrid.selfhost_cost + h.hybrid.api_cost == pytest.approx(h.monthly_cost)
        assert h.monthly_cost == pytest.approx(sum(h.breakdown.values()))


def test_zero_replicas_is_exactly_the_api_and_replicas_carry_the_fixed_costs():
    e = run(office())
    api, host, h = by_name(e, "GLM-5.2 API (Z.ai)"), by_name(e, "dedicated"), by_name(e, "base load + peaks")
    assert h.alternatives[0].monthly_cost == pytest.approx(api.monthly_cost) and h.alternatives[0].overflow_share == 1
    for part in ("staff", "production_layer", "storage_network"):
        assert h.breakdown[part] == pytest.approx(host.breakdown[part])
    # the API's share is the API's bill for the overflowing tokens
    assert h.breakdown["api_overflow"] == pytest.approx(api.monthly_cost * h.overflow_share)
    # always on, full coverage is the pure self-host plan (same replicas, same costs)
    full = h.alternatives[-1]
    assert full.replicas == host.replicas and full.overflow_share == pytest.approx(0, abs=1e-12)
    assert full.monthly_cost == pytest.approx(host.monthly_cost)


def test_office_hours_schedule_bills_its_hours_and_leaves_nights_to_the_api():
    e = run(office())
    h, host = by_name(e, "office hours"), by_name(e, "dedicated")
    per_node = host.breakdown["gpu_rent"] / host.replicas  # 730 h of the Scaleway node
    assert h.hybrid.billed_hours_per_replica == pytest.approx(10 * 365 / 12 * 5 / 7)
    assert h.breakdown["gpu_rent"] == pytest.approx(per_node / 730 * h.hybrid.billed_hours_per_replica * h.replicas)
    # business hours: 10 hours at 1 and 14 at 0.1 of a 24-hour profile, weekdays only: weekends (2/7 of
    # every hour) and the 14 night hours always overflow, whatever the replicas
    night = 14 * 0.1 / (10 + 1.4)
    floor = night + (1 - night) * 2 / 7
    assert h.alternatives[-1].overflow_share == pytest.approx(floor)
    assert h.overflow_share >= floor


def test_hybrid_break_even_against_its_api_is_where_replicas_start_to_pay():
    data = office()
    e = run(data)
    be = next(b for b in e.hybrid_break_even if b.hybrid == "base load + peaks" and b.against == "GLM-5.2 API (Z.ai)")
    assert be.exact and be.never_dearer and be.hybrid_cheaper_above is not None
    for factor, pays in ((0.999, False), (1.001, True)):
        data["workload"]["users"]["monthly_active"] = be.hybrid_cheaper_above * factor
        h = by_name(run(data), "base load + peaks")
        assert (h.replicas > 0) == pays


def test_hybrid_never_costs_more_than_its_always_on_self_host_candidate():
    e = run(office())
    be = next(b for b in e.hybrid_break_even if b.hybrid == "base load + peaks" and b.against == "dedicated")
    assert be.never_dearer and be.exact and be.saving_at_volume > 0
    hours = next(b for b in e.hybrid_break_even if b.hybrid == "office hours" and b.against == "dedicated")
    assert not hours.exact and not hours.never_dearer


def test_plans_add_every_pair_and_schedule_and_rank_them():
    e = run(example_data("glm-team"))
    derived = [p for p in e.plans if not p.declared]
    hosts, apis = ["dedicated"], ["serverless", "GLM-5.2 API (Z.ai)"]
    assert {(p.hybrid.selfhost, p.hybrid.api, p.hybrid.schedule) for p in derived} == {
        (h, a, s) for h in hosts for a in apis for s in ("always", "hours")
    }
    assert {p.name for p in e.plans if p.declared} == {c.name for c in e.candidates}
    costs = [p.monthly_cost for p in e.plans]
    assert costs == sorted(costs) and e.best_plan == e.plans[0].name
    # a declared hybrid is not added twice
    assert not any(not p.declared for p in run(office()).plans)


def test_users_mode_profile_shapes_the_hours_below_the_peak():
    flat = copy.deepcopy(office())
    flat["workload"]["users"]["hourly_profile"] = "flat"
    h = by_name(run(flat), "base load + peaks")
    # flat: every hour is the peak, so each whole replica is busy all day and saves the same: none pays,
    # or every whole one does; the last, partly busy one (full coverage) pays or not on its own
    full = h.hybrid.full_coverage_replicas
    assert h.replicas in (0, full - 1, full)


def test_168_hour_profile_and_working_hours_on_it():
    week = [1.0 if d < 5 and 8 <= h < 18 else 0.1 for d in range(7) for h in range(24)]
    data = office()
    data["workload"]["users"]["hourly_profile"] = week
    e = run(data)
    h = by_name(e, "office hours")
    # on a 168-hour profile the weekday office hours are covered whole and the rest not at all
    night = (7 * 24 - 50) * 0.1 / (50 + (7 * 24 - 50) * 0.1)
    assert h.alternatives[-1].overflow_share == pytest.approx(night)
    assert any(a.name == "hourly profile" and "168 weights" in a.value for a in e.assumptions)


def test_covered_slots_and_billed_hours():
    weekdays = WorkingHours()
    assert covered_slots(24, None).tolist() == [1.0] * 24
    assert covered_slots(24, weekdays)[[7, 8, 17, 18]].tolist() == [0, 5 / 7, 5 / 7, 0]
    week = covered_slots(168, weekdays)
    assert week.sum() == 50 and week[5 * 24 + 10] == 0 and week[4 * 24 + 10] == 1
    assert covered_slots(168, WorkingHours(days="every_day")).sum() == 70
    assert billed_hours(None) == 730 and billed_hours(weekdays) == pytest.approx(10 * 365 / 12 * 5 / 7)


def test_an_overnight_shift_runs_into_the_next_morning():
    nights = WorkingHours(start_hour=22, end_hour=6)
    day = covered_slots(24, nights)
    assert day[[21, 22, 23, 0, 5, 6]].tolist() == [0, 5 / 7, 5 / 7, 5 / 7, 5 / 7, 0] and day.sum() == 8 * 5 / 7
    week = covered_slots(168, nights).reshape(7, 24)  # Monday first
    assert week[0, :6].sum() == 0  # Monday 00-06 ends Sunday's shift: not a weekday's
    assert week[5, :6].sum() == 6 and week[5, 22:].sum() == 0  # Friday's shift ends on Saturday morning
    assert week.sum() == 40 and billed_hours(nights) == pytest.approx(8 * 365 / 12 * 5 / 7)
    assert covered_slots(168, WorkingHours(start_hour=22, end_hour=6, days="every_day")).sum() == 56


@pytest.mark.parametrize("start,end", [(8, 8), (0, 24)])
def test_a_shift_of_no_hours_or_all_of_them_is_refused(start, end):
    with pytest.raises(ValueError, match="schedule: always"):
        WorkingHours(start_hour=start, end_hour=end)


@pytest.mark.parametrize(
    "change,field",
    [
        (lambda d: d["candidates"][2].update(selfhost="nope"), "candidates[2].selfhost"),
        (lambda d: d["candidates"][2].update(api="dedicated"), "candidates[2].api"),
        (lambda d: d["candidates"][2].update(working_hours={"start_hour": 9}), "candidates[2]"),
        (lambda d: d["candidates"][3].update(working_hours={"start_hour": 8, "end_hour": 8}), "candidates[3]"),
        (lambda d: d["candidates"][0].update(success_rate=0.5), "workload.task"),  # a success rate needs a task
        (lambda d: d["workload"]["users"].update(hourly_profile=[1.0] * 25), "workload.users.hourly_profile"),
        (
            lambda d: d["workload"].update(task={"name": "t", "requests_per_task": 3, "on_failure": "escalate"}),
            "workload.task",
        ),
        (lambda d: d.update(availability={"node": 0.99, "node_figure": "x"}), "availability"),
        (lambda d: d.update(availability={"api": 1.5}), "availability.api"),
    ],
)
def test_bad_plans_name_the_field(change, field):
    data = office()
    change(data)
    with pytest.raises(ScenarioError) as info:
        run(data)
    assert info.value.problems[0][0].startswith(field), info.value.problems


def test_a_success_rate_without_a_task_names_both_fields():
    data = office()
    data["candidates"][0]["success_rate"] = 0.5
    with pytest.raises(ScenarioError) as info:
        run(data)
    [(field, message)] = info.value.problems
    assert field == "workload.task" and "candidates[0].success_rate needs it" in message


def test_unknown_catalog_figures_name_the_field():
    data = office()
    data["availability"] = {"node_figure": "api-standard-tier-e"}
    with pytest.raises(ScenarioError) as info:
        run(data)
    assert info.value.problems[0][0] == "availability.node_figure"
    data["availability"] = {"downtime_cost_figure": "nope"}
    with pytest.raises(ScenarioError) as info:
        run(data)
    assert info.value.problems[0][0] == "availability.downtime_cost_figure"


# ------------------------------------------------------------------ Monte Carlo and horizon


def test_hybrids_are_sampled_with_their_replicas_and_overflow():
    e = analyse(parse(office()), samples=400, seed=3, curve_points=20)
    u = next(c for c in e.uncertainty.candidates if c.name == "office hours")
    point = by_name(e, "office hours")
    assert u.replicas.p10 <= point.replicas <= u.replicas.p90
    assert u.overflow_share.p10 <= point.overflow_share + 1e-9 and u.monthly_cost.p10 <= u.monthly_cost.p90
    band = next(b for b in e.uncertainty.curves if b.candidate == "office hours")
    assert len(band.p50) == len(e.curves[0].volumes)
    assert any(c.candidate == "office hours" for c in e.hybrid_curves)


def test_hybrid_horizon_at_held_prices_is_its_monthly_cost_with_the_one_off_up_front():
    data = office()
    data["horizon"] = {"months": 3, "discount_rate": 0.0}
    e = analyse(parse(data), horizon=True)
    h = next(c for c in e.horizon.candidates if c.name == "office hours")
    monthly = by_name(e, "office hours").monthly_cost
    amortized, one_off = 15000 / 12, 15000
    assert h.monthly_cost[1] == pytest.approx(monthly - amortized)
    assert h.monthly_cost[0] == pytest.approx(monthly - amortized + one_off)


# ------------------------------------------------------------------ redundancy


def test_redundancy_options_by_hand():
    data = office()
    data["workload"]["users"]["monthly_active"] = 2000  # one node
    data["availability"] = {"node": 0.99, "api": 0.999, "downtime_cost_per_hour": 1000}
    e = run(data)
    host = by_name(e, "dedicated")
    options = {o.option: o for o in host.redundancy}
    q, hours, node = 0.01, 730, host.breakdown["gpu_rent"]
    assert options["none"].downtime_hours_per_month == pytest.approx(q * hours)
    assert options["none"].downtime_cost_per_month == pytest.approx(q * hours * 1000)
    # one serving node and one standby: lost only while both are down
    assert options["standby"].availability == pytest.approx(1 - q**2)
    assert options["standby"].added_per_month == pytest.approx(node)
    api = by_name(e, "GLM-5.2 API (Z.ai)").monthly_cost
    assert options["api_failover"].added_per_month == pytest.approx(q * api)
    assert options["api_failover"].availability == pytest.approx(1 - q * 0.001)
    assert options["api_failover"].declared and not options["none"].declared
    assert by_name(e, "GLM-5.2 API (Z.ai)").redundancy[0].downtime_hours_per_month == pytest.approx(0.001 * 730)


def test_standby_with_several_replicas_is_the_binomial_tail():
    from scipy.stats import binom

    from breakeven.core.availability import lost_share

    n, s, q = 5, 2, 0.03
    k = np.arange(n + s + 1)
    assert lost_share(n, q, s) == pytest.approx(float((np.maximum(k - s, 0) * binom.pmf(k, n + s, q)).sum()) / n)
    assert lost_share(n, q) == pytest.approx(q)


def test_availability_defaults_come_from_sourced_catalog_figures():
    e = run(office())
    names = {a.name: a for a in e.assumptions}
    node = names["availability of one self-hosted replica (single-region-no-failover-e)"]
    assert node.value == "0.99–0.995" and "[E]" in node.source and node.confidence == "est"
    assert "[E]" in names["availability of an API (api-standard-tier-e)"].source


# ------------------------------------------------------------------ people served


def test_a_developer_counts_with_a_planning_throughput():
    e = run(example_data("a-glm-team-tco"))
    served = {p.profile: p for p in by_name(e, "dedicated 8x H200").people_served}
    assert served["chat"].users == 1500 and served["chat"].streams == 150  # [A]: ~1,500 classic users
    assert served["agentic"].users_range == [25, 50]  # [A]: 25-50 agentic users on one node
    assert served["chat"].basis == "measured"
    # the physics: not one GLM-5.2 stream reaches 100 tok/s on 8x H200 (about 73 tok/s)
    assert served["chat"].model_streams == 0 and 60 < served["chat"].model_tokens_per_s_per_stream < 100
    assert any("performance model sustains 0 streams" in n for n in served["chat"].notes)


@pytest.mark.parametrize("bound,index,expected", [("low", 0, 310), ("high", 1, 870)])
def test_a_cost_per_agentic_user(bound, index, expected):
    e = run(at_bound(example_data("a-glm-team-tco"), bound))
    agentic = next(p for p in by_name(e, "dedicated 8x H200").people_served if p.profile == "agentic")
    assert agentic.cost_per_user_range[index] == pytest.approx(expected, rel=0.01)  # [A]: EUR 310-870


def test_people_served_from_the_model_meet_the_speed():
    from breakeven.api import predict

    e = run(example_data("d-scenario-b"))
    chat = next(p for p in by_name(e, "Hetzner AX102").people_served if p.profile == "chat")
    assert chat.basis == "model"
    p = predict("gemma-4-31b", "rtx-3090", 2, 2000, 400, "max", precision="int4", min_tokens_per_s=100)
    assert chat.streams == (p.batch if p.service_level_met else 0)
    assert chat.users == pytest.approx(chat.streams / 0.1)


# ------------------------------------------------------------------ cost per task


def test_a_ticket_costs_185_on_the_api():
    e = run(example_data("a-glm-team-tco"))
    api = by_name(e, "hosted GLM-5.2 at EUR 1.85 per agent-hour")
    assert api.cost_per_task.cost_per_task == pytest.approx(1.85)  # [A]: EUR 1.85 per ticket
    tickets = by_name(run(example_data("a-tickets")), "hosted GLM-5.2")
    assert tickets.cost_per_task.cost_per_task == pytest.approx(1.85)
    assert tickets.cost_per_task.tasks_per_month == pytest.approx(24000 / 40)


def test_cost_per_accepted_task_retry_and_escalate():
    data = example_data("a-tickets")
    e = run(data)
    glm, flash = by_name(e, "hosted GLM-5.2"), by_name(e, "DeepSeek V4 Flash")
    escalate = (75 + 150) / 2
    assert glm.cost_per_task.cost_per_accepted_task == pytest.approx(1.85 + 0.2 * escalate)
    assert flash.cost_per_task.cost_per_accepted_task == pytest.approx(
        flash.cost_per_task.cost_per_task + 0.7 * escalate
    )
    assert any("not the cheapest per accepted ticket" in r for r in e.reasons)
    data["workload"]["task"] = {"name": "ticket", "requests_per_task": 40}
    retry = by_name(run(data), "DeepSeek V4 Flash").cost_per_task
    assert retry.on_failure == "retry" and retry.cost_per_accepted_task == pytest.approx(retry.cost_per_task / 0.3)


def test_a_hybrid_takes_its_parts_success_rates_by_the_tokens_they_serve():
    data = office()
    data["workload"]["task"] = {"name": "answer", "requests_per_task": 1}
    data["candidates"][0]["success_rate"] = 0.9
    data["candidates"][1]["success_rate"] = 0.6
    h = by_name(run(data), "office hours")
    f = h.overflow_share
    assert h.cost_per_task.success_rate == pytest.approx((1 - f) * 0.6 + f * 0.9)


# ------------------------------------------------------------------ energy


def test_energy_of_owned_gpus_and_its_emissions():
    data = example_data("d-scenario-b")
    host = data["candidates"][1]
    host["pricing"] = {
        "kind": "own",
        "purchase_price_per_gpu": 1000,
        "currency": "USD",
        "power_w_per_gpu": 350,
        "pue": 1.2,
        "grid": "eu27-2023-eea",
    }
    e = run(data)
    c = by_name(e, "Hetzner AX102")
    kwh = 2 * 350 / 1000 * 1.2 * 730 * c.replicas
    assert c.energy.kwh_per_month == pytest.approx(kwh)
    tokens = 5.0e8 + 1.5e8
    assert c.energy.kwh_per_million_tokens == pytest.approx(kwh / (tokens / 1e6))
    assert c.energy.kg_co2e_per_million_tokens == pytest.approx(kwh * 0.214 / (tokens / 1e6))
    assert any(a.name.startswith("Hetzner AX102: grid emissions (eu27-2023-eea)") for a in e.assumptions)
    assert by_name(e, "GPT-5 API").energy is None
    host["pricing"].pop("grid")
    assert by_name(run(data), "Hetzner AX102").energy.kg_co2e_per_month is None
    assert math.isfinite(c.energy.kg_co2e_per_month)


# ------------------------------------------------------------------ the faces


def test_plan_command_prints_the_best_plan_and_the_alternatives(cli):
    code, out, err = cli("plan", "examples/hybrid-office-hours.yaml")
    assert code == 0, err
    assert out.startswith("At 20,000 monthly active users, the best plan is office hours")
    assert "cost by replica count" in out and "full coverage" in out and "API alone" in out


def test_plan_json_is_the_evaluation_with_plans(cli):
    import json

    code, out, err = cli("plan", "examples/glm-team.yaml", "--json", "--curves")
    assert code == 0, err
    data = json.loads(out)
    assert data["best_plan"] == data["plans"][0]["name"]
    hybrids = [p for p in data["plans"] if p["kind"] == "hybrid"]
    assert hybrids and all({"replicas", "overflow_share", "alternatives"} <= set(p) for p in hybrids)
    assert {c["candidate"] for c in data["hybrid_curves"]} == {p["name"] for p in hybrids}


def test_capacity_command_reproduces_a_counts_and_refuses_bad_profiles(cli, tmp_path):
    import json

    args = ("capacity", "--model", "glm-5.2", "--gpu", "h200", "--gpus", "8", "--precision", "fp8")
    code, out, err = cli(*args, "--profile", "agentic", "--output-tokens-per-s", "15000", "--json")
    assert code == 0, err
    served = json.loads(out)["served"]
    assert served["users_range"] == [25, 50] and served["streams"] == 50
    code, _, err = cli(*args, "--profile", "nobody")
    assert code == 2 and err.startswith("error: --profile:")
    own = tmp_path / "support.yaml"
    own.write_text("min_tokens_per_s_per_stream: 20\nduty_cycle: 0.05\ninput_tokens: 1500\noutput_tokens: 300\n")
    code, out, err = cli(*args, "--profile", str(own), "--json")
    assert code == 0, err
    mine = json.loads(out)["served"]
    assert mine["profile"] == "support" and mine["basis"] == "model" and mine["streams"] > 0
    assert mine["users"] == pytest.approx(mine["streams"] / 0.05)
    own.write_text("min_tokens_per_s_per_stream: 20\nduty_cycle: 5\ninput_tokens: 1500\noutput_tokens: 300\n")
    code, _, err = cli(*args, "--profile", str(own))
    assert code == 2 and "duty_cycle" in err
    code, _, err = cli(*args, "--price-per-gpu-hour", "-1")
    assert code == 2 and "--price-per-gpu-hour" in err


def test_web_api_capacity_and_plans():
    import json

    from fastapi.testclient import TestClient

    from breakeven.web.app import create_app

    client = TestClient(create_app())
    body = {"model": "glm-5.2", "gpu": "h200", "gpus": 8, "precision": "fp8", "profile": "chat"}
    resp = client.post("/api/capacity", json={**body, "output_tokens_per_s": 15000})
    assert resp.status_code == 200 and resp.json()["served"]["users"] == 1500
    resp = client.post("/api/capacity", json={**body, "profile": "/etc/passwd"})
    assert resp.status_code == 422 and resp.json()["detail"][0]["field"] == "profile"
    resp = client.post("/api/capacity", json={**body, "profile": {"min_tokens_per_s_per_stream": 30}})
    assert resp.status_code == 422 and "profile.duty_cycle" in resp.json()["detail"][0]["field"]
    data = json.loads(json.dumps(office(), default=str))
    resp = client.post("/api/evaluate", json=data)
    assert resp.status_code == 200
    out = resp.json()
    assert out["best_plan"] == "office hours" and out["display"]["plan"].startswith("At 20,000 monthly active users")
    assert {c["candidate"] for c in out["hybrid_curves"]} == {"office hours", "base load + peaks"}
    data["candidates"][2]["selfhost"] = "nope"
    resp = client.post("/api/evaluate", json=data)
    assert resp.status_code == 422 and resp.json()["detail"][0]["field"] == "candidates[2].selfhost"


def test_currency_switch_converts_the_new_money_fields():
    from breakeven.scenario.currency import in_currency

    data = example_data("a-tickets")
    data["availability"] = {"downtime_cost_per_hour": 1000}
    s = parse(data)
    usd = in_currency(s, "USD")
    rate = usd["fx"]["EUR"]["rate"]  # USD per EUR
    assert usd["workload"]["task"]["escalation_cost"] == pytest.approx([75 * rate, 150 * rate])
    assert usd["availability"]["downtime_cost_per_hour"] == pytest.approx(1000 * rate)
    before, after = run(data), run(usd)
    glm = "hosted GLM-5.2"
    assert by_name(after, glm).cost_per_task.cost_per_accepted_task == pytest.approx(
        by_name(before, glm).cost_per_task.cost_per_accepted_task * rate
    )
