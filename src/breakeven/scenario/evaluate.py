"""Scenario -> Evaluation: every candidate's monthly cost at the workload's volume, the break-even of
every (API, self-host) pair along the volume axis, the cost curves, a recommendation and the ledger of
every assumption used."""

from __future__ import annotations

import contextlib

import numpy as np

from breakeven.amounts import mid
from breakeven.core.costs import api_cost_per_request, api_monthly
from breakeven.core.crossover import MAX_CROSSINGS, BreakEven, Staircase, break_even
from breakeven.core.demand import HOURS_PER_MONTH, Demand
from breakeven.errors import InputError
from breakeven.fx import Rate
from breakeven.results import BreakEvenResult, CandidateResult, Crossing, Curve, Evaluation
from breakeven.scenario.api_side import ApiPlan, plan_api
from breakeven.scenario.assumptions import SCENARIO, Ledger
from breakeven.scenario.demand import AXES, demand_at, tokens_mode_shape_check, volume_of
from breakeven.scenario.load import ScenarioError
from breakeven.scenario.schema import Scenario
from breakeven.scenario.selfhost_side import SelfHostPlan, plan_selfhost

CURVE_POINTS = 200


def scenario_rates(s: Scenario) -> dict[str, Rate]:
    """The scenario's own FX rates (report-currency units per unit of each currency), dated."""
    rates = {}
    for cur, given in s.fx.items():
        if isinstance(given, float):
            rates[cur] = Rate(cur, given, s.price_date, f"{SCENARIO} (dated {s.price_date})", "firm")
        else:
            rates[cur] = Rate(cur, given.rate, given.date, given.source or SCENARIO, "firm")
    return rates


CANDIDATE_KEYS = {
    "gpus": "gpus_per_replica",
    "gpu-rent": "pricing.offer",
    "gpu-own": "pricing.offer",
    "api-offers": "offer",
    "candidate": "",
}
"""Fields the library's errors name -> the key of the candidate in the scenario file that holds it."""
REQUEST_FIELDS = ("context", "input_tokens", "output_tokens", "cached_input_tokens", "input_tokens + output_tokens")
"""Fields of the request shape: an error about them names the workload's request, not the candidate."""


@contextlib.contextmanager
def candidate_errors(index: int):
    """Errors raised while planning candidate ``index`` become ScenarioErrors at its path in the
    scenario (``candidates[1].gpus_per_replica``), as the user wrote it."""
    try:
        yield
    except ScenarioError:
        raise
    except InputError as exc:
        own = "calibration" if exc.field.endswith(".calibration") else exc.field
        key = CANDIDATE_KEYS.get(exc.field, own)
        text = str(exc)
        message = text.split(": ", 1)[1] if text.startswith(f"{exc.field}: ") else text
        path = "fx" if key == "fx" else f"candidates[{index}]" + (f".{key}" if key else "")
        if exc.field in REQUEST_FIELDS:
            path = f"workload.request (for candidates[{index}])"
        raise ScenarioError("scenario", [(path, message)]) from None


def replicas_per_unit(plan: SelfHostPlan, unit: Demand) -> float:
    """Serving replicas needed per unit of volume: by concurrency (Little's law in rate modes) and,
    in rate modes, by output throughput at the peak; a part-time schedule squeezes the month's
    requests into its hours."""
    cap = plan.capacity
    squeeze = max(1.0, HOURS_PER_MONTH / plan.billed_hours) if unit.peak_requests_per_s is not None else 1.0
    by_concurrency = unit.concurrency(cap.request_duration_s) * squeeze / cap.batch
    if unit.peak_requests_per_s is None:
        return by_concurrency
    by_throughput = unit.peak_requests_per_s * squeeze * unit.shape.output_tokens / cap.output_tokens_per_s
    return max(by_concurrency, by_throughput)


def staircase(plan: SelfHostPlan, unit: Demand, failover_per_unit: float) -> Staircase:
    fixed = sum(plan.fixed.values()) + plan.standby_replicas * plan.replica_cost
    return Staircase(
        fixed=fixed,
        per_replica=plan.replica_cost,
        replicas_per_unit=replicas_per_unit(plan, unit),
        per_unit=failover_per_unit,
    )


def _per_million(cost: float, tokens: float) -> float | None:
    return cost / (tokens / 1e6) if tokens > 0 else None


def _api_result(plan: ApiPlan, demand: Demand) -> CandidateResult:
    parts = api_monthly(demand, plan.prices)
    total = sum(parts.values())
    return CandidateResult(
        name=plan.name,
        kind="api",
        monthly_cost=total,
        breakdown=parts,
        cost_per_million_tokens=_per_million(total, demand.tokens),
        cost_per_million_output_tokens=_per_million(total, demand.output_tokens),
        replicas=None,
        utilization=None,
        service_level_met=None,
        notes=["the API's speed and availability are not modelled"],
    )


