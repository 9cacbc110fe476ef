"""Scenario -> Evaluation at the point estimate: every candidate's monthly cost at the workload's
volume, the break-even of every (API, self-host) pair along the volume axis, the cost curves, a
recommendation and the ledger of every assumption used."""

from __future__ import annotations

import numpy as np

from breakeven import limits
from breakeven.core.costs import api_monthly
from breakeven.core.crossover import MAX_CROSSINGS, BreakEven, Staircase, break_even
from breakeven.core.demand import HOURS_PER_MONTH, Demand
from breakeven.outputs.format import money, per_unit_money
from breakeven.outputs.format import volume as show_volume
from breakeven.results import Assumption, BreakEvenResult, CandidateResult, Curve, Evaluation
from breakeven.scenario.assumptions import Sources
from breakeven.scenario.costing import CostLines, cost_lines
from breakeven.scenario.demand import demand_at
from breakeven.scenario.details import with_details
from breakeven.scenario.draws import PointDraws
from breakeven.scenario.load import ScenarioError
from breakeven.scenario.plans import hybrid_break_evens, hybrid_curves, hybrid_results, plan_lines, ranked
from breakeven.scenario.resolve import resolve
from breakeven.scenario.resolved import Resolved
from breakeven.scenario.schema import Scenario
from breakeven.scenario.selfhost_side import capacity_notes, fixed_per_month, hardware_per_replica

CURVE_POINTS = 200


def _per_million(cost: float, tokens: float) -> float | None:
    return cost / (tokens / 1e6) if tokens > 0 else None


def _api_result(r: Resolved, name: str, demand: Demand) -> CandidateResult:
    parts = api_monthly(demand, r.apis[name].prices)
    total = sum(parts.values())
    return CandidateResult(
        name=name,
        kind="api",
        monthly_cost=total,
        breakdown=parts,
        cost_per_million_tokens=_per_million(total, demand.tokens),
        cost_per_million_output_tokens=_per_million(total, demand.output_tokens),
        replicas=None,
        utilization=None,
        service_level_met=None,
        notes=["the API's speed is not modelled; its availability is its SLA's (redundancy)"],
    )


def _selfhost_result(
    r: Resolved, name: str, lines: CostLines, volume: float, demand: Demand, overload: str | None
) -> CandidateResult:
    host, stairs, cap = r.hosts[name], lines.stairs[name], lines.capacity[name]
    serving = int(stairs.replicas(volume))
    breakdown = {k: v * serving for k, v in hardware_per_replica(host).items()}
    breakdown.update(fixed_per_month(host))
    redundancy = host.standby_replicas * stairs.per_replica + stairs.per_unit * volume
    if redundancy:
        breakdown["redundancy"] = redundancy
    total = sum(breakdown.values())
    capacity_tokens = serving * cap.output_tokens_per_s_per_replica * host.billed_hours * 3600
    capacity = {k: v for k, v in vars(cap).items() if k != "service_level_met"}
    return CandidateResult(
        name=name,
        kind="selfhost",
        monthly_cost=total,
        breakdown=breakdown,
        cost_per_million_tokens=_per_million(total, demand.tokens),
        cost_per_million_output_tokens=_per_million(total, demand.output_tokens),
        replicas=serving + host.standby_replicas,
        utilization=demand.output_tokens / capacity_tokens,
        service_level_met=cap.service_level_met,
        capacity={**capacity, "replicas_per_unit_volume": stairs.replicas_per_unit},
        notes=[*capacity_notes(host, cap, r.demand.shape), *host.notes, *([overload] if overload else [])],
    )


