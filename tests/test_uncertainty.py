"""The Monte Carlo against cases with closed-form answers, its reproducibility, its confidence
intervals, correlated draws, distributions, and the tornado."""

import math

import numpy as np
import pytest
from scenario_helpers import example_data

from breakeven.amounts import Distribution
from breakeven.errors import InputError
from breakeven.scenario.analysis import analyse
from breakeven.scenario.draws import SampleDraws
from breakeven.scenario.load import parse
from breakeven.scenario.resolve import resolve
from breakeven.scenario.samples import sampled_costs

N = 100_000
REQUESTS = 1e6
INPUT_TOKENS = 1000


def _api(name="api", input_per_m=1.93, output_per_m=0.0):
    return {"name": name, "kind": "api", "prices": {"input_per_m": input_per_m, "output_per_m": output_per_m}}


def _host(rate_per_hour=(50, 150), price_per_gpu_hour=1.0, name="node", **extra):
    """One replica carries any volume here: a measured throughput far above the demand."""
    return {
        "name": name,
        "kind": "selfhost",
        "model": "llama-3.1-8b",
        "gpu": "h100-sxm",
        "gpus_per_replica": 1,
        "pricing": {"kind": "rent", "price_per_gpu_hour": price_per_gpu_hour},
        "staff": {"hours_per_month": 10, "rate_per_hour": list(rate_per_hour)},
        "capacity": {"concurrency_per_replica": 1000, "output_tokens_per_s_per_replica": 1e6},
        **extra,
    }


def scenario(*candidates, requests=REQUESTS, **extra):
    return parse(
        {
            "name": "closed form",
            "currency": "USD",
            "workload": {
                "traffic": {"requests_per_month": requests},
                "request": {"input_tokens": INPUT_TOKENS, "output_tokens": 1},
            },
            "candidates": list(candidates),
            **extra,
        }
    )


def quantile_tolerance(q: float, n: int, density: float) -> float:
    """Four standard errors of an empirical q-quantile of n draws where the density is ``density``."""
    return 4 * math.sqrt(q * (1 - q) / n) / density


def test_uniform_price_range_gives_the_exact_p10_p50_p90_of_cost():
    # cost = requests x input tokens / 1e6 x price = 1,000 x price, price uniform on [1, 3]:
    # P10 = 1,000 x 1.2, P50 = 2,000, P90 = 2,800; the density of the cost is 1 / 2,000.
    s = scenario(_api(input_per_m=[1.0, 3.0]))
    u = analyse(s, samples=N, seed=7).uncertainty
    cost = u.candidates[0].monthly_cost
    tolerance = quantile_tolerance(0.1, N, 1 / 2000)
    assert abs(cost.p10 - 1200) < tolerance and abs(cost.p90 - 2800) < tolerance
    assert abs(cost.p50 - 2000) < quantile_tolerance(0.5, N, 1 / 2000)
    tokens = REQUESTS * (INPUT_TOKENS + 1)
    per_million = u.candidates[0].cost_per_million_tokens
    assert per_million.p10 == pytest.approx(cost.p10 / (tokens / 1e6), rel=1e-9)


def test_a_ranged_cache_write_price_is_sampled():
    # Half the input is written to the cache at a price uniform on [2, 4] (the rest bills at 0):
    # cost = 1e6 requests x 500 tokens / 1e6 x price = 500 x price, P50 = 1,500.
    api = _api(input_per_m=0.0)
    api["prices"]["cache_write_per_m"] = {"dist": "uniform", "low": 2.0, "high": 4.0}
    s = scenario(api)
    s = s.model_copy(
        update={
            "workload": s.workload.model_copy(
                update={"request": s.workload.request.model_copy(update={"cache_write_share": 0.5})}
            )
        }
    )
    cost = analyse(s, samples=N, seed=3).uncertainty.candidates[0].monthly_cost
    assert abs(cost.p50 - 1500) < quantile_tolerance(0.5, N, 1 / 1000)
    assert cost.p10 < 1500 < cost.p90


