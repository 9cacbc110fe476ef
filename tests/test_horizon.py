"""The horizon against hand-computed cash flows and net present costs, publication [C]'s rent-versus-
own comparison, growth and replacement of owned GPUs, the break-even along time, and the price trend."""

import datetime as dt

import numpy as np
import pytest

from breakeven.errors import InputError
from breakeven.prices import _yearly_changes, model_family, price_trend
from breakeven.scenario.analysis import analyse
from breakeven.scenario.horizon import evaluate_horizon
from breakeven.scenario.load import ScenarioError, parse

BIG = {"concurrency_per_replica": 1000, "output_tokens_per_s_per_replica": 1e6}
"""A measured replica so fast that one carries the volume: the tests price months, not capacity."""


def _scenario(candidates, horizon, requests=1e6):
    return parse(
        {
            "name": "horizon",
            "currency": "USD",
            "workload": {
                "traffic": {"requests_per_month": requests},
                "request": {"input_tokens": 1000, "output_tokens": 1},
            },
            "candidates": candidates,
            "horizon": horizon,
        }
    )


def _node(name, pricing, **extra):
    return {
        "name": name,
        "kind": "selfhost",
        "model": "llama-3.1-8b",
        "gpu": "h100-sxm",
        "gpus_per_replica": 8,
        "pricing": pricing,
        "capacity": BIG,
        **extra,
    }


API = {"name": "api", "kind": "api", "prices": {"input_per_m": 2.0, "output_per_m": 0.0}}
THREE_MONTHS = {
    "months": 3,
    "api_price_change_per_year": -0.5,
    "gpu_rent_change_per_year": -0.3,
    "demand_growth_per_month": 0.1,
    "discount_rate": 0.08,
}


def by_name(h, name):
    return next(c for c in h.candidates if c.name == name)


def test_three_months_by_hand():
    rent = _node(
        "rent",
        {"kind": "rent", "price_per_gpu_hour": 1.0},
        gpus_per_replica=1,
        staff={"hours_per_month": 10, "rate_per_hour": 100},
        production_layer={"one_off": 1200, "amortize_months": 12},
    )
    h = evaluate_horizon(_scenario([API, rent], THREE_MONTHS))
    # API: 1e6 requests x 1,000 tokens x USD 2/M = 2,000 in month 1; then x 1.1 a month for the volume
    # and x 0.5^(1/12) a month for the price. Discount: 1.08^(-t/12) for month t + 1.
    api = [2000.0, 2000 * 1.1 * 0.5 ** (1 / 12), 2000 * 1.21 * 0.5 ** (2 / 12)]
    # Rent: 730 h x USD 1 falling 30% a year, staff 10 h x USD 100, the one-off USD 1,200 in month 1.
    rent_cash = [730 + 1000 + 1200, 730 * 0.7 ** (1 / 12) + 1000, 730 * 0.7 ** (2 / 12) + 1000]
    discount = [1.0, 1.08 ** (-1 / 12), 1.08 ** (-2 / 12)]
    assert by_name(h, "api").monthly_cost == pytest.approx(api, rel=1e-12)
    assert by_name(h, "rent").monthly_cost == pytest.approx(rent_cash, rel=1e-12)
    assert by_name(h, "api").net_present_cost == pytest.approx(sum(c * d for c, d in zip(api, discount)), rel=1e-12)
    npc = sum(c * d for c, d in zip(rent_cash, discount))
    assert by_name(h, "rent").net_present_cost == pytest.approx(npc, rel=1e-12)
    assert by_name(h, "rent").cumulative_cost[-1] == pytest.approx(sum(rent_cash), rel=1e-12)
    assert h.volume == pytest.approx([1e6, 1.1e6, 1.21e6])