def _selfhost_result(plan: SelfHostPlan, stairs: Staircase, volume: float, demand: Demand) -> CandidateResult:
    serving = int(stairs.replicas(volume))
    breakdown = {k: v * serving for k, v in plan.per_replica.items()}
    breakdown.update(plan.fixed)
    redundancy = plan.standby_replicas * plan.replica_cost + stairs.per_unit * volume
    if redundancy:
        breakdown["redundancy"] = redundancy
    total = sum(breakdown.values())
    cap = plan.capacity
    capacity_tokens = serving * cap.output_tokens_per_s * plan.billed_hours * 3600
    return CandidateResult(
        name=plan.name,
        kind="selfhost",
        monthly_cost=total,
        breakdown=breakdown,
        cost_per_million_tokens=_per_million(total, demand.tokens),
        cost_per_million_output_tokens=_per_million(total, demand.output_tokens),
        replicas=serving + plan.standby_replicas,
        utilization=demand.output_tokens / capacity_tokens,
        service_level_met=cap.service_level_met,
        capacity={
            "concurrency_per_replica": cap.batch,
            "output_tokens_per_s_per_replica": cap.output_tokens_per_s,
            "tokens_per_s_per_stream": cap.per_stream_tokens_per_s,
            "ttft_s": cap.ttft_s,
            "request_duration_s": cap.request_duration_s,
            "max_batch_fits": cap.max_batch_fits,
            "replicas_per_unit_volume": stairs.replicas_per_unit,
        },
        notes=list(plan.notes),
    )


def _grid(volume: float, marks: list[float], points: int) -> np.ndarray:
    anchors = [v for v in [volume, *marks] if v > 0] or [1.0]
    lo, hi = min(anchors) / 10, max(anchors) * 10
    return np.unique(np.concatenate([np.geomspace(lo, hi, points), [v for v in [volume, *marks] if v > 0]]))


def _defined(values: np.ndarray) -> list[float | None]:
    """Floats, with None where a value is undefined (cost per million tokens at zero tokens)."""
    return [float(v) if np.isfinite(v) else None for v in values]


def _curves(grid: np.ndarray, unit: Demand, apis: dict[str, ApiPlan], stairs: dict[str, Staircase]) -> list[Curve]:
    tokens = grid * unit.tokens
    per_m = np.where(tokens > 0, 1e6 / np.maximum(tokens, 1e-300), np.nan)
    out = []
    for name, plan in apis.items():
        cost = grid * unit.requests_per_month * api_cost_per_request(unit, plan.prices)
        out.append(
            Curve(
                candidate=name,
                volumes=grid.tolist(),
                monthly_cost=cost.tolist(),
                cost_per_million_tokens=_defined(cost * per_m),
            )
        )
    for name, st in stairs.items():
        cost = st.cost(grid)
        out.append(
            Curve(
                candidate=name,
                volumes=grid.tolist(),
                monthly_cost=cost.tolist(),
                cost_per_million_tokens=_defined(cost * per_m),
                replicas=st.replicas(grid).astype(int).tolist(),
            )
        )
    return out


