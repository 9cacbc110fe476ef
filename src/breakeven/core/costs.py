"""Monthly costs, in the report currency. Pure arithmetic on resolved prices.

API (design.md, Money): requests x ((uncached input - cache writes) x p_in + cached input x p_cached
+ cache writes x p_write + output x p_out) / 1e6. Self-host: replicas x hardware per replica + fixed costs (staff,
production layer amortized, storage/network) + redundancy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from breakeven.core.demand import HOURS_PER_MONTH, Demand

MONTHS_PER_YEAR = 12


@dataclass(frozen=True)
class ApiPrices:
    """Per-million-token prices in the report currency. ``cached_input_per_m`` None: no prompt
    caching, cached tokens bill as input."""

    input_per_m: float
    output_per_m: float
    cached_input_per_m: float | None = None
    cache_write_per_m: float | None = None


def api_monthly(demand: Demand, prices: ApiPrices) -> dict[str, float]:
    """Monthly API cost by part. Cache writes are input tokens an API bills at its cache-write price
    instead of its input price (they are not cached reads, so they come out of the uncached input,
    at most all of it); without a cache-write price they bill as input."""
    s, n = demand.shape, demand.requests_per_month / 1e6
    cached_price = prices.input_per_m if prices.cached_input_per_m is None else prices.cached_input_per_m
    write_price = prices.cache_write_per_m
    writes = 0.0 if write_price is None else np.minimum(s.cache_write_tokens, s.uncached_input_tokens)
    return {
        "input": n * (s.uncached_input_tokens - writes) * prices.input_per_m,
        "cached_input": n * s.cached_input_tokens * cached_price,
        "cache_writes": n * writes * (0.0 if write_price is None else write_price),
        "output": n * s.output_tokens * prices.output_per_m,
    }


def api_cost_per_request(shape_demand: Demand, prices: ApiPrices) -> float:
    """Cost of one request (the API line's slope per request)."""
    one = Demand(requests_per_month=1.0, shape=shape_demand.shape)
    return sum(api_monthly(one, prices).values())


@dataclass(frozen=True)
class RentTerms:
    """Rent: ``price_per_unit`` per billed unit of ``gpus_per_unit`` GPUs, per hour or per month."""

    price_per_unit: float
    gpus_per_unit: int
    per: str  # "hour" or "month"


def rent_per_replica(terms: RentTerms, gpus_per_replica: int, billed_hours: float) -> dict[str, float]:
    """Monthly rent of one replica. Units (nodes, servers) bill whole: 3 GPUs on 2-GPU servers rent 2."""
    units = -(-gpus_per_replica // terms.gpus_per_unit)
    hours = 1.0 if terms.per == "month" else billed_hours
    return {"gpu_rent": units * terms.price_per_unit * hours}


@dataclass(frozen=True)
class OwnTerms:
    """Ownership of the GPUs of one replica, all money in the report currency."""

    purchase_price: float
    """Price of one replica's GPUs (cards, or nodes' share)."""
    depreciation_years: float
    residual_value_share: float
    cost_of_capital: float
    power_w: float
    """Average draw of one replica incl. host share, W."""
    pue: float
    electricity_per_kwh: float
    rack_per_month: float


def own_per_replica(terms: OwnTerms, powered_hours: float) -> dict[str, float]:
    """Monthly cost of owning one replica: straight-line depreciation to the residual value, the cost
    of capital on the average book value, power x PUE x price over the powered hours, and rack space."""
    price, residual = terms.purchase_price, terms.purchase_price * terms.residual_value_share
    months = terms.depreciation_years * MONTHS_PER_YEAR
    return {
        "depreciation": (price - residual) / months,
        "cost_of_capital": (price + residual) / 2 * terms.cost_of_capital / MONTHS_PER_YEAR,
        "power": terms.power_w / 1000 * terms.pue * powered_hours * terms.electricity_per_kwh,
        "rack": terms.rack_per_month,
    }


def staff_monthly(
    hours_per_month: float | None = None,
    rate_per_hour: float | None = None,
    fte: float | None = None,
    loaded_salary_per_year: float | None = None,
) -> float:
    """Operations staff per month: hours x rate, or FTE x loaded salary / 12."""
    if hours_per_month is not None:
        return hours_per_month * rate_per_hour
    return fte * loaded_salary_per_year / MONTHS_PER_YEAR


@dataclass(frozen=True)
class ProductionLayerTerms:
    """Gateway, auth, monitoring: a one-off cost amortized over months, plus a running cost per month."""

    one_off: float
    amortize_months: float
    per_month: float


def production_layer_monthly(one_off: float, amortize_months: float, per_month: float) -> float:
    """Gateway, auth, monitoring: one-off engineering amortized over months, plus running costs."""
    return one_off / amortize_months + per_month


def billed_hours(schedule_hours: float | None) -> float:
    """Hours billed a month: 730 for 24/7, else the schedule's hours."""
    return HOURS_PER_MONTH if schedule_hours is None else schedule_hours
