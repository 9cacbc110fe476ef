"""Self-host candidates, computed from their resolved inputs: the capacity of a replica (once per
distinct draw of the performance inputs), the replicas a volume needs, the monthly costs and the
cost staircase along the volume axis. Works on numbers and on arrays of samples alike."""

from __future__ import annotations

import dataclasses

import numpy as np

from breakeven.core import costs
from breakeven.core.capacity import Capacity, replica_capacity, stacked
from breakeven.core.crossover import Staircase
from breakeven.core.demand import HOURS_PER_MONTH, Demand, RequestShape
from breakeven.core.deployment import Deployment
from breakeven.core.serving import ServiceLevel
from breakeven.core.sizing import max_sequences
from breakeven.deployments import require_fit
from breakeven.scenario.resolve import in_candidate
from breakeven.scenario.resolve_host import SPECULATIVE_ACCEPTANCE
from breakeven.scenario.resolved import Num, Resolved, SelfHostInputs


def at(value, i: int):
    """Sample ``i`` of a figure (the figure itself if it is one number; None stays None)."""
    if value is None or np.ndim(value) == 0:
        return value if value is None else float(value)
    return float(value[i])


def _with_figures(entry, updates: dict[str, float]):
    """A copy of a catalog entry with some (dotted-path) figures replaced."""
    nested: dict[str, dict[str, float]] = {}
    flat = {}
    for path, value in updates.items():
        head, _, rest = path.partition(".")
        if rest:
            nested.setdefault(head, {})[rest] = value
        else:
            flat[head] = value
    for head, inner in nested.items():
        flat[head] = _with_figures(getattr(entry, head), inner)
    return entry.model_copy(update=flat)


def _with_acceptance(dep: Deployment, acceptance: float | None) -> Deployment:
    """The deployment speculating at ``acceptance`` (as it is where it does not speculate or it is the same)."""
    s = dep.speculative
    if s is None or acceptance is None or acceptance == s.acceptance:
        return dep
    return dataclasses.replace(dep, speculative=dataclasses.replace(s, acceptance=acceptance))


def deployment_at(host: SelfHostInputs, i: int) -> Deployment:
    """The deployment with the GPU and engine figures, and the speculative acceptance, of sample ``i``."""
    dep = _with_acceptance(host.deployment, at(host.figures.get(SPECULATIVE_ACCEPTANCE), i))
    updates = {"gpu": {}, "engine": {}}
    for key, value in host.figures.items():
        if key == SPECULATIVE_ACCEPTANCE:
            continue
        target, path = key.split(".", 1)
        updates[target][path] = at(value, i)
    changed = {
        target: _with_figures(getattr(dep, target), values)
        for target, values in updates.items()
        if any(_figure(getattr(dep, target), path) != v for path, v in values.items())
    }
    return dataclasses.replace(dep, **changed) if changed else dep


def _figure(entry, path: str) -> float:
    for part in path.split("."):
        entry = getattr(entry, part)
    return entry


def capacity_at(host: SelfHostInputs, shape: RequestShape, level: ServiceLevel, i: int, strict: bool) -> Capacity:
    """Capacity of one replica at sample ``i``. ``strict``: a model that does not fit is an error (the
    point estimate); otherwise it carries nothing at that draw."""
    dep = deployment_at(host, i)
    inp, out, cached = at(shape.input_tokens, i), at(shape.output_tokens, i), at(shape.cached_input_tokens, i)
    if strict and int(max_sequences(dep, inp + out)) < 1:
        require_fit(dep, int(inp + out))
    sample_level = ServiceLevel(at(level.min_tokens_per_s, i), at(level.max_ttft_s, i))
    rate = at(host.measured_output_tokens_per_s, i)
    return replica_capacity(dep, inp, out, cached, sample_level, at(host.concurrency, i), rate)


def capacities(r: Resolved) -> dict[str, Capacity]:
    """Every self-host candidate's replica capacity: one search per distinct draw of the performance
    inputs, spread over the samples that share it (numbers at the point estimate)."""
    if r.size == 1:
        return {
            name: in_candidate(r.order.index(name), name, capacity_at, h, r.demand.shape, r.service_level, 0, True)
            for name, h in r.hosts.items()
        }
    _, first, inverse = np.unique(r.performance_index, return_index=True, return_inverse=True)
    out = {}
    for name, host in r.hosts.items():
        searched = [capacity_at(host, r.demand.shape, r.service_level, int(i), False) for i in first]
        out[name] = stacked(searched, inverse)
    return out


def hardware_per_replica(host: SelfHostInputs) -> dict[str, Num]:
    """Monthly hardware cost of one replica by part, report currency."""
    if isinstance(host.hardware, costs.RentTerms):
        return costs.rent_per_replica(host.hardware, host.gpus_per_replica, host.billed_hours)
    return costs.own_per_replica(host.hardware, host.billed_hours)


def replica_cost(host: SelfHostInputs) -> Num:
    return sum(hardware_per_replica(host).values())


def fixed_per_month(host: SelfHostInputs) -> dict[str, Num]:
    """Monthly costs that do not scale with replicas, report currency (only the parts a candidate has)."""
    out: dict[str, Num] = {}
    if np.any(host.staff_per_month):
        out["staff"] = host.staff_per_month
    pl = host.production_layer
    if pl is not None:
        out["production_layer"] = costs.production_layer_monthly(pl.one_off, pl.amortize_months, pl.per_month)
    if np.any(host.storage_network_per_month):
        out["storage_network"] = host.storage_network_per_month
    return out


def replicas_per_unit(cap: Capacity, unit: Demand, billed_hours: Num) -> Num:
    """Serving replicas needed per unit of volume: by concurrency (Little's law in rate modes) and,
    in rate modes, by output throughput at the peak; a part-time schedule squeezes the month's
    requests into its hours."""
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_mode = unit.peak_requests_per_s is not None
        squeeze = np.maximum(1.0, HOURS_PER_MONTH / billed_hours) if rate_mode else 1.0
        by_concurrency = unit.concurrency(cap.request_duration_s) * squeeze / cap.concurrency_per_replica
        if not rate_mode:
            return by_concurrency
        by_throughput = (
            unit.peak_requests_per_s * squeeze * unit.shape.output_tokens / cap.output_tokens_per_s_per_replica
        )
        return np.maximum(by_concurrency, by_throughput)


def staircase(host: SelfHostInputs, cap: Capacity, unit: Demand, failover_per_unit: Num) -> Staircase:
    """Self-host cost along the volume axis: fixed costs and standby replicas, a replica per step,
    and the API failover's share per unit of volume."""
    per_replica = replica_cost(host)
    fixed = sum(fixed_per_month(host).values()) + host.standby_replicas * per_replica
    return Staircase(
        fixed=fixed,
        per_replica=per_replica,
        replicas_per_unit=replicas_per_unit(cap, unit, host.billed_hours),
        per_unit=failover_per_unit,
    )


def capacity_notes(host: SelfHostInputs, cap: Capacity, shape: RequestShape) -> list[str]:
    """Why a replica's capacity falls short, at the point estimate."""
    override = host.concurrency
    context = f"{shape.input_tokens + shape.output_tokens:,.0f}-token"
    if override is not None and override > cap.max_batch_fits:
        return [
            f"the concurrency override ({override:,.4g}) exceeds the {cap.max_batch_fits} {context} sequences whose "
            f"KV cache fits one replica"
        ]
    if not cap.service_level_met:
        return [
            "the service level is not met even at a batch of 1"
            if override is None
            else f"at the concurrency override ({override:,.4g}) the service level is not met"
        ]
    return []
