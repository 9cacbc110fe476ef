"""The figures shown beside each plan's monthly cost, at the point estimate: cost per task and per
accepted task, the people one self-hosted replica serves, redundancy priced from availability figures,
and the energy (and emissions) of owned GPUs."""

from __future__ import annotations

from breakeven.core.costs import OwnTerms
from breakeven.core.demand import Demand
from breakeven.core.energy import kwh_per_month, per_million
from breakeven.core.tasks import cost_per_accepted_task, tasks_per_month
from breakeven.results import CandidateResult, Energy, TaskCost
from breakeven.scenario.costing import CostLines
from breakeven.scenario.people_side import people_served
from breakeven.scenario.redundancy_side import api_option, selfhost_options
from breakeven.scenario.resolved import Resolved, SelfHostInputs
from breakeven.scenario.selfhost_side import fixed_per_month, replica_cost


def _success(r: Resolved, c: CandidateResult) -> float:
    """A candidate's success rate: its own, else (hybrids) its parts' weighted by the tokens each serves."""
    rates = r.task.success_rates
    if c.name in rates:
        return float(rates[c.name])
    f = c.overflow_share or 0.0
    return (1 - f) * float(rates[c.hybrid.selfhost]) + f * float(rates[c.hybrid.api])


def task_cost(r: Resolved, c: CandidateResult, demand: Demand) -> TaskCost:
    t = r.task
    tasks = tasks_per_month(demand.requests_per_month, float(t.requests_per_task))
    per_task = c.monthly_cost / tasks if tasks > 0 else None
    success = _success(r, c)
    escalation = None if t.escalation_cost is None else float(t.escalation_cost)
    accepted = None if per_task is None else cost_per_accepted_task(per_task, success, t.on_failure, escalation)
    return TaskCost(
        task=t.name,
        tasks_per_month=tasks,
        cost_per_task=per_task,
        success_rate=success,
        on_failure=t.on_failure,
        cost_per_accepted_task=accepted,
    )


def energy(host: SelfHostInputs, replicas: int, hours: float, tokens: float, output_tokens: float) -> Energy:
    """Electricity of ``replicas`` owned replicas powered ``hours`` a month, serving these tokens."""
    terms: OwnTerms = host.hardware
    kwh = kwh_per_month(float(terms.power_w), float(terms.pue), hours, replicas)
    grid = host.grid_kg_co2e_per_kwh
    co2 = None if grid is None else kwh * float(grid)
    return Energy(
        kwh_per_month=kwh,
        kwh_per_million_tokens=per_million(kwh, tokens),
        kwh_per_million_output_tokens=per_million(kwh, output_tokens),
        grid_kg_co2e_per_kwh=None if grid is None else float(grid),
        kg_co2e_per_month=co2,
        kg_co2e_per_million_tokens=None if co2 is None else per_million(co2, tokens),
    )


def _one_replica(host: SelfHostInputs) -> float:
    """A replica's monthly cost with the candidate's fixed costs and standby (what a team of users pays)."""
    per_replica = float(replica_cost(host))
    return per_replica * (1 + host.standby_replicas) + sum(float(v) for v in fixed_per_month(host).values())


def _failover_api(r: Resolved, host: SelfHostInputs, results: dict[str, CandidateResult]) -> tuple[str, float] | None:
    """The API a failover option sends traffic to: the candidate's own, else the cheapest API."""
    apis = [c for c in results.values() if c.kind == "api" and c.declared]
    if host.failover is not None:
        return host.failover.api, results[host.failover.api].monthly_cost
    if not apis:
        return None
    best = min(apis, key=lambda c: c.monthly_cost)
    return best.name, best.monthly_cost


def _selfhost(r: Resolved, lines: CostLines, c: CandidateResult, demand: Demand, results) -> dict:
    host = r.hosts[c.name]
    serving = c.replicas - host.standby_replicas
    out: dict = {"people_served": [people_served(host, p, _one_replica(host)) for p in r.profiles]}
    if r.availability is not None:
        per_replica = float(replica_cost(host))
        out["redundancy"] = selfhost_options(
            host, serving, per_replica, r.availability, _failover_api(r, host, results)
        )
    if isinstance(host.hardware, OwnTerms):
        out["energy"] = energy(host, c.replicas, float(host.billed_hours), demand.tokens, demand.output_tokens)
    return out


def _hybrid(r: Resolved, c: CandidateResult, demand: Demand) -> dict:
    host = r.hosts[c.hybrid.selfhost]
    if not isinstance(host.hardware, OwnTerms) or not c.replicas:
        return {}
    served = 1 - (c.overflow_share or 0.0)
    hours = c.hybrid.billed_hours_per_replica
    return {"energy": energy(host, c.replicas, hours, served * demand.tokens, served * demand.output_tokens)}


def with_details(
    r: Resolved, lines: CostLines, results: list[CandidateResult], demand: Demand
) -> list[CandidateResult]:
    """``results`` with the figures beside their costs filled in."""
    by_name = {c.name: c for c in results}
    out = []
    for c in results:
        update: dict = {}
        if r.task is not None:
            update["cost_per_task"] = task_cost(r, c, demand)
        if c.kind == "selfhost":
            update.update(_selfhost(r, lines, c, demand, by_name))
        elif c.kind == "hybrid":
            update.update(_hybrid(r, c, demand))
        elif r.availability is not None:
            update["redundancy"] = api_option(r.availability)
        out.append(c.model_copy(update=update))
    return out