def test_probability_a_linear_cost_beats_a_constant_one():
    # API: 1,000 x 1.93 = USD 1,930 a month. Self-hosting: 730 h x USD 1 + 10 h x rate, rate uniform
    # on [50, 150]: cheaper when 730 + 10 rate < 1,930, i.e. rate < 120: probability (120 - 50) / 100.
    s = scenario(_api(), _host())
    u = analyse(s, samples=N, seed=3).uncertainty
    exact = 0.7
    node = next(c for c in u.candidates if c.name == "node")
    assert abs(node.probability_cheapest - exact) < 4 * math.sqrt(exact * (1 - exact) / N)
    assert node.probability_cheapest_interval.low < exact < node.probability_cheapest_interval.high
    assert u.probability_selfhost_cheapest == node.probability_cheapest
    assert "70%" in u.summary


def test_same_seed_same_numbers_and_another_seed_other_numbers():
    s = parse(example_data("glm-team"))
    first = analyse(s, samples=2000, seed=11).uncertainty
    again = analyse(s, samples=2000, seed=11).uncertainty
    other = analyse(s, samples=2000, seed=12).uncertainty
    assert first == again
    assert first.candidates != other.candidates


def test_more_samples_narrow_the_confidence_interval_on_the_probability():
    s = scenario(_api(), _host())
    widths = []
    for n in (1_000, 16_000):
        c = next(c for c in analyse(s, samples=n, seed=5).uncertainty.candidates if c.name == "node")
        widths.append(c.probability_cheapest_interval.high - c.probability_cheapest_interval.low)
    assert widths[1] < widths[0] / 3  # 1 / sqrt(16) = 1/4 in theory


def test_interval_covers_the_error_of_few_performance_draws():
    """Where the answer hangs on the performance model, samples sharing a performance draw are not
    independent: the interval is wider than a binomial one of the same share."""
    data = example_data("b-crossover")
    data["candidates"][1]["engine"] = "sglang"  # every figure est: the capacity is uncertain
    data["candidates"][1].pop("capacity")
    data["workload"]["users"]["monthly_active"] = 5000
    u = analyse(parse(data), samples=4000, seed=1).uncertainty
    host = next(c for c in u.candidates if c.name == "dedicated")
    p, n = host.probability_cheapest, u.samples
    assert 0.05 < p < 0.95, "the scenario should leave the answer open"
    binomial = 2 * 1.96 * math.sqrt(p * (1 - p) / n)
    assert host.probability_cheapest_interval.high - host.probability_cheapest_interval.low > binomial
    assert u.performance_draws == 64  # sqrt(4,000), rounded up


def test_one_gpu_price_draw_per_sample_not_per_replica():
    # Three replicas of a node whose price per GPU-hour is uniform on [1, 3]: P10 of the rent is
    # exactly 3 x 730 x 1.2 when the three share one draw (independent draws would narrow it).
    host = _host(rate_per_hour=(100, 100), price_per_gpu_hour=[1.0, 3.0])
    host["capacity"] = {"concurrency_per_replica": 1, "output_tokens_per_s_per_replica": 1.0}
    host["staff"] = None
    s = scenario(_api(), host, requests=3 * 730 * 3600 * 0.999)  # 3 replicas by throughput (1 token/s each)
    r, _ = resolve(s, SampleDraws(N, 2))
    sc = sampled_costs(r)
    assert set(np.unique(sc.lines.stairs["node"].replicas(sc.volume))) == {3.0}
    cost = np.percentile(sc.monthly_cost["node"], [10, 90])
    tolerance = 3 * 730 * quantile_tolerance(0.1, N, 1 / 2)
    assert abs(cost[0] - 3 * 730 * 1.2) < tolerance and abs(cost[1] - 3 * 730 * 2.8) < tolerance


