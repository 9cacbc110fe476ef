"""Redundancy priced: for a self-host candidate at its serving replicas, no redundancy, a standby
replica and failover to an API side by side, each with what it adds to the monthly cost and the
downtime it leaves in expectation (hours, and money at the scenario's cost of an hour down); for an
API, the downtime its SLA allows."""

from __future__ import annotations

from breakeven.amounts import count
from breakeven.core.availability import lost_share, lost_share_with_failover
from breakeven.core.demand import HOURS_PER_MONTH
from breakeven.outputs.format import percent
from breakeven.results import RedundancyOption
from breakeven.scenario.resolved import AvailabilityInputs, SelfHostInputs


def _option(kind: str, detail: str, added: float, lost: float, hours: float, a: AvailabilityInputs, declared: bool):
    down = lost * hours
    cost = None if a.downtime_cost_per_hour is None else down * float(a.downtime_cost_per_hour)
    return RedundancyOption(
        option=kind,
        detail=detail,
        added_per_month=added,
        availability=1 - lost,
        downtime_hours_per_month=down,
        downtime_cost_per_month=cost,
        expected_total_per_month=None if cost is None else added + cost,
        declared=declared,
    )


def selfhost_options(
    host: SelfHostInputs,
    serving: int,
    per_replica: float,
    a: AvailabilityInputs,
    failover_api: tuple[str, float] | None,
) -> list[RedundancyOption]:
    """No redundancy, ``max(1, declared)`` standby replicas, and failover to ``failover_api`` (name, its
    monthly cost for the whole volume), at ``serving`` replicas of ``per_replica`` a month."""
    q, hours = 1 - float(a.node), float(host.billed_hours)
    declared = "api_failover" if host.failover else "standby" if host.standby_replicas else "none"
    standby = max(1, host.standby_replicas)
    out = [
        _option(
            "none",
            f"{count(serving, 'replica')}, each up {percent(1 - q)}",
            0.0,
            lost_share(serving, q),
            hours,
            a,
            declared == "none",
        ),
        _option(
            "standby",
            f"{count(standby, 'standby replica')}",
            standby * per_replica,
            lost_share(serving, q, standby),
            hours,
            a,
            declared == "standby",
        ),
    ]
    if failover_api is not None:
        name, api_cost = failover_api
        out.append(
            _option(
                "api_failover",
                f"{name} takes a down replica's share (up {percent(float(a.api))})",
                q * api_cost,
                lost_share_with_failover(q, float(a.api)),
                hours,
                a,
                declared == "api_failover",
            )
        )
    return out


def api_option(a: AvailabilityInputs) -> list[RedundancyOption]:
    """An API's own downtime at its SLA (nothing added: it is the provider's redundancy)."""
    return [
        _option(
            "api", f"the provider's SLA: up {percent(float(a.api))}", 0.0, 1 - float(a.api), HOURS_PER_MONTH, a, True
        )
    ]
