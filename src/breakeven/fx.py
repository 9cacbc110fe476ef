"""Currency conversion at dated rates: the scenario's own rates first, then the fx catalog."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from breakeven.catalog.store import entries
from breakeven.errors import InputError


@dataclass(frozen=True)
class Rate:
    """``rate`` report-currency units per one unit of ``currency`` on ``date``."""

    currency: str
    rate: float
    date: dt.date
    source: str
    confidence: str


def catalog_rate(currency: str, report: str, on: dt.date) -> Rate | None:
    """The catalog rate for currency -> report closest to ``on`` (direct, or the inverse of the reverse)."""
    best: tuple[int, Rate] | None = None
    for e in entries("fx"):
        if (e.base, e.quote) == (currency, report):
            r = Rate(currency, e.rate, e.date, e.provenance.source, e.provenance.confidence)
        elif (e.base, e.quote) == (report, currency):
            r = Rate(currency, 1 / e.rate, e.date, e.provenance.source + " (inverted)", e.provenance.confidence)
        else:
            continue
        gap = abs((e.date - on).days)
        if best is None or gap < best[0]:
            best = (gap, r)
    return best[1] if best else None


def rate_for(currency: str, report: str, given: dict[str, Rate], on: dt.date) -> Rate:
    """Report-currency units per unit of ``currency``: 1 for the report currency itself."""
    if currency == report:
        return Rate(currency, 1.0, on, "same currency", "firm")
    if currency in given:
        return given[currency]
    found = catalog_rate(currency, report, on)
    if found is None:
        raise InputError(
            "fx", currency, f"a rate for {currency} in the scenario's fx (units of {report} per {currency})"
        )
    return found


def convert(amount: float, rate: Rate) -> float:
    """``amount`` in the rate's currency, in the report currency."""
    return amount * rate.rate