def evaluate(s: Scenario, curve_points: int = CURVE_POINTS, calibrations: dict | None = None) -> Evaluation:
    """Evaluate a validated scenario. ``calibrations`` maps self-host candidate names to the
    calibration files they name, loaded by the caller (scenario.load.load_calibrations)."""
    calibrations = calibrations or {}
    ledger = Ledger()
    w = s.workload
    axis, volume = AXES[w.mode], volume_of(w)
    demand = demand_at(w, volume, ledger)
    unit = demand_at(w, 1.0)
    fx = scenario_rates(s)
    apis, hosts = {}, {}
    for i, c in enumerate(s.candidates):
        with candidate_errors(i):
            if c.kind == "api":
                apis[c.name] = plan_api(c, s, demand.shape, fx, ledger)
            else:
                hosts[c.name] = (c, plan_selfhost(c, s, demand.shape, fx, ledger, calibrations.get(c.name)))
    stairs = {}
    for name, (c, plan) in hosts.items():
        per_unit = 0.0
        if c.redundancy.kind == "api_failover":
            share = mid(c.redundancy.downtime_share)
            ledger.field(
                f"{name}: downtime share served by {c.redundancy.api}", c.redundancy, "downtime_share", "share"
            )
            per_unit = share * unit.requests_per_month * api_cost_per_request(unit, apis[c.redundancy.api].prices)
        stairs[name] = staircase(plan, unit, per_unit)
        overload = _overload(w, plan, stairs[name], unit, s.candidates.index(c))
        if overload and c.capacity.concurrency_per_replica is None:
            raise ScenarioError("scenario", overload)
        if overload:  # the user's concurrency override asks more of the replica than the model gives
            cap = plan.capacity
            plan.notes.append(
                f"the concurrency override ({cap.batch:,.4g} requests per replica) asks more than the performance "
                f"model says the replica delivers: at {cap.batch:,.4g} requests at once it makes "
                f"{cap.output_tokens_per_s:,.4g} output tokens/s, so each request spends {cap.request_duration_s:,.3g} "
                "s in it (Little's law) and the month's requests need more GPU time than it has: a utilization "
                "above 100% is this conflict, not a capacity"
            )
    results = [
        (
            _api_result(apis[c.name], demand)
            if c.kind == "api"
            else _selfhost_result(hosts[c.name][1], stairs[c.name], volume, demand)
        )
        for c in s.candidates
    ]
    pairs = [_pair(a, h, axis, unit, apis, stairs, s.currency) for a in apis for h in hosts]
    marks = [p.selfhost_cheaper_above for p in pairs if p.selfhost_cheaper_above]
    curves = _curves(_grid(volume, marks, curve_points), unit, apis, stairs) if curve_points else []
    recommendation, reasons = recommend(results, pairs, s.currency, axis, volume)
    reasons += tokens_mode_shape_check(w)
    return Evaluation(
        name=s.name,
        currency=s.currency,
        axis=axis,
        volume=volume,
        demand={
            "requests_per_month": demand.requests_per_month,
            "input_tokens": demand.input_tokens,
            "cached_input_tokens": demand.requests_per_month * demand.shape.cached_input_tokens,
            "output_tokens": demand.output_tokens,
            "peak_concurrency": demand.concurrency(_typical_duration(hosts)),
        },
        candidates=results,
        break_even=pairs,
        recommendation=recommendation,
        reasons=reasons,
        assumptions=ledger.items(),
        curves=curves,
    )


def _overload(w, plan: SelfHostPlan, stairs: Staircase, unit: Demand, index: int) -> list[tuple[str, str]]:
    """Users mode sizes replicas by the requests in flight at the peak (users online x duty cycle); if the
    month's requests need more GPU time than those replicas have, the GPUs would be over 100% utilized:
    the inputs contradict each other. The problems that say which (none if they agree): an error where
    the model sized the replica; a note where the user's concurrency override did (it is the user's
    figure, and the utilization above 100% shows the conflict)."""
    if w.users is None:
        return []
    cap = plan.capacity
    capacity_tokens = stairs.replicas_per_unit * cap.output_tokens_per_s * plan.billed_hours * 3600
    busy = unit.output_tokens / capacity_tokens if capacity_tokens > 0 else 0.0
    if busy <= 1 + 1e-9:
        return []
    u = w.users
    field = "requests_per_user" if u.requests_per_user is not None else "requests_per_user_per_day"
    in_flight = unit.requests_per_month * cap.request_duration_s / (HOURS_PER_MONTH * 3600)
    return [
        (
            f"workload.users.{field}",
            f"{unit.requests_per_month:,.4g} requests per user a month of {cap.request_duration_s:,.3g} s each "
            f"keep {in_flight:.3g} requests per user in flight on average, more than the "
            f"{unit.peak_concurrency:.3g} at the peak (share online x duty cycle): {plan.name}'s GPUs would be "
            f"{busy:,.0%} utilized, which is impossible. Lower the requests per user, or raise the duty cycle "
            "or the share of users online at the peak",
        ),
        (
            f"candidates[{index}]",
            f"one replica runs {cap.batch:,.4g} requests at once at {cap.output_tokens_per_s:,.4g} output "
            f"tokens/s, so each request spends {cap.request_duration_s:,.3g} s in it (Little's law); a faster "
            "replica (capacity overrides, more GPUs) also resolves it",
        ),
    ]


def _typical_duration(hosts) -> float:
    durations = [plan.capacity.request_duration_s for _, plan in hosts.values()]
    return min(durations) if durations else 0.0


def _pair(api_name: str, host: str, axis: str, unit: Demand, apis, stairs, currency: str) -> BreakEvenResult:
    per_unit = unit.requests_per_month * api_cost_per_request(unit, apis[api_name].prices)
    be = break_even(per_unit, stairs[host])
    return BreakEvenResult(
        api=api_name,
        selfhost=host,
        axis=axis,
        crossings=[Crossing(volume=c.volume, direction=c.direction) for c in be.crossings],
        selfhost_cheaper_above=be.selfhost_cheaper_above,
        reason=break_even_reason(be, per_unit, stairs[host], currency, axis),
    )


