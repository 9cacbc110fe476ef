"""The worked examples of the five publications, reproduced with their own stated assumptions
(shipped as example scenarios in examples/)."""

import math

import pytest
from scenario_helpers import at_bound, by_name, example_data, run

# ------------------------------------------------------------------ [B] users-mode calculator


def test_b_serverless_and_dedicated_formulas():
    e = run(example_data("b-crossover"))
    # [B]: serverless/month = MAU x turns x (input x EUR/M in + output x EUR/M out) / 1e6, no caching
    assert by_name(e, "serverless").monthly_cost == pytest.approx(2000 * 100 * (50_000 * 1.80 + 1_000 * 5.50) / 1e6)
    # [B]: dedicated/month = node EUR/h x 730 x nodes
    assert by_name(e, "dedicated").monthly_cost == pytest.approx(30.06 * 730 * 1)


def test_b_break_even_is_where_serverless_reaches_one_node():
    e = run(example_data("b-crossover"))
    be = e.break_even[0]
    one_node = 30.06 * 730
    per_user = 100 * (50_000 * 1.80 + 1_000 * 5.50) / 1e6
    assert be.crossings[0].volume == pytest.approx(one_node / per_user)  # ~2,298 MAU
    assert be.crossings[0].direction == "selfhost_cheaper_above"
    assert round(be.crossings[0].volume, -2) == 2300


@pytest.mark.parametrize("mau", [500, 2_000, 5_000, 20_000, 100_000])
def test_b_node_count_formula(mau):
    data = example_data("b-crossover")
    data["workload"]["users"]["monthly_active"] = mau
    e = run(data)
    in_flight, prefix = 24, 50_000  # the example's in-flight requests per node at [B]'s 50k-token prefix
    capacity = in_flight * (50_000 / prefix) / 0.15  # [B]: in-flight x (50,000 / context) / duty cycle
    assert by_name(e, "dedicated").replicas == max(1, math.ceil(mau * 0.05 / capacity))


def b_calculator(mau: float, turns_per_day: float, days: float, context: float, output: float, in_flight: float):
    """[B]'s calculator, written out from [B]'s formulas: (serverless/month, dedicated/month, nodes,
    break-even MAU for one node)."""
    per_user = turns_per_day * days * (context * 1.80 + output * 5.50) / 1e6
    node = 30.06 * 730
    capacity = in_flight * (50_000 / context) / 0.15
    nodes = max(1, math.ceil(mau * 0.05 / capacity))
    return mau * per_user, node * nodes, nodes, node / per_user


@pytest.mark.parametrize(
    "mau, turns, days, context, output",
    [
        (2000, 5, 20, 50_000, 1000),
        (2300, 5, 20, 50_000, 1000),
        (9000, 6, 22, 30_000, 1500),
        (40_000, 5, 22, 20_000, 600),
    ],
)
def test_b_calculator_preset_reproduces_b_formulas_exactly(mau, turns, days, context, output):
    data = example_data("b-calculator")
    users = data["workload"]["users"]
    users.update(monthly_active=mau, requests_per_user_per_day=turns, active_days_per_month=days)
    data["workload"]["request"].update(input_tokens=context, output_tokens=output)
    e = run(data)
    serverless, dedicated, nodes, one_node_mau = b_calculator(mau, turns, days, context, output, in_flight=24)
    assert by_name(e, "serverless").monthly_cost == pytest.approx(serverless, rel=1e-12)
    assert by_name(e, "dedicated node").monthly_cost == pytest.approx(dedicated, rel=1e-12)
    assert by_name(e, "dedicated node").replicas == nodes
    assert e.break_even[0].crossings[0].volume == pytest.approx(one_node_mau, rel=1e-12)


def test_b_calculator_inputs_the_physics_cannot_serve_are_an_error():
    """[B]'s formula never asks whether the node can keep up. Without [B]'s stated in-flight figure
    (the model sizing the node), 8 turns on 30 days of 20k-token requests keep more requests in flight
    on average (requests x time in the replica, by Little's law) than the duty cycle allows at the
    peak: the GPUs would be over 100% busy, and the evaluation refuses with the reason."""
    from breakeven.scenario.load import ScenarioError

    data = example_data("b-calculator")
    data["workload"]["users"].update(monthly_active=40_000, requests_per_user_per_day=8, active_days_per_month=30)
    data["workload"]["request"].update(input_tokens=20_000, output_tokens=600)
    data["candidates"][1].pop("capacity")
    with pytest.raises(ScenarioError, match=r"requests_per_user_per_day.*impossible"):
        run(data)


