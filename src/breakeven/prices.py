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

from breakeven.catalog.offers import ApiOffer
from breakeven.catalog.store import entries
from breakeven.errors import InputError

LIBRARY = f"genai-prices {version('genai-prices')}"


@dataclass(frozen=True)
class OfferPrices:
    """Per-million-token prices from the price library in ``currency``, with where they came from."""

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


def catalog_entry(provider: str | None, model: str | None, offer: str | None) -> ApiOffer | None:
    """The api-offers catalog entry a candidate names: its offer id, else its (provider, model) if the
    catalog has it; None where the price library is to be asked."""
    if offer:
        from breakeven.catalog.store import lookup

        return lookup("api-offers", offer)  # type: ignore[return-value]
    return _catalog_match(provider, model)