UNIT_SCALE = {
    "tokens_per_month": (1e6, "million tokens"),
    "requests_per_month": (1e3, "thousand requests"),
    "monthly_active_users": (1.0, "monthly active user"),
}
"""How a cost per unit of volume is shown: per million tokens, per thousand requests, per user."""


def per_unit_money(x: float, currency: str, axis: str) -> str:
    """A cost per unit of volume in money and the user's unit: 'USD 0.37 per million tokens'."""
    scale, unit = UNIT_SCALE[axis]
    return f"{format_money(x * scale, currency)} per {unit}"


def break_even_reason(be: BreakEven, api_per_unit: float, stairs: Staircase, currency: str, axis: str) -> str:
    """The break-even's verdict in a sentence, in money and the volume's own units."""
    replica = format_money(stairs.per_replica, currency)
    by_replicas = stairs.per_replica * stairs.replicas_per_unit
    if be.verdict == "api_cheaper_per_unit":
        return (
            f"the API costs {per_unit_money(api_per_unit, currency, axis)}, no more than self-hosting's "
            f"volume-proportional costs ({per_unit_money(stairs.per_unit, currency, axis)})"
        )
    if be.verdict == "replicas_cost_more":
        serves = human_volume(1 / stairs.replicas_per_unit, axis)
        return (
            f"each replica costs {replica}/month and serves {serves}, "
            f"{per_unit_money(by_replicas, currency, axis)}: at least the API's "
            f"{per_unit_money(api_per_unit - stairs.per_unit, currency, axis)}, so self-hosting never catches up"
        )
    if be.verdict == "lines_touch":
        return "the two lines only touch; self-hosting is never strictly cheaper"
    if be.verdict == "one_replica":
        return "one replica carries any volume"
    above = human_volume(be.selfhost_cheaper_above, axis)
    return (
        f"above {above} the API costs {per_unit_money(api_per_unit - stairs.per_unit, currency, axis)}, "
        f"more than the {per_unit_money(by_replicas, currency, axis)} that replicas add"
        + (
            ""
            if be.listed_all
            else f" (the staircase crosses the API line on up to {be.steps:,} replica steps; "
            f"the crossings on the first and last {MAX_CROSSINGS // 2} are listed)"
        )
    )


def format_money(x: float | None, currency: str) -> str:
    """EUR 1,234 / EUR 12.34 / -: money shown to sensible figures, with its currency."""
    if x is None:
        return "-"
    return f"{currency} {x:,.0f}" if abs(x) >= 100 else f"{currency} {x:,.2f}"


def human_volume(v: float, axis: str) -> str:
    """2.1B tokens/month, 2,298 monthly active users."""
    unit = {
        "monthly_active_users": "monthly active users",
        "requests_per_month": "requests/month",
        "tokens_per_month": "tokens/month",
    }[axis]
    for suffix, size in (("T", 1e12), ("B", 1e9), ("M", 1e6)):
        if abs(v) >= size:
            return f"{v / size:.3g}{suffix} {unit}"
    return f"{v:,.0f} {unit}"


def recommend(
    results: list[CandidateResult], pairs: list[BreakEvenResult], currency: str, axis: str, volume: float
) -> tuple[str, list[str]]:
    """The cheapest candidate that meets the service level, and why."""
    eligible = [r for r in results if r.service_level_met is not False] or results
    ranked = sorted(eligible, key=lambda r: r.monthly_cost)
    best = ranked[0]
    reasons = [f"at {human_volume(volume, axis)}, {best.name} costs {format_money(best.monthly_cost, currency)}/month"]
    if len(ranked) > 1:
        nxt = ranked[1]
        ratio = nxt.monthly_cost / best.monthly_cost if best.monthly_cost > 0 else float("inf")
        reasons.append(
            f"the next cheapest, {nxt.name}, costs {format_money(nxt.monthly_cost, currency)}/month ({ratio:,.1f}x)"
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
        stays = human_volume(p.selfhost_cheaper_above, axis)
        reasons.append(
            f"{p.selfhost} beats {p.api} above {stays}"
            if len(p.crossings) == 1
            else f"{p.selfhost} first beats {p.api} at {human_volume(first, axis)} and stays cheaper above "
            f"{stays} (replica steps cross the API line {len(p.crossings)} times)"
        )
    return best.name, reasons
