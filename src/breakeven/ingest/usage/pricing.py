"""The bill the logs imply at catalog prices: each model's tokens of each month priced at that
month's mid-point (clipped to the period), with the api-offers catalog first and the genai-prices
library otherwise (``breakeven.prices``), per-million prices resolved at the model's mean request
size (so tiered prices are those of its typical request), converted to USD at dated FX rates.

Cost = uncached input x input price + cache reads x cached price (the input price where the offer
has no caching) + cache writes x write price (the input price where it has none) + output x output
price, / 1e6 per million.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from breakeven import prices
from breakeven.amounts import point
from breakeven.core.costs import ApiPrices, api_monthly
from breakeven.core.demand import Demand, RequestShape
from breakeven.errors import InputError
from breakeven.fx import convert, rate_for

CURRENCY = "USD"
"""Recorded costs are USD in every supported source; computed costs are converted to it."""


@dataclass(frozen=True)
class PricedModel:
    provider: str
    """As the price source names it (the candidate's provider in a scenario)."""
    model: str
    cost: float
    """USD over the period."""
    sources: tuple[str, ...]


@dataclass
class Pricing:
    priced: dict[tuple[str, str | None], PricedModel] = field(default_factory=dict)
    """(model, provider as logged) -> what it cost at catalog prices."""
    unpriced: dict[tuple[str, str | None], str] = field(default_factory=dict)
    """(model, provider as logged) -> why it could not be priced."""


def _candidates(model: str, provider: str | None) -> list[tuple[str | None, str]]:
    tries = [(provider, model), (None, model)] if provider else [(None, model)]
    if "/" in model:
        tries.append((None, model.split("/", 1)[1]))
    return list(dict.fromkeys(tries))


def _offer(model: str, provider: str | None, at: dt.date, size: tuple[int, int]) -> tuple[str, prices.OfferPrices]:
    found = prices.catalog_prices(provider, model) if provider else None
    if found is not None:
        return provider, found
    problems = []
    for prov, name in _candidates(model, provider):
        try:
            prov_id, _ = prices.library_match(prov, name, at)
            return prov_id, prices.from_library(prov_id, name, at, *size)
        except (LookupError, InputError) as exc:
            problems.append(str(exc))
    raise LookupError(problems[-1] if problems else "unknown model")


def _usd(amount: float, offer: prices.OfferPrices, at: dt.date) -> float:
    return convert(amount, rate_for(offer.currency, CURRENCY, {}, at))


def cost_of(tokens: dict, offer: prices.OfferPrices) -> float:
    """Cost of token totals at an offer's per-million prices, in the offer's currency: the core's API
    formula (core.costs.api_monthly) on the totals as one request."""
    shape = RequestShape(tokens["input"], tokens["cached_input"], tokens["output"], tokens["cache_write"])
    rates = ApiPrices(
        *(
            None if v is None else float(point(v))
            for v in (offer.input_per_m, offer.output_per_m, offer.cached_input_per_m, offer.cache_write_per_m)
        )
    )
    return sum(api_monthly(Demand(requests_per_month=1.0, shape=shape), rates).values())


def price_date(month: dt.datetime, start: dt.date, end: dt.date) -> dt.date:
    """The 15th of the month, within the period."""
    return min(max(month.date().replace(day=15), start), end)


def price(rows: list[dict], start: dt.date, end: dt.date) -> Pricing:
    """Price every (model, provider)'s monthly token totals (rows of ``aggregate.by_model_month``)."""
    out = Pricing()
    groups: dict[tuple[str, str | None], list[dict]] = {}
    for r in rows:
        if r["model"] and r["requests"]:
            groups.setdefault((r["model"], r["provider"]), []).append(r)
    for key, months in groups.items():
        requests = sum(m["requests"] for m in months)
        size = (
            max(round(sum(m["input"] for m in months) / requests), 1),
            max(round(sum(m["output"] for m in months) / requests), 1),
        )
        total, sources, provider_id = 0.0, [], None
        try:
            for m in months:
                at = price_date(m["month"], start, end)
                provider_id, offer = _offer(key[0], key[1], at, size)
                total += _usd(cost_of(m, offer), offer, at)
                sources.append(offer.source)
        except LookupError as exc:
            out.unpriced[key] = str(exc)
            continue
        out.priced[key] = PricedModel(provider_id, key[0], total, tuple(dict.fromkeys(sources)))
    return out
