"""Plans: every way to serve the workload that the scenario offers, priced and ranked. The scenario's
candidates, and hybrids of every self-host candidate with every API (always on, and in working hours
with the API for the rest) that it does not combine itself; each hybrid's cost curve over the volume
at its best replica count, and where it beats the pure candidates it is made of."""

from __future__ import annotations

import numpy as np

from breakeven.core.demand import HOURS_PER_MONTH, Demand
from breakeven.core.hybrid import HybridLine, crossings_on_grid
from breakeven.outputs.format import money
from breakeven.outputs.format import volume as show_volume
from breakeven.results import CandidateResult, HybridBreakEven, HybridCrossing, HybridCurve
from breakeven.scenario.costing import CostLines
from breakeven.scenario.hybrid_side import hybrid_result
from breakeven.scenario.resolved import HybridInputs, Resolved

MAX_LISTED = 4
"""Crossings a break-even's reason names one by one (the JSON lists them all)."""
RELATIVE_SLACK = 1e-9
"""A hybrid counts as cheaper only by more than this share of the cost (float noise is not a saving)."""


def all_plans(r: Resolved) -> dict[str, HybridInputs]:
    """The scenario's hybrid candidates and the hybrids breakeven adds."""
    return {**r.hybrids, **r.derived}


def plan_lines(r: Resolved, lines: CostLines) -> dict[str, HybridLine]:
    return {name: lines.hybrids.get(name) or lines.hybrid(r, plan) for name, plan in all_plans(r).items()}


def hybrid_results(
    r: Resolved, lines: CostLines, hybrids: dict[str, HybridLine], volume: float, demand: Demand
) -> dict[str, CandidateResult]:
    plans = all_plans(r)
    return {
        name: hybrid_result(r, plans[name], line, lines.capacity[plans[name].selfhost], volume, demand)
        for name, line in hybrids.items()
    }


def ranked(results: list[CandidateResult]) -> list[CandidateResult]:
    """Cheapest first, those that meet the service level before those that do not; at equal cost (to
    float noise) the scenario's own candidates first, in its order."""
    return sorted(results, key=lambda c: (c.service_level_met is False, float(f"{c.monthly_cost:.9g}"), not c.declared))


def hybrid_curves(r: Resolved, lines: CostLines, hybrids: dict[str, HybridLine], grid: np.ndarray) -> list[HybridCurve]:
    per_m = lines.per_million_tokens(grid)
    plans = all_plans(r)
    out = []
    for name, line in hybrids.items():
        best = line.best(grid)
        cost = np.asarray(line.cost(grid, best), dtype=float)
        p = plans[name]
        out.append(
            HybridCurve(
                candidate=name,
                volumes=grid.tolist(),
                monthly_cost=cost.tolist(),
                cost_per_million_tokens=(cost * per_m).tolist(),
                replicas=best.astype(int).tolist(),
                selfhost=p.selfhost,
                api=p.api,
                schedule=p.schedule,
                declared=p.declared,
            )
        )
    return out


def _against_api(plan: HybridInputs, line: HybridLine, volume: float, axis: str, cur: str) -> HybridBreakEven:
    above = line.cheaper_than_api_above
    saving = float(line.api_per_unit) * volume - float(line.best_cost(volume))
    if above is None:
        reason = f"a replica busy in every hour it runs saves less than it costs, so the plan stays {plan.api} alone"
    else:
        now = (
            f"they save {money(saving, cur)}/month at the scenario's volume"
            if saving > 0
            else "at the scenario's volume it is still the API alone"
        )
        reason = (
            f"below {show_volume(above, axis)} the plan is {plan.api} alone; above it replicas of {plan.selfhost} "
            f"carry the base load: {now}"
        )
    return HybridBreakEven(
        hybrid=plan.name,
        against=plan.api,
        crossings=[] if above is None else [HybridCrossing(volume=above, direction="hybrid_cheaper_above")],
        hybrid_cheaper_above=above,
        never_dearer=True,
        saving_at_volume=saving,
        exact=True,
        reason=reason,
    )


def _same_schedule(r: Resolved, plan: HybridInputs) -> bool:
    return plan.schedule == "always" and float(np.ravel(r.hosts[plan.selfhost].billed_hours)[0]) == HOURS_PER_MONTH


def _against_selfhost(
    r: Resolved, lines: CostLines, plan: HybridInputs, line: HybridLine, volume: float, grid: np.ndarray
) -> HybridBreakEven:
    stairs = lines.stairs[plan.selfhost]
    saving = float(stairs.cost(volume)) - float(line.best_cost(volume))
    axis, cur = r.demand.axis, r.currency
    if _same_schedule(r, plan):
        return HybridBreakEven(
            hybrid=plan.name,
            against=plan.selfhost,
            crossings=[],
            hybrid_cheaper_above=None,
            never_dearer=True,
            saving_at_volume=saving,
            exact=True,
            reason=f"full coverage is one of the replica counts tried, so the plan never costs more than "
            f"{plan.selfhost}; at the scenario's volume it saves {money(saving, cur)}/month",
        )

    def cheaper(v):
        pure, mixed = stairs.cost(v), line.best_cost(v)
        return pure - mixed > RELATIVE_SLACK * np.maximum(np.abs(pure), np.abs(mixed))

    found = crossings_on_grid(cheaper, grid)
    top = bool(cheaper(grid[-1:])[0])
    above = (found[-1][0] if found else float(grid[0])) if top else None
    cheaper_now = saving > 0
    span = f"{show_volume(float(grid[0]), axis)} to {show_volume(float(grid[-1]), axis)}"
    if not found:
        where = f"; it is {'cheaper' if top else 'dearer'} at every volume from {span}"
    elif len(found) <= MAX_LISTED:
        where = f"; they cross at {', '.join(show_volume(v, axis) for v, _ in found)}"
    else:
        first, last = show_volume(found[0][0], axis), show_volume(found[-1][0], axis)
        where = f"; they cross {len(found)} times from {first} to {last}"
    return HybridBreakEven(
        hybrid=plan.name,
        against=plan.selfhost,
        crossings=[
            HybridCrossing(volume=v, direction="hybrid_cheaper_above" if after else "hybrid_dearer_above")
            for v, after in found
        ],
        hybrid_cheaper_above=above,
        never_dearer=False,
        saving_at_volume=saving,
        exact=False,
        reason=f"the plan runs its replicas {plan.hours or 'always'} and {plan.selfhost} its own schedule; at the "
        f"scenario's volume the plan {'saves' if cheaper_now else 'costs'} {money(abs(saving), cur)}/month "
        f"{'against' if cheaper_now else 'more than'} it" + where,
    )


def hybrid_break_evens(
    r: Resolved, lines: CostLines, hybrids: dict[str, HybridLine], volume: float, grid: np.ndarray
) -> list[HybridBreakEven]:
    plans = all_plans(r)
    out = []
    for name, line in hybrids.items():
        plan = plans[name]
        out.append(_against_api(plan, line, volume, r.demand.axis, r.currency))
        out.append(_against_selfhost(r, lines, plan, line, volume, grid))
    return out
