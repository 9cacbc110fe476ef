"""`breakeven compare`: a scenario built from catalog defaults, each default shown as an assumption.

The defaults for running a node come from publication [A] in EUR. Each has a unit; converting to the
report currency converts money (EUR, EUR/h, EUR/month) and nothing else (hours stay hours).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from breakeven import catalog
from breakeven.catalog.store import entries
from breakeven.core.sizing import min_gpus
from breakeven.deployments import deployment
from breakeven.errors import InputError
from breakeven.fx import catalog_rate
from breakeven.results import Evaluation
from breakeven.scenario.assumptions import Sources
from breakeven.scenario.evaluate import evaluate
from breakeven.scenario.load import ScenarioError, parse
from breakeven.scenario.resolve import rent_per_gpu_hour
from breakeven.scenario.schema import Scenario
from breakeven.scenario.volume import parse_volume

PRICE_DATE = dt.date(2026, 11, 22)
A = "[A] 'GLM-5.2 for a dev team' (2026)"
DEFAULT_CURRENCY = "EUR"
"""The currency the running-cost defaults below are published in ([A])."""


@dataclass(frozen=True)
class Default:
    """A default figure for running a node, with its unit and source. Money units start with the
    currency (``EUR/h``); the others (``h/month``, ``months``) are not money."""

    value: float | tuple[float, float]
    unit: str
    source: str

    @property
    def is_money(self) -> bool:
        return self.unit.split("/")[0] == DEFAULT_CURRENCY

    def in_currency(self, factor: float) -> float | tuple[float, float]:
        """The value in the report currency: money times ``factor``, anything else unchanged."""
        if not self.is_money:
            return self.value
        return tuple(v * factor for v in self.value) if isinstance(self.value, tuple) else self.value * factor


DEFAULTS = {
    "staff_hours": Default((20, 40), "h/month", f"{A}: DevOps/MLOps for an 8-GPU node, 20-40 h/month"),
    "staff_rate": Default((75, 150), "EUR/h", f"{A}: EUR 75-150/h"),
    "production_one_off": Default((6000, 24000), "EUR", f"{A}: production layer, 80-160 h one-off = EUR 6,000-24,000"),
    "production_months": Default(12, "months", f"{A}: amortized over 12 months"),
    "storage": Default((200, 500), "EUR/month", f"{A}: storage, network, model upkeep EUR 200-500/month"),
}
SERVICE_LEVEL = {"min_tokens_per_s_per_stream": 20, "max_ttft_s": 10}
"""Default service level (est): 20 tokens/s per stream reads faster than people do; 10 s to first token."""

SCENARIO_FIELDS_TO_OPTIONS = {
    "gpus_per_replica": "gpus",
    "gpus": "gpus",
    "gpu": "gpu",
    "pricing.offer": "gpu_offer",
    "precision": "precision",
    "model": "model",
    "offer": "api_offers",
    "currency": "currency",
    "input_tokens": "output_tokens",
    "output_tokens": "output_tokens",
    "cached_input_share": "cached_share",
    "context": "output_tokens",
}
"""Where a field of the scenario that compare builds comes from: compare's own parameter (the CLI
shows it as its option, ``--gpu-offer``), so an error names what the user typed."""


def _eur_to(currency: str) -> float:
    if currency == DEFAULT_CURRENCY:
        return 1.0
    rate = catalog_rate(DEFAULT_CURRENCY, currency, PRICE_DATE)
    if rate is None:
        known = sorted(
            {DEFAULT_CURRENCY}
            | {e.quote for e in entries("fx") if e.base == DEFAULT_CURRENCY}
            | {e.base for e in entries("fx") if e.quote == DEFAULT_CURRENCY}
        )
        allowed = f"one of {', '.join(known)} (currencies with a rate in the fx catalog)"
        raise InputError("currency", currency, allowed)
    return rate.rate


def median_rent_offer(gpu_id: str, currency: str) -> str:
    """The hourly rent offer for a GPU whose price per GPU-hour (midpoint, in ``currency``) is the median."""
    gpu = catalog.gpu(gpu_id).id
    priced = []
    for o in entries("gpu-rent"):
        if catalog.gpu(o.gpu).id != gpu or o.unit == "month":
            continue
        price = rent_per_gpu_hour(o, currency, PRICE_DATE)
        if price is not None:
            priced.append((price, o.id))
    if not priced:
        raise InputError("gpu", gpu_id, "a GPU with hourly rent offers in the catalog, or pass a gpu_offer")
    priced.sort()
    return priced[(len(priced) - 1) // 2][1] if len(priced) % 2 else priced[len(priced) // 2 - 1][1]


def _workload(amount: float, kind: str, input_share: float, cached_share: float) -> dict:
    if kind == "requests":
        return {"traffic": {"requests_per_month": amount}}
    return {
        "tokens_per_month": {
            "input": amount * input_share,
            "output": amount * (1 - input_share),
            "cached_input": amount * input_share * cached_share,
        }
    }


def _selfhost(name: str, model: str, gpu: str, gpus: int, precision: str | None, rent: str, factor: float) -> dict:
    d = {key: default.in_currency(factor) for key, default in DEFAULTS.items()}
    return {
        "name": name,
        "kind": "selfhost",
        "model": model,
        "gpu": gpu,
        "gpus_per_replica": gpus,
        "precision": precision,
        "pricing": {"kind": "rent", "offer": rent},
        "staff": {"hours_per_month": d["staff_hours"], "rate_per_hour": d["staff_rate"]},
        "production_layer": {"one_off": d["production_one_off"], "amortize_months": d["production_months"]},
        "storage_network_per_month": d["storage"],
    }


def _defaults_used(host: int, currency: str, factor: float, input_tokens: int, kind: str) -> Sources:
    """{scenario field path: (source, confidence)} for every default compare fills in."""

    def source(key: str) -> tuple[str, str]:
        default = DEFAULTS[key]
        if default.is_money and currency != DEFAULT_CURRENCY:
            return f"{default.source} (EUR, converted at {factor:.4g} {currency}/EUR)", "est"
        return default.source, "est"

    at, compare_default = f"candidates[{host}]", ("breakeven default for compare", "est")
    profile = "workload.traffic" if kind == "requests" else "workload.tokens_per_month"
    return {
        f"{at}.staff.hours_per_month": source("staff_hours"),
        f"{at}.staff.rate_per_hour": source("staff_rate"),
        f"{at}.production_layer.one_off": source("production_one_off"),
        f"{at}.production_layer.amortize_months": source("production_months"),
        f"{at}.storage_network_per_month": source("storage"),
        "workload.service_level.min_tokens_per_s_per_stream": compare_default,
        "workload.service_level.max_ttft_s": compare_default,
        "workload.request.output_tokens": ("breakeven default for compare (--output-tokens)", "est"),
        "workload.request.input_tokens": (
            f"output tokens x input share / (1 - input share) = {input_tokens}",
            "est",
        ),
        "workload.request.cached_input_share": ("--cached-share (default 0)", "est"),
        f"{profile}.hourly_profile": ("breakeven default: flat", "est"),
    }


def compare_scenario(
    model: str,
    volume: str,
    input_share: float = 0.75,
    output_tokens: int = 500,
    cached_share: float = 0.0,
    gpu: str = "h100-sxm",
    gpus: int | None = None,
    precision: str | None = None,
    gpu_offer: str | None = None,
    api_offers: list[str] | None = None,
    currency: str = "USD",
) -> tuple[Scenario, dict]:
    """A scenario for the quick comparison, and the defaults it used: {assumption name: (source, confidence)}."""
    if not 0 < input_share < 1:
        raise InputError("input_share", input_share, "a share between 0 and 1 (exclusive)")
    if not 0 <= cached_share < 1:
        raise InputError("cached_share", cached_share, "a share of at least 0 and below 1")
    factor = _eur_to(currency)
    amount, kind = parse_volume(volume)
    m = catalog.model(model)
    offers = api_offers or [o.id for o in entries("api-offers") if o.model == m.id]
    if not offers:
        known = sorted({o.model for o in entries("api-offers") if o.model})
        raise InputError(
            "model", model, f"a model with an API offer in the catalog ({', '.join(known)}), or name api_offers"
        )
    input_tokens = round(output_tokens * input_share / (1 - input_share))
    context = min(input_tokens + output_tokens, m.max_context_tokens)
    fewest = gpus or min_gpus(deployment(m, gpu, 1, precision), context)
    if fewest is None:
        raise InputError("model", model, f"a model that fits on at most 64 x {gpu}")
    rent = gpu_offer or median_rent_offer(gpu, currency)
    host = f"self-hosted {fewest}x {catalog.gpu(gpu).id}"
    data = {
        "name": f"compare {m.id}",
        "currency": currency,
        "price_date": PRICE_DATE,
        "workload": {
            **_workload(amount, kind, input_share, cached_share),
            "request": {
                "input_tokens": input_tokens,
                "output_tokens": output_tokens,
                "cached_input_share": cached_share,
            },
            "service_level": SERVICE_LEVEL,
        },
        "candidates": [{"name": oid, "kind": "api", "offer": oid} for oid in offers]
        + [_selfhost(host, m.id, gpu, fewest, precision, rent, factor)],
    }
    return parse(data, "compare"), _defaults_used(len(offers), currency, factor, input_tokens, kind)


def _in_options(given: dict, fn, *args, **kwargs):
    """Call ``fn``; an error about a field of the scenario compare built names the compare parameter
    it came from (and the value given for it) instead."""
    try:
        return fn(*args, **kwargs)
    except ScenarioError as exc:
        path, message = exc.problems[0]
        option = _option_for(path)
        raise InputError(option, given.get(option), message) from None
    except InputError as exc:
        raise exc.about(_option_for(exc.field)) from None


def _option_for(path: str) -> str:
    """The compare parameter behind a scenario field path (``candidates[2].pricing.offer`` -> gpu_offer)."""
    field = path.split("].", 1)[-1] if "]." in path else path
    for block in ("workload.", "request.", "tokens_per_month.", "traffic."):
        field = field.removeprefix(block)
    return SCENARIO_FIELDS_TO_OPTIONS.get(field, field)


def compare(**kwargs) -> Evaluation:
    """Evaluate the quick comparison; defaults are marked with their sources in the assumptions."""
    scenario, defaults = _in_options(kwargs, compare_scenario, **kwargs)
    return _in_options(kwargs, evaluate, scenario, curve_points=0, sources=defaults)
