"""API prices: the genai-prices library (its offline snapshot, looked up at an explicit date, never
auto-updated) and the project's own api-offers catalog for what the library lacks.

Tiered prices are resolved at the request's own size: the per-million figures returned are what one
request of that shape pays, divided by its tokens.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from importlib.metadata import version

from breakeven.amounts import point
from breakeven.catalog.offers import ApiOffer
from breakeven.catalog.store import entries
from breakeven.errors import InputError

LIBRARY = f"genai-prices {version('genai-prices')}"


@dataclass(frozen=True)
class OfferPrices:
    """Per-million-token prices (from the price library, or a catalog offer at its point) in ``currency``,
    with where they came from."""

    input_per_m: float
    output_per_m: float
    cached_input_per_m: float | None
    cache_write_per_m: float | None
    currency: str
    source: str
    confidence: str
    checked: dt.date


def _catalog_match(provider: str | None, model: str | None) -> ApiOffer | None:
    if not (provider and model):
        return None
    for offer in entries("api-offers"):
        if offer.provider.lower() == provider.lower() and (offer.model or "").lower() == model.lower():
            return offer  # type: ignore[return-value]
    return None


def catalog_prices(provider: str, model: str) -> OfferPrices | None:
    """The api-offers catalog's prices for (provider, model), if it has them (a published range at its
    midpoint)."""
    match = _catalog_match(provider, model)
    if match is None:
        return None

    def at_point(value):
        return None if value is None else point(value)

    prov = match.provenance
    return OfferPrices(
        point(match.input_per_m),
        point(match.output_per_m),
        at_point(match.cached_input_per_m),
        at_point(match.cache_write_per_m),
        match.currency,
        prov.source,
        prov.confidence,
        prov.checked,
    )


def _per_m(calc, usage_kwargs: dict, tokens: float, part: str) -> float:
    from genai_prices import Usage

    result = calc(Usage(**usage_kwargs))
    return float(getattr(result, part)) / tokens * 1e6


@functools.lru_cache(maxsize=256)
def from_library(provider: str, model: str, at: dt.date, input_tokens: int, output_tokens: int) -> OfferPrices:
    """Prices from genai-prices for (provider, model) as of ``at``, resolved at the request's size."""
    from genai_prices import calc_price

    when = dt.datetime.combine(at, dt.time(12), tzinfo=dt.UTC)

    def calc(usage):
        return calc_price(usage, model, provider_id=provider, genai_request_timestamp=when)

    i, o = max(int(input_tokens), 1), max(int(output_tokens), 1)
    try:
        inp = _per_m(calc, dict(input_tokens=i), i, "input_price")
        cached = _per_m(calc, dict(input_tokens=i, cache_read_tokens=i), i, "input_price")
        write = _per_m(calc, dict(input_tokens=i, cache_write_tokens=i), i, "input_price")
        out = _per_m(calc, dict(input_tokens=i, output_tokens=o), o, "output_price")
    except LookupError as exc:
        raise InputError(
            "candidate", f"{provider}/{model}", f"a provider and model the price library knows ({exc})"
        ) from None
    return OfferPrices(inp, out, cached, write, "USD", f"{LIBRARY}, {provider}/{model} as of {at}", "firm", at)


def library_match(provider: str | None, model: str, at: dt.date) -> tuple[str, str]:
    """(provider id, model id) as the price library knows them; without a provider, the library
    finds it from the model name. LookupError where it knows neither."""
    from genai_prices import Usage, calc_price

    when = dt.datetime.combine(at, dt.time(12), tzinfo=dt.UTC)
    found = calc_price(Usage(input_tokens=1), model, provider_id=provider, genai_request_timestamp=when)
    return found.provider.id, found.model.id


def catalog_entry(provider: str | None, model: str | None, offer: str | None) -> ApiOffer | None:
    """The api-offers catalog entry a candidate names: its offer id, else its (provider, model) if the
    catalog has it; None where the price library is to be asked."""
    if offer:
        from breakeven.catalog.store import lookup

        return lookup("api-offers", offer)  # type: ignore[return-value]
    return _catalog_match(provider, model)


MIN_TREND_DAYS = 180
"""Shortest price history a yearly trend is estimated from: a few weeks of list-price moves say
nothing about a year."""


def _blended(prices, input_share: float) -> float | None:
    """A per-million price blended over a request's tokens (tiered prices at their base tier)."""

    def value(p):
        return None if p is None else float(getattr(p, "base", p))

    inp, out = value(prices.input_mtok), value(prices.output_mtok)
    if inp is None or out is None:
        return None
    return input_share * inp + (1 - input_share) * out


def _yearly_changes(family: str, at: dt.date, input_share: float, min_days: int) -> list[tuple[str, float]]:
    """(provider/model, yearly change) for every model of the family with at least ``min_days`` of
    dated prices before ``at``: from the first dated price to the price in effect at ``at``."""
    from genai_prices.data_snapshot import get_snapshot
    from genai_prices.types import StartDateConstraint

    when = dt.datetime.combine(at, dt.time(12), tzinfo=dt.UTC)
    out = []
    for provider in get_snapshot().providers:
        for model in provider.models:
            if family not in model.id.lower() or not isinstance(model.prices, list):
                continue
            dated = [
                c
                for c in model.prices
                if isinstance(c.constraint, StartDateConstraint) and c.constraint.start_date <= at
            ]
            if not dated or (at - dated[0].constraint.start_date).days < min_days:
                continue
            first, now = _blended(dated[0].prices, input_share), _blended(model.get_prices(when), input_share)
            if first and now:
                years = (at - dated[0].constraint.start_date).days / 365.25
                out.append((f"{provider.id}/{model.id}", (now / first) ** (1 / years) - 1))
    return out


@functools.lru_cache(maxsize=64)
def price_trend(
    family: str, at: dt.date, input_share: float, min_days: int = MIN_TREND_DAYS
) -> tuple[float, str] | None:
    """The median yearly change of the family's list prices in the price library's history (blended at
    ``input_share`` of tokens as input), with its source; None where no model of the family has
    ``min_days`` of dated prices before ``at``."""
    changes = _yearly_changes(family.lower(), at, input_share, min_days)
    if not changes:
        return None
    values = sorted(v for _, v in changes)
    middle = len(values) // 2
    median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
    source = (
        f"{LIBRARY}: median yearly change of {len(values)} '{family}' models' list prices with at least "
        f"{min_days} days of dated history before {at} ({', '.join(n for n, _ in changes[:5])}"
        f"{', ...' if len(changes) > 5 else ''})"
    )
    return median, source


MULTI_WORD_FAMILIES = ("gpt-oss",)
"""Families whose name is more than the id's first word (gpt-oss is not OpenAI's gpt-5 line)."""


def model_family(model: str) -> str:
    """The family a model id belongs to: the letters its name starts with (``glm-5.2`` -> ``glm``,
    ``deepseek-v4-pro`` -> ``deepseek``, ``qwen3-30b-a3b`` -> ``qwen``), or a MULTI_WORD_FAMILIES name."""
    name = model.lower().split("/")[-1]
    for family in MULTI_WORD_FAMILIES:
        if name.startswith(family):
            return family
    letters = name.split("-")[0].rstrip("0123456789.")
    return letters or name
