"""API prices: the genai-prices library (its offline snapshot, looked up at an explicit date, never
auto-updated) and the project's own api-offers catalog for what the library lacks.

Tiered prices are resolved at the request's own size: the per-million figures returned are what one
request of that shape pays, divided by its tokens.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib.metadata import version

from breakeven.amounts import Amount
from breakeven.catalog.offers import ApiOffer
from breakeven.catalog.store import entries
from breakeven.errors import InputError

LIBRARY = f"genai-prices {version('genai-prices')}"


@dataclass(frozen=True)
class OfferPrices:
    """Per-million-token prices in ``currency``, with where they came from."""

    input_per_m: Amount
    output_per_m: Amount
    cached_input_per_m: Amount | None
    cache_write_per_m: Amount | None
    currency: str
    source: str
    confidence: str
    checked: dt.date


def from_offer(offer: ApiOffer) -> OfferPrices:
    prov = offer.provenance
    return OfferPrices(
        offer.input_per_m,
        offer.output_per_m,
        offer.cached_input_per_m,
        offer.cache_write_per_m,
        offer.currency,
        prov.source,
        prov.confidence,
        prov.checked,
    )


def catalog_offer(offer_id: str) -> OfferPrices:
    """An offer of the api-offers catalog by id."""
    from breakeven.catalog.store import lookup

    return from_offer(lookup("api-offers", offer_id))  # type: ignore[arg-type]


def _catalog_match(provider: str, model: str) -> ApiOffer | None:
    for offer in entries("api-offers"):
        if offer.provider.lower() == provider.lower() and (offer.model or "").lower() == model.lower():
            return offer  # type: ignore[return-value]
    return None


def catalog_prices(provider: str, model: str) -> OfferPrices | None:
    """The api-offers catalog's prices for (provider, model), if it has them."""
    match = _catalog_match(provider, model)
    return None if match is None else from_offer(match)


def _per_m(calc, usage_kwargs: dict, tokens: float, part: str) -> float:
    from genai_prices import Usage

    result = calc(Usage(**usage_kwargs))
    return float(getattr(result, part)) / tokens * 1e6


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


def resolve(
    provider: str | None, model: str | None, offer: str | None, at: dt.date, input_tokens: int, output_tokens: int
) -> OfferPrices:
    """An API candidate's prices: its catalog offer id, else the catalog's (provider, model), else the library."""
    if offer:
        return catalog_offer(offer)
    match = _catalog_match(provider, model)
    if match is not None:
        return from_offer(match)
    return from_library(provider, model, at, input_tokens, output_tokens)