def test_owning_three_months_by_hand_with_the_terminal_value():
    own = _node(
        "own",
        {
            "kind": "own",
            "purchase_price_per_gpu": 10000,
            "power_w_per_gpu": 1000,
            "pue": 1.0,
            "electricity_per_kwh": 0.1,
            "depreciation_years": 4,
            "residual_value_share": 0.1,
        },
        gpus_per_replica=1,
    )
    h = evaluate_horizon(_scenario([API, own], THREE_MONTHS))
    # Bought in month 1; 1 kW x 730 h x USD 0.1 = USD 73 of power a month. After 3 of 48 months the
    # card is worth 10,000 x (1 - 0.9 x 3/48) = 9,437.5, received (discounted) at the end.
    cash = [10000 + 73, 73, 73]
    discount = [1.0, 1.08 ** (-1 / 12), 1.08 ** (-2 / 12)]
    terminal = 9437.5 * 1.08 ** (-3 / 12)
    c = by_name(h, "own")
    assert c.monthly_cost == pytest.approx(cash, rel=1e-12)
    assert c.terminal_value == pytest.approx(terminal, rel=1e-12)
    assert c.net_present_cost == pytest.approx(sum(x * d for x, d in zip(cash, discount)) - terminal, rel=1e-12)


def _c_comparison(samples=None):
    # [C]: an 8x H100 HGX node costs $200,000-250,000 and draws 6-8 kW, ~$700-1,200/month of electricity;
    # renting one costs ~$16-24/h (~$11,500-17,500/month 24/7). The electricity price is [C]'s own:
    # $700 / (6 kW x 730 h) = $0.16/kWh to $1,200 / (8 kW x 730 h) = $0.205/kWh, with PUE 1 (whole-node draw).
    own = _node(
        "own",
        {
            "kind": "own",
            "offer": "hgx-h100-8-node-c",
            "pue": 1.0,
            "electricity_per_kwh": [0.16, 0.205],
            "residual_value_share": 0.0,
        },
    )
    rent = _node("rent", {"kind": "rent", "offer": "neocloud-8x-h100-node"})
    horizon = {"months": 48, "discount_rate": 0.0, "gpu_rent_change_per_year": 0.0}
    return evaluate_horizon(_scenario([own, rent], horizon), samples=samples, seed=1)


def test_rent_versus_own_reproduces_publication_c():
    h = _c_comparison()
    # Midpoints: $225,000 up front against $20/h x 730 h = $14,600 a month of rent saved, less
    # 7 kW x 730 h x $0.1825 = $932.6 of power: pays back after 225,000 / 13,667.4 = 16.5 months.
    payback = next(p for p in h.payback if p.against == "rent")
    assert payback.month == 17 and payback.discounted_month == 17
    assert by_name(h, "rent").monthly_cost[0] == pytest.approx(14600)
    assert by_name(h, "own").monthly_cost[1] == pytest.approx(7 * 730 * 0.1825)


def test_rent_versus_own_payback_stays_within_c_ranges():
    # [C]'s ranges put the payback between 200,000 / (24 x 730 - 700) = 11.9 and
    # 250,000 / (16 x 730 - 1,200) = 23.9 months.
    h = _c_comparison(samples=4000)
    payback = next(p for p in h.payback if p.against == "rent")
    assert 12 <= payback.month_percentiles.p10 < payback.month_percentiles.p50 < payback.month_percentiles.p90 <= 24
    assert payback.probability_within_horizon == 1.0
    npc = by_name(h, "own").net_present_cost_percentiles
    assert npc.p10 < by_name(h, "own").net_present_cost < npc.p90


def test_growth_buys_more_owned_replicas_and_old_ones_are_replaced():
    own = _node(
        "own",
        {
            "kind": "own",
            "purchase_price_per_gpu": 1000,
            "power_w_per_gpu": 0.0,
            "depreciation_years": 1,
            "residual_value_share": 0.25,
        },
        gpus_per_replica=1,
        capacity={"concurrency_per_replica": 1, "output_tokens_per_s_per_replica": 1.0},
    )
    # One replica serves 2,628,000 one-token requests a month; 2.5M requests growing 2% a month need a
    # second replica from month 4 (2.5M x 1.02^3 = 2.653M) and no third within 16 months (3.36M).
    # Unpowered GPUs whose price falls 12% a year.
    horizon = {"months": 16, "gpu_rent_change_per_year": -0.12, "discount_rate": 0.0, "demand_growth_per_month": 0.02}
    h = evaluate_horizon(_scenario([API, own], horizon, requests=2.5e6))
    cash = by_name(h, "own").monthly_cost
    price = [1000 * 0.88 ** (t / 12) for t in range(16)]
    assert cash[0] == pytest.approx(price[0])  # the first replica
    assert cash[1] == cash[2] == 0
    assert cash[3] == pytest.approx(price[3])  # the second, at month 4's price
    # Month 13: the first is a year old; replaced at month 13's price, sold for a quarter of what it cost.
    assert cash[12] == pytest.approx(price[12] - 0.25 * price[0])
    assert cash[15] == pytest.approx(price[15] - 0.25 * price[3])


