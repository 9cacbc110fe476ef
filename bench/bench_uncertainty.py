"""Benchmarks: the Monte Carlo of a 4-candidate scenario (100,000 samples, the break-even of every
(API, self-host) pair per sample included), the tornado, the horizon, and the error of pairing about
sqrt(N) performance draws with N cost samples instead of searching the capacity for every sample.

    python bench/bench_uncertainty.py [--samples 100000] [--repeats 5] [--error-samples 4000]

Prints tables. Figures, not assertions: nothing here fails on time.
"""

from __future__ import annotations

import argparse

import numpy as np
from rich.console import Console
from rich.table import Table
from timing import timed, timing_table

from breakeven.scenario.analysis import analyse
from breakeven.scenario.evaluate import evaluate
from breakeven.scenario.horizon import evaluate_horizon
from breakeven.scenario.load import parse
from breakeven.scenario.tornado import tornado
from breakeven.scenario.uncertainty import evaluate_uncertainty


def _node(name: str, pricing: dict) -> dict:
    """GLM-5.2 on 8x H200 in FP8 with the people [A] says it needs."""
    return {
        "name": name,
        "kind": "selfhost",
        "model": "glm-5.2",
        "gpu": "h200",
        "gpus_per_replica": 8,
        "precision": "fp8",
        "attention_dp": True,
        "pricing": pricing,
        "staff": {"hours_per_month": [20, 40], "rate_per_hour": [75, 150]},
        "production_layer": {"one_off": [6000, 24000]},
        "storage_network_per_month": [200, 500],
    }


FOUR_CANDIDATES = {
    "name": "4 candidates: two APIs, a rented and an owned 8x H200 node",
    "currency": "EUR",
    "workload": {
        "users": {
            "monthly_active": [1500, 2500],
            "requests_per_user": [80, 120],
            "peak_online_share": 0.05,
            "duty_cycle": 0.25,  # 100 requests of ~4 min a month keep 0.0086 a user in flight: 0.15 is too few
        },
        "request": {"input_tokens": [30000, 60000], "cached_input_share": 0.8, "output_tokens": [600, 1200]},
        "service_level": {"min_tokens_per_s_per_stream": 20},
    },
    "candidates": [
        {"name": "serverless", "kind": "api", "offer": "scaleway-glm-5.2-serverless"},
        {"name": "Z.ai", "kind": "api", "offer": "zai-glm-5.2"},
        _node(
            "rented",
            {"kind": "rent", "price_per_gpu_hour": {"dist": "triangular", "low": 2.0, "mode": 2.3, "high": 4.2}},
        ),
        _node(
            "owned",
            {
                "kind": "own",
                "purchase_price_per_gpu": {"dist": "lognormal", "low": 28000, "high": 40000},
                "electricity_per_kwh": [0.12, 0.3],
            },
        ),
    ],
    "horizon": {
        "months": 48,
        "api_price_change_per_year": [-0.5, -0.2],
        "gpu_rent_change_per_year": [-0.3, -0.1],
        "demand_growth_per_month": 0.05,
        "discount_rate": 0.08,
    },
}


def timings(samples: int, repeats: int) -> dict[str, list[float]]:
    s = parse(FOUR_CANDIDATES)
    point = evaluate(s, 200)
    analyse(s, samples=1000)  # warm the catalog and price caches
    return {
        f"Monte Carlo, {samples:,} samples, 4 candidates, break-even per sample": timed(
            lambda: evaluate_uncertainty(s, point, samples, 0, with_tornado=False), repeats
        ),
        "tornado (every input swung, one designed batch)": timed(lambda: tornado(s, point), repeats),
        "horizon, 48 months, point and 4,000 samples": timed(lambda: evaluate_horizon(s, samples=4000), repeats),
        f"analyse(): point, Monte Carlo, tornado, curve bands, horizon ({samples:,})": timed(
            lambda: analyse(s, samples=samples, horizon=True), max(1, repeats // 2)
        ),
    }


def pairing_error(samples: int) -> Table:
    """Statistics with sqrt(N) performance draws against a capacity search for every sample."""
    s = parse(FOUR_CANDIDATES)
    point = evaluate(s, 0)
    paired = evaluate_uncertainty(s, point, samples, 0, with_tornado=False)
    full = evaluate_uncertainty(s, point, samples, 0, performance_draws=samples, with_tornado=False)
    table = Table(title=f"pairing {paired.performance_draws} performance draws with {samples:,} samples vs {samples:,}")
    for col in ("statistic", "paired", "every sample", "difference"):
        table.add_column(col, justify="left" if col == "statistic" else "right")
    for a, b in zip(paired.candidates, full.candidates):
        for q in ("p10", "p50", "p90"):
            x, y = getattr(a.monthly_cost, q), getattr(b.monthly_cost, q)
            table.add_row(f"{a.name} monthly cost {q}", f"{x:,.0f}", f"{y:,.0f}", f"{x / y - 1:+.2%}")
        table.add_row(
            f"{a.name} probability cheapest",
            f"{a.probability_cheapest:.3f}",
            f"{b.probability_cheapest:.3f}",
            f"{a.probability_cheapest - b.probability_cheapest:+.3f}",
        )
    for a, b in zip(paired.break_even, full.break_even):
        for q in ("p10", "p50", "p90"):
            x, y = getattr(a.selfhost_cheaper_above, q), getattr(b.selfhost_cheaper_above, q)
            diff = "" if x is None or y is None else f"{x / y - 1:+.2%}"
            table.add_row(f"break-even {a.selfhost} vs {a.api} {q}", f"{x or np.nan:,.0f}", f"{y or np.nan:,.0f}", diff)
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--error-samples", type=int, default=4000)
    args = parser.parse_args()
    console = Console()
    console.print(timing_table("breakeven uncertainty benchmarks (wall time)", timings(args.samples, args.repeats)))
    if args.error_samples:
        console.print(pairing_error(args.error_samples))


if __name__ == "__main__":
    main()
