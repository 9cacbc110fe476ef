"""A scenario restated in another report currency: every amount that is in the report currency (staff,
production layer, storage and network, prices without a currency of their own, electricity, rack) is
converted at one dated rate, and the scenario's own FX table is re-based, so the same evaluation comes
out in the new currency (the knobs page's currency switch; no money math in the page)."""

from __future__ import annotations

from typing import Any

from breakeven.fx import Rate, catalog_rate, rate_for
from breakeven.scenario.resolve import scenario_rates
from breakeven.scenario.schema import Scenario

IN_REPORT_CURRENCY = {
    "api": {"prices": ("input_per_m", "output_per_m", "cached_input_per_m", "cache_write_per_m")},
    "rent": {"pricing": ("price_per_gpu_hour", "price_per_replica_hour")},
    "own": {"pricing": ("purchase_price_per_gpu",)},
}
"""Money fields in the report currency unless their block names a ``currency`` of its own."""
ALWAYS_REPORT_CURRENCY = {
    "pricing": ("electricity_per_kwh", "rack_per_month"),
    "staff": ("rate_per_hour", "loaded_salary_per_year"),
    "production_layer": ("one_off", "per_month"),
}
"""Money fields always in the report currency (of self-host candidates); also a task's escalation cost,
and the cost of an hour of downtime where ``availability`` names no currency."""


def _times(value: Any, factor: float) -> Any:
    """A figure (number, range or distribution) times ``factor``."""
    if isinstance(value, list):
        return [v * factor for v in value]
    if isinstance(value, dict):
        return {k: v * factor if k in ("low", "high", "mode") and v is not None else v for k, v in value.items()}
    return value * factor


def _scale(block: dict | None, fields: tuple[str, ...], factor: float) -> None:
    for name in fields:
        if block is not None and block.get(name) is not None:
            block[name] = _times(block[name], factor)


def rate_between(s: Scenario, currency: str) -> Rate:
    """Units of ``currency`` per unit of the scenario's currency: the inverse of the scenario's own rate
    for ``currency`` if it has one, else the FX catalog's rate nearest the scenario's price date."""
    if currency == s.currency:
        return Rate(currency, 1.0, s.price_date, "same currency", "firm")
    if currency in s.fx:
        given = scenario_rates(s)[currency]
        return Rate(s.currency, 1 / given.rate, given.date, f"inverse of: {given.source}", given.confidence)
    found = catalog_rate(s.currency, currency, s.price_date)
    if found is None:
        rate_for(currency, s.currency, {}, s.price_date)  # raises the usual error: no rate for it
    return found


def in_currency(s: Scenario, currency: str) -> dict:
    """The scenario as a dict (fields as given) with ``currency`` as its report currency."""
    data = s.model_dump(mode="json", exclude_unset=True)
    if currency == s.currency:
        return data
    rate = rate_between(s, currency)
    factor = rate.rate
    for c in data["candidates"]:
        if c["kind"] == "api":
            _own_currency_or_scale(c.get("prices"), IN_REPORT_CURRENCY["api"]["prices"], factor)
            continue
        if c["kind"] == "hybrid":
            continue  # its money is its two candidates'
        pricing = c["pricing"]
        _own_currency_or_scale(pricing, IN_REPORT_CURRENCY[pricing["kind"]]["pricing"], factor)
        for block, fields in ALWAYS_REPORT_CURRENCY.items():
            _scale(c.get(block), fields, factor)
        if c.get("storage_network_per_month") is not None:
            c["storage_network_per_month"] = _times(c["storage_network_per_month"], factor)
    _scale(data["workload"].get("task"), ("escalation_cost",), factor)
    _own_currency_or_scale(data.get("availability"), ("downtime_cost_per_hour",), factor)
    data["fx"] = _rebased_fx(s, currency, rate)
    data["currency"] = currency
    return data


def _own_currency_or_scale(block: dict | None, fields: tuple[str, ...], factor: float) -> None:
    if block is not None and block.get("currency") is None:
        _scale(block, fields, factor)


def _rebased_fx(s: Scenario, currency: str, rate: Rate) -> dict:
    """The scenario's FX table in units of the new report currency, plus the rate for the old one."""
    out: dict[str, Any] = {}
    for other, given in s.fx.items():
        if other == currency:
            continue
        if isinstance(given, float):
            out[other] = given * rate.rate
        else:
            out[other] = {**given.model_dump(mode="json", exclude_unset=True), "rate": given.rate * rate.rate}
    out[s.currency] = {"rate": rate.rate, "date": rate.date.isoformat(), "source": rate.source}
    return out