def test_b_calculator_one_node_break_even_past_one_node_is_no_win():
    """Where [B]'s one-node break-even lies beyond what one node carries, the second node is needed
    before the API line reaches the first: self-hosting never wins (the core says why)."""
    data = example_data("b-calculator")
    data["workload"]["request"]["input_tokens"] = 80_000
    data["workload"]["users"].update(requests_per_user_per_day=3, active_days_per_month=22)
    *_, one_node_mau = b_calculator(9000, 3, 22, 80_000, 1000, in_flight=24)
    one_node_carries = 24 * (50_000 / 80_000) / 0.15 / 0.05
    assert one_node_mau > one_node_carries
    be = run(data).break_even[0]
    assert be.crossings == [] and be.selfhost_cheaper_above is None and "never catches up" in be.reason


def test_b_calculator_headline_numbers():
    e = run(example_data("b-calculator"))
    be = e.break_even[0]
    assert round(be.crossings[0].volume) == 2298  # [B]: serverless reaches one node's EUR 21,944
    assert [c.volume for c in be.crossings[1:4:2]] == pytest.approx([3200, 6400])  # 2nd and 3rd node
    assert round(be.selfhost_cheaper_above) == 6893


# ------------------------------------------------------------------ [C] utilization table


@pytest.mark.parametrize("share,tokens_per_s,per_m", [(1.0, 620, 10), (0.5, 310, 20), (0.2, 124, 50), (0.05, 31, 200)])
def test_c_utilization_table(share, tokens_per_s, per_m):
    data = example_data("c-utilization")
    output = tokens_per_s * 720 * 3600  # [C]: a 30-day month
    data["workload"]["tokens_per_month"] = {"input": output * 3.84, "output": output}
    e = run(data)
    node = by_name(e, "rented 8x H100")
    assert node.replicas == 1
    assert node.utilization == pytest.approx(share, rel=1e-6)
    assert node.monthly_cost == pytest.approx(16_000, rel=1e-3)
    assert node.cost_per_million_output_tokens == pytest.approx(per_m, rel=0.05)  # [C] rounds to ~$10/20/50/200


def test_c_self_hosting_costs_about_3x_the_api_even_at_full_batch():
    e = run(example_data("c-utilization"))
    node = by_name(e, "rented 8x H100")
    ratio = node.cost_per_million_output_tokens / 3.48  # DeepSeek V4 Pro output price [C]
    assert ratio == pytest.approx(3, rel=0.10)


# ------------------------------------------------------------------ [D] scenarios A and B


def test_d_scenario_a_api_six_times_cheaper():
    e = run(example_data("d-scenario-a"))
    api, host = by_name(e, "GPT-5 API"), by_name(e, "Hetzner AX102")
    assert api.monthly_cost == pytest.approx(125 + 150)
    assert host.monthly_cost == pytest.approx(205 + 1_500, rel=0.01)
    assert host.monthly_cost / api.monthly_cost == pytest.approx(6, rel=0.05)
    assert e.recommendation == "GPT-5 API"


def test_d_scenario_b_self_host_four_and_a_half_times_cheaper():
    e = run(example_data("d-scenario-b"))
    api, host = by_name(e, "GPT-5 API"), by_name(e, "Hetzner AX102")
    assert api.monthly_cost == pytest.approx(2_750)
    assert host.monthly_cost == pytest.approx(205 + 400, rel=0.01)
    assert host.replicas == 1
    assert api.monthly_cost / host.monthly_cost == pytest.approx(4.5, rel=0.05)
    assert e.recommendation == "Hetzner AX102"


# ------------------------------------------------------------------ [A] TCO range and per-user cost


@pytest.mark.parametrize("bound,expected", [("low", 15_450), ("high", 21_750)])
def test_a_tco_range(bound, expected):
    e = run(at_bound(example_data("a-glm-team-tco"), bound))
    # [A] uses 8x H200 at EUR 13,250/month (~728 h); breakeven bills 730 h: 0.3% more.
    assert by_name(e, "dedicated 8x H200").monthly_cost == pytest.approx(expected, rel=0.01)


@pytest.mark.parametrize("bound,expected", [("low", 28_700), ("high", 35_000)])
def test_a_tco_with_a_standby_node(bound, expected):
    data = at_bound(example_data("a-glm-team-tco"), bound)
    data["candidates"][1]["redundancy"] = {"kind": "standby"}
    e = run(data)
    host = by_name(e, "dedicated 8x H200")
    assert host.monthly_cost == pytest.approx(expected, rel=0.01)
    assert host.replicas == 2


