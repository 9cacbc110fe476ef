"""The cost lines of every candidate along the volume axis, from resolved inputs: the API's cost per
unit of volume, and each self-host candidate's replica capacity and cost staircase. The point
evaluation, the Monte Carlo, the tornado and the horizon all start here (numbers or samples alike)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from breakeven.core.capacity import Capacity
from breakeven.core.costs import api_cost_per_request
from breakeven.core.crossover import Staircase
from breakeven.core.demand import Demand
from breakeven.scenario.demand import demand_at
from breakeven.scenario.resolved import Num, Resolved
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

    def monthly_cost(self, name: str, volume: Num) -> Num:
        if name in self.api_per_unit:
            return self.api_per_unit[name] * volume
        return self.stairs[name].cost(volume)


def cost_lines(r: Resolved) -> CostLines:
    unit = demand_at(r.demand, 1.0)
    api = {name: unit.requests_per_month * api_cost_per_request(unit, a.prices) for name, a in r.apis.items()}
    caps = capacities(r)
    stairs = {}
    for name, host in r.hosts.items():
        failover = 0.0 if host.failover is None else host.failover.downtime_share * api[host.failover.api]
        stairs[name] = staircase(host, caps[name], unit, failover)
    return CostLines(unit, api, caps, stairs)


def cheapest(costs: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Index of the cheapest candidate per sample among the eligible ones (all of them in a sample
    where none is eligible). ``costs`` and ``eligible`` are (candidates, samples)."""
    none = ~eligible.any(axis=0)
    masked = np.where(eligible | none, costs, np.inf)
    return np.argmin(np.nan_to_num(masked, nan=np.inf), axis=0)
