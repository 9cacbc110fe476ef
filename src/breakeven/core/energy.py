"""Electricity of owned GPUs: kWh a month = draw (W) x PUE x powered hours / 1000 per replica, and its
emissions at a grid's kg CO2e per kWh (design.md, Money: the same draw and PUE the power cost uses)."""

from __future__ import annotations


def kwh_per_month(power_w_per_replica: float, pue: float, powered_hours: float, replicas: float) -> float:
    return power_w_per_replica / 1000 * pue * powered_hours * replicas


def per_million(amount: float, tokens: float) -> float | None:
    """``amount`` per million tokens (None without tokens)."""
    return amount / (tokens / 1e6) if tokens > 0 else None
