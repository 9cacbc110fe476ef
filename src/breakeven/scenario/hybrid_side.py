"""Hybrid plans, computed from resolved inputs: the core's HybridLine of each plan (its self-host
candidate's replicas over the plan's schedule, its API for the overflow), and the plan's result at the
scenario's volume: the best replica count, the overflow, the cost split and the whole cost curve over
replica counts. Works on numbers and on arrays of samples alike (the line)."""

from __future__ import annotations

import dataclasses

import numpy as np

from breakeven.amounts import count
from breakeven.core.capacity import Capacity
from breakeven.core.demand import HOURS_PER_MONTH, Demand
from breakeven.core.hybrid import HybridLine, hour_slots
from breakeven.outputs.format import money, percent
from breakeven.outputs.format import volume as show_volume
from breakeven.results import Alternative, CandidateResult, HybridParts
from breakeven.scenario.resolved import HybridInputs, Num, Resolved, SelfHostInputs
from breakeven.scenario.selfhost_side import fixed_per_month, hardware_per_replica, replica_cost, replicas_per_unit

MAX_ALTERNATIVES = 400
"""Replica counts listed in a plan's alternatives at most: every count from 0 to full coverage when
there are no more, else the first and last counts, those around the optimum and an even spread."""


def scheduled(host: SelfHostInputs, plan: HybridInputs) -> SelfHostInputs:
    """The self-host candidate billed over the plan's hours instead of its own schedule's."""
    return dataclasses.replace(host, billed_hours=plan.billed_hours)


def hybrid_line(
    r: Resolved, plan: HybridInputs, api_per_unit: dict[str, Num], caps: dict[str, Capacity], unit: Demand
) -> HybridLine:
    """The plan's cost as a function of volume and replicas (see core.hybrid)."""
    host = r.hosts[plan.selfhost]
    per_replica = replica_cost(scheduled(host, plan))
    fixed = sum(fixed_per_month(host).values()) + host.standby_replicas * per_replica
    failover = 0.0 if host.failover is None else host.failover.downtime_share * api_per_unit[host.failover.api]
    return HybridLine(
        slots=hour_slots(r.demand.profile, plan.covered),
        fixed=fixed,
        per_replica=per_replica,
        replicas_per_unit=replicas_per_unit(caps[plan.selfhost], unit, HOURS_PER_MONTH),
        api_per_unit=api_per_unit[plan.api],
        failover_per_unit=failover,
    )


def replica_counts(best: int, full: float) -> np.ndarray:
    """The replica counts a plan's alternatives list (see MAX_ALTERNATIVES)."""
    top = int(full) if np.isfinite(full) else 1
    top = max(top, best, 1)
    if top + 1 <= MAX_ALTERNATIVES:
        return np.arange(top + 1)
    spread = np.linspace(0, top, MAX_ALTERNATIVES - 40).round()
    near = np.arange(max(0, best - 10), min(top, best + 10) + 1)
    return np.unique(np.concatenate([[0, 1, top], near, spread])).astype(int)


def _breakdown(r: Resolved, plan: HybridInputs, line: HybridLine, volume: float, n: int) -> dict[str, float]:
    """The plan's monthly cost by part: the replicas' hardware, the fixed costs and redundancy once any
    replica runs, and the API's share."""
    host = r.hosts[plan.selfhost]
    f = float(line.overflow(volume, n))
    out: dict[str, float] = {}
    if n > 0:
        out.update({k: float(v) * n for k, v in hardware_per_replica(scheduled(host, plan)).items()})
        out.update({k: float(v) for k, v in fixed_per_month(host).items()})
        redundancy = host.standby_replicas * float(line.per_replica) + float(line.failover_per_unit) * volume * (1 - f)
        if redundancy:
            out["redundancy"] = redundancy
    out["api_overflow"] = float(line.api_per_unit) * volume * f
    return out


def _notes(plan: HybridInputs, line: HybridLine, volume: float, n: int, full: float, axis: str, cur: str) -> list[str]:
    f = float(line.overflow(volume, n))
    where = "in the peak hours" if plan.schedule == "always" else f"in the peaks and outside {plan.hours}"
    if n == 0:
        return [f"at this volume no replica pays: the plan is {plan.api} alone"]
    notes = [
        f"{count(n, 'replica')} of {plan.selfhost} carry {percent(1 - f)} of the tokens; {plan.api} takes "
        f"{percent(f)} {where}"
    ]
    if np.isfinite(full) and full > n:
        extra = float(line.cost(volume, full) - line.cost(volume, n))
        notes.append(f"full coverage ({int(full):,} replicas) would cost {money(extra, cur)}/month more")
    return notes


def hybrid_result(
    r: Resolved, plan: HybridInputs, line: HybridLine, cap: Capacity, volume: float, demand: Demand
) -> CandidateResult:
    """The plan at the scenario's volume: the best replica count and everything about it."""
    n = int(line.best(volume))
    full = float(line.full_coverage(volume))
    breakdown = _breakdown(r, plan, line, volume, n)
    total = sum(breakdown.values())
    f = float(line.overflow(volume, n))
    counts = replica_counts(n, full)
    costs, overflows = line.cost(volume, counts), line.overflow(volume, counts)
    capacity_tokens = n * float(cap.output_tokens_per_s_per_replica) * plan.billed_hours * 3600
    tokens = demand.tokens
    above = line.cheaper_than_api_above
    return CandidateResult(
        name=plan.name,
        kind="hybrid",
        monthly_cost=total,
        breakdown=breakdown,
        cost_per_million_tokens=total / (tokens / 1e6) if tokens > 0 else None,
        cost_per_million_output_tokens=total / (demand.output_tokens / 1e6) if demand.output_tokens > 0 else None,
        replicas=n + (r.hosts[plan.selfhost].standby_replicas if n else 0),
        utilization=(1 - f) * demand.output_tokens / capacity_tokens if capacity_tokens > 0 else None,
        service_level_met=bool(cap.service_level_met) if n else None,
        notes=_notes(plan, line, volume, n, full, r.demand.axis, r.currency)
        + ([] if above is None else [f"replicas pay above {show_volume(above, r.demand.axis)}"]),
        declared=plan.declared,
        overflow_share=f,
        alternatives=[
            Alternative(replicas=int(c), monthly_cost=float(m), overflow_share=float(o))
            for c, m, o in zip(counts, costs, overflows)
        ],
        hybrid=HybridParts(
            selfhost=plan.selfhost,
            api=plan.api,
            schedule=plan.schedule,
            working_hours=plan.hours,
            billed_hours_per_replica=plan.billed_hours,
            standby_replicas=r.hosts[plan.selfhost].standby_replicas if n else 0,
            full_coverage_replicas=int(full) if np.isfinite(full) else None,
            selfhost_cost=total - breakdown["api_overflow"],
            api_cost=breakdown["api_overflow"],
            cheaper_than_api_above=above,
        ),
    )
