"""An API candidate -> per-million prices in the report currency (numbers or samples), listed as
assumptions: the scenario's own prices, an api-offers catalog entry, or the price library's."""

from __future__ import annotations

from breakeven import prices as price_lib
from breakeven.core.costs import ApiPrices
from breakeven.core.demand import RequestShape
from breakeven.scenario.resolved import ApiInputs
from breakeven.scenario.resolver import Resolver
from breakeven.scenario.schema import ApiCandidate

PARTS = (
    ("input_per_m", "input"),
    ("cached_input_per_m", "cached input"),
    ("cache_write_per_m", "cache write"),
    ("output_per_m", "output"),
)
"""Price fields of an offer and how the assumptions name them."""


def _stated(r: Resolver, c: ApiCandidate, path: str) -> dict:
    p = c.prices
    unit = f"{p.currency or r.scenario.currency} per M tokens"
    rate = r.rate(p.currency)
    out = {}
    for attr, part in PARTS:
        value = r.given(getattr(p, attr), f"{path}.prices.{attr}", f"{c.name}: {part} price", unit)
        out[attr] = None if value is None else value * rate
    return out


def _catalog(r: Resolver, c: ApiCandidate, entry) -> dict:
    unit = f"{entry.currency} per M tokens"
    rate = r.rate(entry.currency)
    out = {}
    for attr, part in PARTS:
        value = getattr(entry, attr)
        if value is not None:
            value = r.figure(entry, "api-offers", attr, value, f"{c.name}: {part} price", unit) * rate
        out[attr] = value
    return out


def _library(r: Resolver, c: ApiCandidate, shape: RequestShape) -> dict:
    s = r.scenario
    offer = price_lib.from_library(c.provider, c.model, s.price_date, int(shape.input_tokens), int(shape.output_tokens))
    rate = r.rate(offer.currency)
    out = {}
    for attr, part in PARTS:
        value = getattr(offer, attr)
        if value is not None:
            r.ledger.add(
                f"{c.name}: {part} price", value, f"{offer.currency} per M tokens", offer.source, offer.confidence
            )
            value *= rate
        out[attr] = value
    return out


def resolve_api(r: Resolver, c: ApiCandidate, index: int, point_shape: RequestShape) -> ApiInputs:
    """An API candidate's prices in the report currency. Tiered library prices are looked up at the
    point estimate of the request shape."""
    path = f"candidates[{index}]"
    entry = None if c.prices is not None else price_lib.catalog_entry(c.provider, c.model, c.offer)
    if c.prices is not None:
        prices = _stated(r, c, path)
    elif entry is not None:
        prices = _catalog(r, c, entry)
    else:
        prices = _library(r, c, point_shape)
    if prices["cached_input_per_m"] is None:
        source, confidence = (
            (entry.provenance.source, entry.provenance.confidence) if entry else ("scenario file", "firm")
        )
        r.ledger.add(f"{c.name}: prompt caching", "none: repeated prefixes bill as input", "", source, confidence)
    return ApiInputs(c.name, ApiPrices(**prices))
