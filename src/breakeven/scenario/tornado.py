"""Sensitivity: a tornado. Each uncertain input is swung from the low to the high end of its range
(for a normal or a lognormal, its 5th to 95th percentile) with every other input at its median; the
inputs are ranked by how far that moves the break-even of the tornado's pair, then by how far it
moves the monthly cost gap between the pair at the scenario's volume.

The pair is the cheapest API candidate against the cheapest self-host candidate at the point
estimate, or the two cheapest candidates where the scenario has only one kind. All swings are one
designed sample (1 + 2 x inputs rows) evaluated at once; a swing of a performance input gets its own
capacity search.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from breakeven.core.crossover import selfhost_cheaper_above
from breakeven.results import Evaluation, TornadoBar
from breakeven.scenario.assumptions import Sources
from breakeven.scenario.draws import DesignDraws, Input, PointDraws
from breakeven.scenario.resolve import resolve
from breakeven.scenario.samples import sampled_costs
from breakeven.scenario.schema import Scenario


def tornado_pair(point: Evaluation) -> tuple[str, str]:
    """[first, second]: the cheapest API and the cheapest self-host candidate, else the two cheapest."""
    ranked = sorted(point.candidates, key=lambda c: c.monthly_cost)
    apis = [c.name for c in ranked if c.kind == "api"]
    hosts = [c.name for c in ranked if c.kind == "selfhost"]
    if apis and hosts:
        return apis[0], hosts[0]
    names = [c.name for c in ranked]
    return (names[0], names[1]) if len(names) > 1 else (names[0], names[0])


def design(inputs: list[Input]) -> DesignDraws:
    """Row 0: every input at its median; rows 2j+1 and 2j+2: input j at its low and high end. A swung
    performance input gets its own performance draw; every other row shares row 0's."""
    size = 1 + 2 * len(inputs)
    rows, index, next_draw = {}, np.zeros(size, dtype=int), 1
    for j, x in enumerate(inputs):
        values = np.full(size, x.median())
        values[[2 * j + 1, 2 * j + 2]] = x.ends()
        rows[x.key] = values
        if x.performance:
            index[[2 * j + 1, 2 * j + 2]] = [next_draw, next_draw + 1]
            next_draw += 2
    return DesignDraws(rows, size, index)


def _never_first(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _swing(low: float | None, high: float | None) -> float:
    """|high - low|; infinite where exactly one end never breaks even, 0 where neither does."""
    if low is None and high is None:
        return 0.0
    if low is None or high is None:
        return math.inf
    return abs(high - low)


@dataclass(frozen=True)
class Tornado:
    pair: tuple[str, str]
    break_even: float | None
    """At every input's median."""
    gap: float
    bars: list[TornadoBar]


def tornado(
    s: Scenario, point: Evaluation, calibrations: dict | None = None, sources: Sources | None = None
) -> Tornado:
    """The tornado: its pair, its centre and its bars, largest swing first."""
    first, second = tornado_pair(point)
    probe = PointDraws()
    resolve(s, probe, calibrations, sources)
    inputs = list(probe.inputs.values())
    sc = sampled_costs(resolve(s, design(inputs), calibrations, sources)[0])
    gap = sc.monthly_cost[second] - sc.monthly_cost[first]
    lines = sc.lines
    if first in lines.api_per_unit and second in lines.stairs:
        be = np.broadcast_to(selfhost_cheaper_above(lines.api_per_unit[first], lines.stairs[second]), gap.shape)
    else:
        be = np.full(gap.shape, np.nan)
    bars = []
    for j, x in enumerate(inputs):
        lo, hi = 2 * j + 1, 2 * j + 2
        be_low, be_high = _never_first(be[lo]), _never_first(be[hi])
        swing = _swing(be_low, be_high)
        input_low, input_high = x.ends()
        bars.append(
            TornadoBar(
                input=x.name,
                field=x.key,
                unit=x.unit,
                input_low=input_low,
                input_high=input_high,
                low=be_low,
                high=be_high,
                swing=None if math.isinf(swing) else swing,
                flips=math.isinf(swing),
                gap_low=float(gap[lo]),
                gap_high=float(gap[hi]),
                gap_swing=abs(float(gap[hi] - gap[lo])),
            )
        )
    bars.sort(key=lambda b: (b.flips, b.swing or 0.0, b.gap_swing), reverse=True)
    return Tornado((first, second), _never_first(be[0]), float(gap[0]), bars)
