"""The evaluation of every sample at once: each candidate's monthly cost at the scenario's volume,
its cost per million tokens, whether it meets the service level, and the break-even volume of every
(API, self-host) pair, as arrays over the samples."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from breakeven.core.crossover import Staircase, selfhost_cheaper_above
from breakeven.core.hybrid import HybridLine
from breakeven.scenario.costing import CostLines, cheapest, cost_lines
from breakeven.scenario.demand import demand_at
from breakeven.scenario.resolved import Resolved


@dataclass(frozen=True)
class SampledCosts:
    """A resolved scenario evaluated at each of its samples."""

    resolved: Resolved
    lines: CostLines
    volume: np.ndarray
    tokens: np.ndarray
    """Input plus output tokens per month at the volume."""
    monthly_cost: dict[str, np.ndarray]
    service_level_met: dict[str, np.ndarray]
    """Per candidate: whether it meets the service level (always true for APIs, whose speed is not modelled)."""
    break_even: dict[tuple[str, str], np.ndarray]
    """(api, self-host) -> volume above which self-hosting stays cheaper; NaN: never."""

    @property
    def names(self) -> tuple[str, ...]:
        return self.resolved.order

    def cheapest_index(self) -> np.ndarray:
        """Index (into ``names``) of the recommended candidate per sample: the cheapest that meets the
        service level, or the cheapest of all where none does."""
        costs = np.stack([self.monthly_cost[n] for n in self.names])
        eligible = np.stack([self.service_level_met[n] for n in self.names])
        return cheapest(costs, eligible)


def _full(x, size: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(x, dtype=float), (size,))


def sampled_costs(r: Resolved) -> SampledCosts:
    lines = cost_lines(r)
    n = r.size
    volume = _full(r.demand.volume, n)
    tokens = _full(demand_at(r.demand, volume).tokens, n)
    with np.errstate(invalid="ignore", over="ignore"):
        costs = {name: _full(lines.monthly_cost(name, volume), n) for name in r.order}
    met = {name: _met(r, lines, name, volume) for name in r.order}
    pairs = {
        (a, h): _full(selfhost_cheaper_above(lines.api_per_unit[a], lines.stairs[h]), n)
        for a in r.apis
        for h in r.hosts
    }
    return SampledCosts(r, lines, volume, tokens, costs, met, pairs)


def _met(r: Resolved, lines: CostLines, name: str, volume: np.ndarray) -> np.ndarray:
    """Whether a candidate meets the service level in each sample: a self-host candidate's capacity; a
    hybrid's self-host part where it runs replicas (the API's speed is not modelled: met)."""
    n = r.size
    if name in lines.hybrids:
        host = lines.capacity[r.hybrids[name].selfhost]
        runs = _full(lines.hybrids[name].best(volume), n) > 0
        return ~runs | np.broadcast_to(np.asarray(host.service_level_met, dtype=bool), (n,))
    if name in lines.capacity:
        return np.broadcast_to(np.asarray(lines.capacity[name].service_level_met, dtype=bool), (n,))
    return np.ones(n, dtype=bool)


def hybrid_column(line: HybridLine, rows: int | None = None) -> HybridLine:
    """A hybrid line of per-sample arrays as a column (its first ``rows`` samples), so that its cost
    broadcasts over (samples, volumes)."""
    fields = ("fixed", "per_replica", "replicas_per_unit", "api_per_unit", "failover_per_unit")
    return HybridLine(line.slots, *(np.asarray(getattr(line, f), dtype=float).reshape(-1, 1)[:rows] for f in fields))


def stairs_column(stairs: Staircase, rows: int | None = None) -> Staircase:
    """A staircase of per-sample arrays as a column (its first ``rows`` samples, all by default), so
    that its cost broadcasts over (samples, volumes)."""
    fields = ("fixed", "per_replica", "replicas_per_unit", "per_unit")
    return Staircase(*(np.asarray(getattr(stairs, f), dtype=float).reshape(-1, 1)[:rows] for f in fields))
