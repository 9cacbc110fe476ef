"""An API candidate -> per-million prices in the report currency, with their assumptions."""

from __future__ import annotations

from dataclasses import dataclass

from breakeven import prices as price_lib
from breakeven.amounts import mid
from breakeven.core.costs import ApiPrices
from breakeven.core.demand import RequestShape
from breakeven.fx import Rate, convert, rate_for
from breakeven.scenario.assumptions import SCENARIO, Ledger
from breakeven.scenario.schema import ApiCandidate, Scenario


@dataclass(frozen=True)
class ApiPlan:
    name: str
    prices: ApiPrices
    """In the report currency."""


def _offer_prices(c: ApiCandidate, s: Scenario, shape: RequestShape) -> price_lib.OfferPrices:
    if c.prices is not None:
        p = c.prices
        return price_lib.OfferPrices(
            p.input_per_m,
            p.output_per_m,
            p.cached_input_per_m,
            p.cache_write_per_m,
            p.currency or s.currency,
            SCENARIO,
            "firm",
            s.price_date,
        )
    return price_lib.resolve(
        c.provider, c.model, c.offer, s.price_date, int(shape.input_tokens), int(shape.output_tokens)
    )


def plan_api(c: ApiCandidate, s: Scenario, shape: RequestShape, fx: dict[str, Rate], ledger: Ledger) -> ApiPlan:
    """Resolve an API candidate's prices and convert them to the report currency."""
    offer = _offer_prices(c, s, shape)
    rate = rate_for(offer.currency, s.currency, fx, s.price_date)
    if offer.currency != s.currency:
        ledger.add(
            f"FX {offer.currency} -> {s.currency}",
            f"{rate.rate:.6g}",
            f"{s.currency} per {offer.currency}",
            f"{rate.source} ({rate.date})",
            rate.confidence,
        )
    label = f"{c.name}:"
    for part, value in (
        ("input", offer.input_per_m),
        ("cached input", offer.cached_input_per_m),
        ("cache write", offer.cache_write_per_m),
        ("output", offer.output_per_m),
    ):
        if value is not None:
            ledger.add(f"{label} {part} price", value, f"{offer.currency} per M tokens", offer.source, offer.confidence)
    if offer.cached_input_per_m is None:
        ledger.add(
            f"{label} prompt caching", "none: repeated prefixes bill as input", "", offer.source, offer.confidence
        )

    def conv(v):
        return None if v is None else convert(mid(v), rate)

    return ApiPlan(
        c.name,
        ApiPrices(
            input_per_m=conv(offer.input_per_m),
            output_per_m=conv(offer.output_per_m),
            cached_input_per_m=conv(offer.cached_input_per_m),
            cache_write_per_m=conv(offer.cache_write_per_m),
        ),
    )