def test_a_catalog_figure_two_candidates_share_is_one_draw():
    data = example_data("glm-team")
    twin = dict(data["candidates"][2], name="twin", staff={"hours_per_month": 60, "rate_per_hour": 110})
    data["candidates"].append(twin)
    data["candidates"][2]["pricing"] = data["candidates"][3]["pricing"] = {
        "kind": "rent",
        "offer": "neocloud-8x-h100-node",
    }
    r, _ = resolve(parse(data), SampleDraws(1000, 0))
    sc = sampled_costs(r)
    difference = sc.monthly_cost["twin"] - sc.monthly_cost["dedicated"]
    assert np.ptp(sc.monthly_cost["dedicated"]) > 1000  # the [16, 24] USD/h offer moves the cost
    assert np.allclose(difference, 30 * 110)  # but not the difference: one draw for both


@pytest.mark.parametrize(
    "dist,q05,q50,q95",
    [
        (Distribution(dist="uniform", low=2, high=6), 2.2, 4.0, 5.8),
        (Distribution(dist="normal", low=2, high=6), 2.0, 4.0, 6.0),
        (Distribution(dist="lognormal", low=2, high=8), 2.0, 4.0, 8.0),
        # triangular (2, 3, 6): F(x) = (x - 2)^2 / 4 up to the mode, 1 - (6 - x)^2 / 12 above it
        (
            Distribution(dist="triangular", low=2, mode=3, high=6),
            2 + math.sqrt(0.2),
            6 - math.sqrt(6),
            6 - math.sqrt(0.6),
        ),
    ],
)
def test_distributions_are_the_ranges_people_write(dist, q05, q50, q95):
    draws = dist.sample(np.random.default_rng(0), 200_000)
    assert np.percentile(draws, [5, 50, 95]) == pytest.approx([q05, q50, q95], rel=0.01)
    assert dist.median() == pytest.approx(q50, rel=1e-12)
    assert dist.quantile(np.array([0.05, 0.5, 0.95])) == pytest.approx([q05, q50, q95], rel=1e-9)


def test_performance_inputs_are_stratified_one_draw_per_slice():
    from breakeven.scenario.draws import stratified

    dist = Distribution(dist="triangular", low=2, mode=3, high=6)
    values = stratified(dist, np.random.default_rng(4), 20)
    cdf = np.where(values < 3, (values - 2) ** 2 / 4, 1 - (6 - values) ** 2 / 12)
    assert sorted(np.floor(cdf * 20).astype(int)) == list(range(20))


def test_ranges_and_distributions_are_sampled_est_catalog_figures_get_the_stated_spread():
    data = example_data("glm-team")
    data["candidates"][2]["staff"]["rate_per_hour"] = {"dist": "triangular", "low": 75, "mode": 100, "high": 150}
    u = analyse(parse(data), samples=500, seed=0).uncertainty
    inputs = {i.field: i for i in u.inputs}
    rate = inputs["candidates[2].staff.rate_per_hour"]
    assert (rate.low, rate.high, rate.distribution) == (75, 150, "triangular 75–150, mode 100")
    zai = inputs["catalog:api-offers/zai-glm-5.2.input_per_m"]  # "~$1.40": est in the catalog
    assert (zai.low, zai.high) == pytest.approx((1.4 * 0.8, 1.4 * 1.2)) and zai.confidence == "est"
    assert inputs["catalog:engines/vllm.moe_layer_overhead_us"].performance
    assert "catalog:api-offers/scaleway-glm-5.2-serverless.input_per_m" not in inputs  # firm
    data["uncertainty"] = {"est_spread": 0}
    quiet = analyse(parse(data), samples=500, seed=0)
    assert [i.field for i in quiet.uncertainty.inputs] == ["candidates[2].staff.rate_per_hour"]
    spread = next(a for a in quiet.assumptions if a.field == "uncertainty.est_spread")
    assert spread.value == "uniform ±0%" and spread.confidence == "firm"


