"""Resolved demand inputs -> the core's Demand at any volume on the workload's axis (numbers or samples)."""

from __future__ import annotations

from breakeven.core.demand import Demand, rate_demand, users_demand
from breakeven.scenario.resolved import DemandInputs, Num


def demand_at(d: DemandInputs, volume: Num) -> Demand:
    """Demand of the workload's shape at ``volume`` on its axis: users, requests or tokens per month."""
    if d.mode == "users":
        return users_demand(volume, d.requests_per_user, d.peak_online_share, d.duty_cycle, d.shape)
    if d.mode == "traffic":
        return rate_demand(volume, d.profile, d.shape)
    per_request = d.shape.input_tokens + d.shape.output_tokens
    return rate_demand(volume / per_request, d.profile, d.shape)