def overload_note(r: Resolved, name: str, lines: CostLines) -> str | None:
    """Users mode sizes replicas by the requests in flight at the peak (users online x duty cycle); if the
    month's requests need more GPU time than those replicas have, the GPUs would be over 100% utilized:
    the inputs contradict each other. Where the model sized the replica that is an error naming the
    fields; where the user's concurrency override did, the override stands (it is the user's figure) and a
    note says what the utilization above 100% means."""
    if r.demand.mode != "users":
        return None
    cap, stairs, unit, host = lines.capacity[name], lines.stairs[name], lines.unit, r.hosts[name]
    capacity_tokens = float(stairs.replicas_per_unit) * float(cap.output_tokens_per_s_per_replica)
    capacity_tokens *= float(host.billed_hours) * 3600
    busy = unit.output_tokens / capacity_tokens if capacity_tokens > 0 else 0.0
    if busy <= 1 + 1e-9:
        return None
    batch, rate, duration = cap.concurrency_per_replica, cap.output_tokens_per_s_per_replica, cap.request_duration_s
    if host.concurrency is not None:
        return (
            f"the concurrency override ({batch:,.4g} requests per replica) asks more than the performance model "
            f"says the replica delivers: at {batch:,.4g} requests at once it makes {rate:,.4g} output tokens/s, so "
            f"each request spends {duration:,.3g} s in it (Little's law) and the month's requests need more GPU "
            "time than it has: a utilization above 100% is this conflict, not a capacity"
        )
    field = r.demand.requests_field
    in_flight = unit.requests_per_month * duration / (HOURS_PER_MONTH * 3600)
    raise ScenarioError(
        "scenario",
        [
            (
                f"workload.users.{field}",
                f"{unit.requests_per_month:,.4g} requests per user a month of {duration:,.3g} s each keep "
                f"{in_flight:.3g} requests per user in flight on average, more than the {unit.peak_concurrency:.3g} "
                f"at the peak (share online x duty cycle): {name}'s GPUs would be {busy:,.0%} utilized, which is "
                "impossible. Lower the requests per user, or raise the duty cycle or the share of users online at "
                "the peak",
            ),
            (
                f"candidates[{r.order.index(name)}]",
                f"one replica runs {batch:,.4g} requests at once at {rate:,.4g} output tokens/s, so each request "
                f"spends {duration:,.3g} s in it (Little's law); a faster replica (capacity overrides, more GPUs) "
                "also resolves it",
            ),
        ],
    )


def replicas_bounded(r: Resolved, lines: CostLines, volume: float) -> None:
    """Refuse a self-host candidate whose replicas at the scenario's volume exceed limits.REPLICAS (a
    capacity override of a millionth of a token a second asks for more replicas than numbers can count)."""
    for name in r.hosts:
        needed = volume * float(lines.stairs[name].replicas_per_unit)
        if needed <= limits.REPLICAS.high:
            continue
        cap = lines.capacity[name]
        raise ScenarioError(
            "scenario",
            [
                (
                    f"candidates[{r.order.index(name)}]",
                    f"needs {needed:,.4g} replicas at {show_volume(volume, r.demand.axis)}: "
                    f"{limits.REPLICAS.allowed()}. One replica runs {cap.concurrency_per_replica:,.4g} requests "
                    f"at once at {float(cap.output_tokens_per_s_per_replica):,.4g} output tokens/s; raise its "
                    "capacity or lower the volume",
                )
            ],
        )


def curve_grid(volume: float, marks: list[float], points: int) -> np.ndarray:
    """Volumes a cost curve is drawn at: log-spaced from a tenth of the smallest of the volume and the
    marks (break-evens) to ten times the largest, with those volumes themselves."""
    anchors = [v for v in [volume, *marks] if v > 0] or [1.0]
    lo, hi = min(anchors) / 10, max(anchors) * 10
    return np.unique(np.concatenate([np.geomspace(lo, hi, points), anchors]))


def _curves(grid: np.ndarray, lines: CostLines, order: tuple[str, ...]) -> list[Curve]:
    per_m = lines.per_million_tokens(grid)
    out = []
    for name in order:
        cost = np.asarray(lines.monthly_cost(name, grid), dtype=float)
        stairs = lines.stairs.get(name)
        out.append(
            Curve(
                candidate=name,
                volumes=grid.tolist(),
                monthly_cost=cost.tolist(),
                cost_per_million_tokens=(cost * per_m).tolist(),
                replicas=None if stairs is None else stairs.replicas(grid).astype(int).tolist(),
            )
        )
    return out