def test_performance_draws_change_the_capacity_and_stay_within_catalog_bounds():
    data = example_data("b-crossover")
    data["candidates"][1]["engine"] = "sglang"
    data["candidates"][1].pop("capacity")
    r, _ = resolve(parse(data), SampleDraws(400, 0))
    sc = sampled_costs(r)
    concurrency = sc.lines.capacity["dedicated"].concurrency_per_replica
    assert np.unique(concurrency).size > 1
    share = r.hosts["dedicated"].figures["engine.gpu_memory_utilization"]  # 0.88, est: 0.88 +- 0.12
    assert share.min() >= 0.76 and share.max() <= 1.0 and np.median(share) == pytest.approx(0.88, abs=0.06)
    assert np.unique(share).size == np.unique(r.performance_index).size == 20  # 400 samples: 20 draws


def test_tornado_swings_one_input_at_a_time_largest_first():
    # Break-even of one replica against a linear API: v = (730 + 10 rate) / (1.93e-3 per request).
    s = scenario(_api(), _host())
    u = analyse(s, samples=1000, seed=0).uncertainty
    assert u.tornado_pair == ["api", "node"]
    top = u.tornado[0]
    assert top.field == "candidates[1].staff.rate_per_hour"
    assert top.low == pytest.approx((730 + 500) / 1.93e-3, rel=1e-9)
    assert top.high == pytest.approx((730 + 1500) / 1.93e-3, rel=1e-9)
    assert top.gap_low == pytest.approx(730 + 500 - 1930, rel=1e-9)
    assert top.gap_high == pytest.approx(730 + 1500 - 1930, rel=1e-9)
    swings = [b.swing for b in u.tornado if b.swing is not None]
    assert swings == sorted(swings, reverse=True)


def _slow_host():
    """A replica that serves 1 output token/s: 730 x 3,600 = 2,628,000 one-token requests a month for
    USD 730, so USD 2.778e-4 a request; an API cheaper than that per request is never beaten."""
    host = _host(rate_per_hour=(100, 100))
    host["capacity"] = {"concurrency_per_replica": 1, "output_tokens_per_s_per_replica": 1.0}
    return host


def test_tornado_puts_an_input_that_decides_whether_it_breaks_even_first():
    # The API costs 1e-3 x price a request: never beaten at price 0.1, beaten at 0.5.
    s = scenario(_api(input_per_m=[0.1, 0.5]), _slow_host())
    bars = analyse(s, samples=500, seed=0).uncertainty.tornado
    assert bars[0].field == "candidates[0].prices.input_per_m" and bars[0].flips
    assert bars[0].low is None and bars[0].high is not None and bars[0].swing is None


def test_break_even_percentiles_count_never_as_beyond_every_volume():
    # Never where 1e-3 x price <= 730 / 2,628,000: price <= 0.2778, probability (0.2778 - 0.1) / 0.4.
    s = scenario(_api(input_per_m=[0.1, 0.5]), _slow_host())
    be = analyse(s, samples=N, seed=0).uncertainty.break_even[0]
    exact = (730 / 2_628_000 * 1e3 - 0.1) / 0.4
    assert abs(be.probability_never - exact) < 4 * math.sqrt(exact * (1 - exact) / N)
    assert be.selfhost_cheaper_above.p10 is not None and be.selfhost_cheaper_above.p90 is None


@pytest.mark.parametrize("samples", [0, 99, 1_000_001, 2.5, True])
def test_sample_counts_are_bounded_with_a_clear_error(samples):
    with pytest.raises(InputError, match="samples"):
        analyse(scenario(_api()), samples=samples)


def test_negative_seed_is_a_clear_error():
    with pytest.raises(InputError, match="seed"):
        analyse(scenario(_api()), samples=100, seed=-1)