def test_break_even_along_time_follows_falling_api_prices():
    rent = _node("rent", {"kind": "rent", "price_per_gpu_hour": 1.0}, gpus_per_replica=1)
    horizon = {"months": 24, "api_price_change_per_year": -0.5, "discount_rate": 0.0}
    h = evaluate_horizon(_scenario([API, rent], horizon))
    be = h.break_even[0]
    # One replica at USD 730 against 2e-3 x 0.5^(t/12) per request: break-even 365,000 / 0.5^(t/12).
    assert be.selfhost_cheaper_above[0] == pytest.approx(365_000)
    assert be.selfhost_cheaper_above[12] == pytest.approx(730_000)
    # At 1e6 requests the API (USD 2,000) is dearer until its price has fallen to 730: 0.5^(t/12) <=
    # 0.365 from t = 12 log2(1/0.365) = 17.45, i.e. month 19; cumulatively the node stays cheaper throughout.
    assert be.selfhost_cheaper_from_month is None
    assert be.cumulative_selfhost_cheaper_from_month == 1
    assert h.cheapest == "rent"


def test_api_price_trend_default_and_the_users_figure_wins():
    s = _scenario([{"name": "glm", "kind": "api", "offer": "zai-glm-5.2"}], {"months": 12})
    found = {a.name: a for a in analyse(s, curve_points=0, horizon=True).assumptions}
    trend = found["glm: price change per year"]
    assert trend.value == "0" and "no price history of at least 180 days" in trend.source
    s = _scenario([{"name": "glm", "kind": "api", "offer": "zai-glm-5.2"}], {"api_price_change_per_year": -0.3})
    found = {a.name: a for a in analyse(s, curve_points=0, horizon=True).assumptions}
    assert found["API price change per year"].source == "scenario file"
    assert "glm: price change per year" not in found


def test_price_trend_from_the_libraries_dated_history():
    # genai-prices lists openrouter z-ai/glm-5.2 at $0.62/$2.42 from 2026-10-19 and $1.40/$4.40 from
    # 2026-11-03: blended 3:1 (input:output) $1.07 then $2.15, a change over 34 days to 2026-11-22.
    at = dt.date(2026, 11, 22)
    changes = dict(_yearly_changes("glm-5.2", at, 0.75, 30))
    assert changes["openrouter/z-ai/glm-5.2"] == pytest.approx((2.15 / 1.07) ** (365.25 / 34) - 1, rel=1e-9)
    value, source = price_trend("glm-5.2", at, 0.75, 30)
    assert value == pytest.approx(float(np.median(list(changes.values()))), rel=1e-12)
    assert "genai-prices" in source and "glm-5.2" in source
    assert price_trend("glm", at, 0.75) is None  # nothing in this snapshot spans 180 days
    assert [model_family(m) for m in ("glm-5.2", "deepseek-v4-pro", "gpt-oss-120b", "qwen3-30b-a3b")] == [
        "glm",
        "deepseek",
        "gpt-oss",
        "qwen",
    ]


@pytest.mark.parametrize(
    "horizon,field",
    [
        ({"months": 0}, "horizon.months"),
        ({"months": 241}, "horizon.months"),
        ({"api_price_change_per_year": -1.5}, "horizon.api_price_change_per_year"),
        ({"discount_rate": 2}, "horizon.discount_rate"),
        ({"weeks": 3}, "horizon.weeks"),
    ],
)
def test_bad_horizons_name_the_field(horizon, field):
    with pytest.raises(ScenarioError) as err:
        _scenario([API], horizon)
    assert err.value.problems[0][0] == field


def test_horizon_samples_need_a_valid_count():
    with pytest.raises(InputError, match="samples"):
        analyse(_scenario([API], {"months": 3}), samples=10, horizon=True)