def _pair(api_name: str, host: str, axis: str, lines: CostLines, currency: str) -> BreakEvenResult:
    per_unit, stairs = float(lines.api_per_unit[api_name]), lines.stairs[host]
    be = break_even(per_unit, stairs)
    return BreakEvenResult(
        api=api_name,
        selfhost=host,
        axis=axis,
        crossings=list(be.crossings),
        selfhost_cheaper_above=be.selfhost_cheaper_above,
        reason=break_even_reason(be, per_unit, stairs, currency, axis),
    )


def evaluate(
    s: Scenario,
    curve_points: int = CURVE_POINTS,
    calibrations: dict | None = None,
    sources: Sources | None = None,
    horizon: bool = False,
) -> Evaluation:
    """Evaluate a validated scenario at its point estimate. ``calibrations`` maps self-host candidate
    names to the calibration files they name, loaded by the caller (scenario.load.load_calibrations);
    ``sources`` names where a caller got the fields it filled in (``compare``'s defaults); ``horizon``:
    list the horizon's figures among the assumptions too."""
    resolved, ledger = resolve(s, PointDraws(), calibrations, sources, horizon)
    return evaluation_of(resolved, ledger.items(), curve_points)


def evaluation_of(r: Resolved, assumptions: list[Assumption], curve_points: int = CURVE_POINTS) -> Evaluation:
    """The Evaluation of resolved point inputs."""
    lines = cost_lines(r)
    axis, volume = r.demand.axis, float(r.demand.volume)
    demand = demand_at(r.demand, volume)
    replicas_bounded(r, lines, volume)
    overloaded = {name: overload_note(r, name, lines) for name in r.hosts}
    hybrids = plan_lines(r, lines)
    mixed = hybrid_results(r, lines, hybrids, volume, demand)
    pure = {
        name: _api_result(r, name, demand)
        if name in r.apis
        else _selfhost_result(r, name, lines, volume, demand, overloaded[name])
        for name in (*r.apis, *r.hosts)
    }
    every = with_details(r, lines, [*pure.values(), *mixed.values()], demand)
    by_name = {c.name: c for c in every}
    results = [by_name[name] for name in r.order]
    pairs = [_pair(a, h, axis, lines, r.currency) for a in r.apis for h in r.hosts]
    marks = [p.selfhost_cheaper_above for p in pairs if p.selfhost_cheaper_above]
    order = (*r.apis, *r.hosts)
    grid = curve_grid(volume, marks, curve_points or CURVE_POINTS)
    curves = _curves(grid, lines, order) if curve_points else []
    recommendation, reasons = recommend(results, pairs, r.currency, axis, volume)
    reasons += per_task_reasons(results, recommendation, r.currency)
    plans = ranked(every)
    durations = [float(c.request_duration_s) for c in lines.capacity.values()]
    return Evaluation(
        name=r.name,
        currency=r.currency,
        axis=axis,
        volume=volume,
        demand={
            "requests_per_month": demand.requests_per_month,
            "input_tokens": demand.input_tokens,
            "cached_input_tokens": demand.requests_per_month * demand.shape.cached_input_tokens,
            "output_tokens": demand.output_tokens,
            "peak_concurrency": demand.concurrency(min(durations) if durations else 0.0),
        },
        candidates=results,
        break_even=pairs,
        recommendation=recommendation,
        reasons=reasons + list(r.notes),
        assumptions=assumptions,
        curves=curves,
        plans=plans,
        best_plan=plans[0].name if plans else None,
        hybrid_curves=hybrid_curves(r, lines, hybrids, grid) if curve_points else [],
        hybrid_break_even=hybrid_break_evens(r, lines, hybrids, volume, grid),
    )