def test_a_per_user_cost_and_api_equivalent():
    low = by_name(run(at_bound(example_data("a-glm-team-tco"), "low")), "dedicated 8x H200")
    high = by_name(run(at_bound(example_data("a-glm-team-tco"), "high")), "dedicated 8x H200")
    assert low.monthly_cost / 50 == pytest.approx(310, rel=0.02)  # [A]: EUR 310 per user at 50 users
    assert high.monthly_cost / 25 == pytest.approx(870, rel=0.02)  # [A]: EUR 870 per user at 25 users
    assert low.breakdown["gpu_rent"] / 50 == pytest.approx(265, rel=0.01)  # GPU alone at 50 users
    e = run(example_data("a-glm-team-tco"))
    api = by_name(e, "hosted GLM-5.2 at EUR 1.85 per agent-hour")
    assert api.monthly_cost == pytest.approx(37.5 * 1.85 * 24 * 30)  # ~EUR 49,950
    assert api.monthly_cost / high.monthly_cost >= 2 and api.monthly_cost / low.monthly_cost <= 3.3


# ------------------------------------------------------- [A]'s speeds with and without MTP (a-glm-mtp)


def _glm(inp, out, concurrency, mtp=None, **kw):
    from breakeven.api import predict

    spec = (
        None if mtp is None else {"method": "mtp", "draft_tokens": 3, **({"acceptance": mtp} if mtp != "range" else {})}
    )
    return predict("glm-5.2", "h200", 8, inp, out, concurrency, "fp8", speculative=spec, **kw)


def test_a_single_stream_speed_is_what_mtp_gives():
    """The comments of examples/a-glm-mtp.yaml: one stream at 4,000 in / 1,000 out."""
    assert _glm(4000, 1000, 1).decode_tokens_per_s_per_stream == pytest.approx(73, rel=0.02)
    with_mtp = _glm(4000, 1000, 1, "range")
    assert with_mtp.decode_tokens_per_s_per_stream == pytest.approx(159, rel=0.02)
    low, high = (_glm(4000, 1000, 1, a).decode_tokens_per_s_per_stream for a in (0.65, 0.8))
    assert low == pytest.approx(142, rel=0.02) and high == pytest.approx(178, rel=0.02)
    assert low >= 120 and high <= 180  # [A]: 120-180 tok/s per stream, with MTP only


@pytest.mark.parametrize(
    "shape,plain,mtp,batch",
    [((4000, 1000), 3_019, 3_249, 538), ((1000, 500), 9_919, 9_750, 1_795)],
)
def test_a_system_wide_figure_is_above_the_model_at_both_shapes(shape, plain, mtp, batch):
    without, with_mtp = _glm(*shape, "max"), _glm(*shape, "max", "range")
    assert without.output_tokens_per_s == pytest.approx(plain, rel=0.02) and without.batch == batch
    assert with_mtp.output_tokens_per_s == pytest.approx(mtp, rel=0.02)
    best = max(without.output_tokens_per_s, with_mtp.output_tokens_per_s)
    assert best < 12_000  # [A]: 12,000-18,000 tok/s system-wide


def test_streams_the_model_sustains_at_30_to_50_tokens_per_s():
    """docs/plans.md: at 30-50 tok/s per stream one node sustains 10-54 streams (4,000 in / 1,000 out)."""
    assert [_glm(4000, 1000, "max", min_tokens_per_s=s).batch for s in (50, 30)] == [10, 54]


def test_a_both_figures_at_once_are_out_of_reach():
    at_120 = _glm(4000, 1000, "max", "range", min_tokens_per_s=120)
    assert at_120.batch == 3 and at_120.output_tokens_per_s == pytest.approx(336, rel=0.02)
    assert _glm(4000, 1000, "max", min_tokens_per_s=120).service_level_met is False
    e = run(example_data("a-glm-mtp"))
    assert by_name(e, "8x H200, no speculation").service_level_met is False
    mtp = by_name(e, "8x H200 with MTP")
    assert mtp.service_level_met and mtp.replicas == 13
    # ~125 streams at 120 tok/s: each step reads nearly all weights, 91 GB per GPU, 19 ms at 4.8 TB/s.
    from breakeven.core.performance import weight_bytes_read
    from breakeven.deployments import deployment

    dep = deployment("glm-5.2", "h200", 8, "fp8")
    per_gpu = float(weight_bytes_read(dep, 125)) / 8
    assert per_gpu == pytest.approx(91e9, rel=0.02) and per_gpu / 4.8e12 == pytest.approx(0.019, rel=0.03)
    assert _glm(4000, 1000, 125).decode_tokens_per_s_per_stream == pytest.approx(26, rel=0.03)
    at_125 = _glm(4000, 1000, 125, "range")
    assert at_125.decode_tokens_per_s_per_stream == pytest.approx(58, rel=0.02)
    assert at_125.output_tokens_per_s == pytest.approx(2_568, rel=0.02)
