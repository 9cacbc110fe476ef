"""The cost lines of every candidate along the volume axis, from resolved inputs: the API's cost per
unit of volume, and each self-host candidate's replica capacity and cost staircase. The point
evaluation, the Monte Carlo, the tornado and the horizon all start here (numbers or samples alike)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from breakeven.core.capacity import Capacity
from breakeven.core.costs import api_cost_per_request
from breakeven.core.crossover import Staircase
from breakeven.core.demand import Demand
from breakeven.core.hybrid import HybridLine
from breakeven.scenario.demand import demand_at
from breakeven.scenario.hybrid_side import hybrid_line
from breakeven.scenario.resolved import HybridInputs, Num, Resolved
from breakeven.scenario.selfhost_side import capacities, staircase


@dataclass(frozen=True)
class CostLines:
    """Every candidate's monthly cost as a function of the volume v on the workload's axis:
    API ``api_per_unit[name] x v``, self-host ``stairs[name].cost(v)``."""

    unit: Demand
    """The demand of one unit of volume."""
    api_per_unit: dict[str, Num]
    capacity: dict[str, Capacity]
    stairs: dict[str, Staircase]
    hybrids: dict[str, HybridLine] = field(default_factory=dict)
    """Hybrid candidates: cost at the best replica count, ``hybrids[name].best_cost(v)``."""

    def monthly_cost(self, name: str, volume: Num) -> Num:
        if name in self.api_per_unit:
            return self.api_per_unit[name] * volume
        if name in self.hybrids:
            return self.hybrids[name].best_cost(volume)
        return self.stairs[name].cost(volume)

    def per_million_tokens(self, volume: np.ndarray) -> np.ndarray:
        """The factor that turns a monthly cost at ``volume`` into a cost per million tokens (NaN where
        the volume carries no tokens)."""
        tokens = volume * float(self.unit.tokens)
        return np.where(tokens > 0, 1e6 / np.maximum(tokens, 1e-300), np.nan)

    def hybrid(self, r: Resolved, plan: HybridInputs) -> HybridLine:
        """The cost line of a hybrid plan (a candidate's, or one breakeven adds)."""
        return hybrid_line(r, plan, self.api_per_unit, self.capacity, self.unit)


def cost_lines(r: Resolved) -> CostLines:
    unit = demand_at(r.demand, 1.0)
    api = {name: unit.requests_per_month * api_cost_per_request(unit, a.prices) for name, a in r.apis.items()}
    caps = capacities(r)
    stairs = {}
    for name, host in r.hosts.items():
        failover = 0.0 if host.failover is None else host.failover.downtime_share * api[host.failover.api]
        stairs[name] = staircase(host, caps[name], unit, failover)
    hybrids = {name: hybrid_line(r, plan, api, caps, unit) for name, plan in r.hybrids.items()}
    return CostLines(unit, api, caps, stairs, hybrids)


def cheapest(costs: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Index of the cheapest candidate per sample among the eligible ones (all of them in a sample
    where none is eligible). ``costs`` and ``eligible`` are (candidates, samples)."""
    none = ~eligible.any(axis=0)
    masked = np.where(eligible | none, costs, np.inf)
    return np.argmin(np.nan_to_num(masked, nan=np.inf), axis=0)