def per_task_reasons(results: list[CandidateResult], recommendation: str, currency: str) -> list[str]:
    """Where the cheapest per month is not the cheapest per accepted task (failures cost too), say so."""
    priced = [c for c in results if c.cost_per_task and c.cost_per_task.cost_per_accepted_task is not None]
    if not priced:
        return []
    best = min(priced, key=lambda c: c.cost_per_task.cost_per_accepted_task)
    chosen = next((c for c in priced if c.name == recommendation), None)
    if chosen is None or best.name == chosen.name:
        return []
    task = best.cost_per_task.task
    return [
        f"per accepted {task}, {best.name} costs {money(best.cost_per_task.cost_per_accepted_task, currency)} "
        f"against {chosen.name}'s {money(chosen.cost_per_task.cost_per_accepted_task, currency)}: the cheapest "
        f"per month is not the cheapest per accepted {task}"
    ]


def break_even_reason(be: BreakEven, api_per_unit: float, stairs: Staircase, currency: str, axis: str) -> str:
    """The break-even's verdict in a sentence, in money and the volume's own units."""
    replica = money(stairs.per_replica, currency)
    by_replicas = stairs.per_replica * stairs.replicas_per_unit
    if be.verdict == "api_cheaper_per_unit":
        return (
            f"the API costs {per_unit_money(api_per_unit, currency, axis)}, no more than self-hosting's "
            f"volume-proportional costs ({per_unit_money(stairs.per_unit, currency, axis)})"
        )
    if be.verdict == "replicas_cost_more":
        serves = show_volume(1 / stairs.replicas_per_unit, axis)
        return (
            f"each replica costs {replica}/month and serves {serves}, "
            f"{per_unit_money(by_replicas, currency, axis)}: at least the API's "
            f"{per_unit_money(api_per_unit - stairs.per_unit, currency, axis)}, so self-hosting never catches up"
        )
    if be.verdict == "lines_touch":
        return "the two lines only touch; self-hosting is never strictly cheaper"
    if be.verdict == "one_replica":
        return "one replica carries any volume"
    above = show_volume(be.selfhost_cheaper_above, axis)
    listing = (
        ""
        if be.listed_all
        else f" (the staircase crosses the API line on up to {be.steps:,} replica steps; the crossings on the "
        f"first and last {MAX_CROSSINGS // 2} are listed)"
    )
    return (
        f"above {above} the API costs {per_unit_money(api_per_unit - stairs.per_unit, currency, axis)}, "
        f"more than the {per_unit_money(by_replicas, currency, axis)} that replicas add" + listing
    )


def recommend(
    results: list[CandidateResult], pairs: list[BreakEvenResult], currency: str, axis: str, volume: float
) -> tuple[str, list[str]]:
    """The cheapest candidate that meets the service level, and why."""
    eligible = [r for r in results if r.service_level_met is not False] or results
    ranked = sorted(eligible, key=lambda r: r.monthly_cost)
    best = ranked[0]
    reasons = [f"at {show_volume(volume, axis)}, {best.name} costs {money(best.monthly_cost, currency)}/month"]
    if len(ranked) > 1:
        nxt = ranked[1]
        ratio = nxt.monthly_cost / best.monthly_cost if best.monthly_cost > 0 else float("inf")
        reasons.append(
            f"the next cheapest, {nxt.name}, costs {money(nxt.monthly_cost, currency)}/month ({ratio:,.1f}x)"
        )
    for r in results:
        if r.service_level_met is False:
            reasons.append(f"{r.name} does not meet the service level")
        if r.kind == "selfhost" and r.utilization is not None and r.utilization < 0.5:
            reasons.append(f"{r.name}'s GPUs would be {r.utilization:.0%} utilized: most of what it pays for idles")
    for p in pairs:
        if p.selfhost_cheaper_above is None:
            reasons.append(f"{p.selfhost} never beats {p.api}: {p.reason}")
            continue
        first = p.crossings[0].volume
        stays = show_volume(p.selfhost_cheaper_above, axis)
        reasons.append(
            f"{p.selfhost} beats {p.api} above {stays}"
            if len(p.crossings) == 1
            else f"{p.selfhost} first beats {p.api} at {show_volume(first, axis)} and stays cheaper above "
            f"{stays} (replica steps cross the API line {len(p.crossings)} times)"
        )
    return best.name, reasons
