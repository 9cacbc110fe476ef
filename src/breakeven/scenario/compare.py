"""`breakeven compare`: a scenario built from catalog defaults, each default shown as an assumption."""

from __future__ import annotations

import datetime as dt

from breakeven import api, catalog
from breakeven.amounts import mid
from breakeven.catalog.store import entries
from breakeven.errors import InputError
from breakeven.fx import catalog_rate
from breakeven.results import Evaluation
from breakeven.scenario.evaluate import evaluate
from breakeven.scenario.load import parse
from breakeven.scenario.schema import Scenario
from breakeven.scenario.volume import parse_volume

PRICE_DATE = dt.date(2026, 11, 22)
A = "[A] 'GLM-5.2 for a dev team' (2026)"
DEFAULTS_EUR = {
    "staff_hours": ((20, 40), f"{A}: DevOps/MLOps for an 8-GPU node, 20-40 h/month"),
    "staff_rate": ((75, 150), f"{A}: EUR 75-150/h"),
    "production_one_off": ((6000, 24000), f"{A}: production layer, 80-160 h one-off = EUR 6,000-24,000"),
    "production_months": (12, f"{A}: amortized over 12 months"),
    "storage": ((200, 500), f"{A}: storage, network, model upkeep EUR 200-500/month"),
}
SERVICE_LEVEL = {"min_tokens_per_s_per_stream": 20, "max_ttft_s": 10}
"""Default service level (est): 20 tokens/s per stream reads faster than people do; 10 s to first token."""


def _eur_to(currency: str) -> float:
    if currency == "EUR":
        return 1.0
    rate = catalog_rate("EUR", currency, PRICE_DATE)
    if rate is None:
        raise InputError("currency", currency, "a currency with an EUR rate in the fx catalog (EUR or USD)")
    return rate.rate


def _scaled(value, factor: float):
    return tuple(v * factor for v in value) if isinstance(value, tuple) else value * factor


def median_rent_offer(gpu_id: str, currency: str) -> str:
    """The hourly rent offer for a GPU whose price per GPU-hour (midpoint, in ``currency``) is the median."""
    gpu = catalog.gpu(gpu_id).id
    priced = []
    for o in entries("gpu-rent"):
        if catalog.gpu(o.gpu).id != gpu or o.unit == "month":
            continue
        rate = 1.0 if o.currency == currency else (catalog_rate(o.currency, currency, PRICE_DATE) or None)
        factor = rate if isinstance(rate, float) else rate.rate if rate else None
        if factor:
            priced.append((mid(o.price) / o.gpus * factor, o.id))
    if not priced:
        raise InputError("gpu", gpu_id, "a GPU with hourly rent offers in the catalog, or pass --gpu-offer")
    priced.sort()
    return priced[(len(priced) - 1) // 2][1] if len(priced) % 2 else priced[len(priced) // 2 - 1][1]


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
    amount, kind = parse_volume(volume)
    m = catalog.model(model)
    offers = api_offers or [o.id for o in entries("api-offers") if o.model == m.id]
    if not offers:
        known = sorted({o.model for o in entries("api-offers") if o.model})
        raise InputError(
            "model", model, f"a model with an API offer in the catalog ({', '.join(known)}), or pass --api-offer"
        )
    input_tokens = round(output_tokens * input_share / (1 - input_share))
    fewest = (
        gpus
        or api.size(
            m, gpu, precision=precision, context=min(input_tokens + output_tokens, m.max_context_tokens)
        ).min_gpus
    )
    if fewest is None:
        raise InputError("model", model, f"a model that fits on at most 64 x {gpu}")
    rent = gpu_offer or median_rent_offer(gpu, currency)
    eur = _eur_to(currency)
    d = {k: _scaled(v, eur) for k, (v, _) in DEFAULTS_EUR.items() if k != "production_months"}
    workload = (
        {
            "tokens_per_month": {
                "input": amount * input_share,
                "output": amount * (1 - input_share),
                "cached_input": amount * input_share * cached_share,
            }
        }
        if kind == "tokens"
        else {"traffic": {"requests_per_month": amount}}
    )
    data = {
        "name": f"compare {m.id}: {volume}",
        "currency": currency,
        "price_date": PRICE_DATE,
        "workload": {
            **workload,
            "request": {
                "input_tokens": input_tokens,
                "output_tokens": output_tokens,
                "cached_input_share": cached_share,
            },
            "service_level": SERVICE_LEVEL,
        },
        "candidates": [{"name": oid, "kind": "api", "offer": oid} for oid in offers]
        + [
            {
                "name": f"self-hosted {fewest}x {catalog.gpu(gpu).id}",
                "kind": "selfhost",
                "model": m.id,
                "gpu": gpu,
                "gpus_per_replica": fewest,
                "precision": precision,
                "pricing": {"kind": "rent", "offer": rent},
                "staff": {"hours_per_month": d["staff_hours"], "rate_per_hour": d["staff_rate"]},
                "production_layer": {"one_off": d["production_one_off"], "amortize_months": 12},
                "storage_network_per_month": d["storage"],
            }
        ],
    }
    host = data["candidates"][-1]["name"]
    conv = f" (EUR, converted at {eur:.4g} {currency}/EUR)" if currency != "EUR" else ""
    defaults = {
        f"{host}: staff hours": (DEFAULTS_EUR["staff_hours"][1], "est"),
        f"{host}: staff rate": (DEFAULTS_EUR["staff_rate"][1] + conv, "est"),
        f"{host}: production layer one-off": (DEFAULTS_EUR["production_one_off"][1] + conv, "est"),
        f"{host}: production layer amortized over": (DEFAULTS_EUR["production_months"][1], "est"),
        f"{host}: storage and network": (DEFAULTS_EUR["storage"][1] + conv, "est"),
        "service level: min tokens/s per stream": ("breakeven default for compare", "est"),
        "service level: max time to first token": ("breakeven default for compare", "est"),
        "output tokens per request": ("breakeven default for compare (--output-tokens)", "est"),
        "input tokens per request": (f"output tokens x input share / (1 - input share) = {input_tokens}", "est"),
        "repeated-prefix share of input": ("--cached-share (default 0)", "est"),
        "hourly profile": ("breakeven default: flat", "est"),
    }
    return parse(data, "compare"), defaults


def compare(**kwargs) -> Evaluation:
    """Evaluate the quick comparison; defaults are marked with their sources in the assumptions."""
    scenario, defaults = compare_scenario(**kwargs)
    result = evaluate(scenario, curve_points=0)
    patched = [
        a.model_copy(update={"source": defaults[a.name][0], "confidence": defaults[a.name][1]})
        if a.name in defaults
        else a
        for a in result.assumptions
    ]
    return result.model_copy(update={"assumptions": patched})
