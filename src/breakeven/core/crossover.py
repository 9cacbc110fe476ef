"""Where the API line crosses the self-host staircase, exactly.

Along a volume axis v (users, requests or tokens per month), the API costs A(v) = a v and self-hosting
costs S(v) = F + R max(1, ceil(k v)) + c v: fixed costs F, R per replica, k replicas per unit of
volume, and c per unit for volume-proportional extras (API failover). Between two replica steps S is
a line, so each crossing is solved in closed form; at a step S jumps by R, which can also cross.

If a - c <= R k, each replica costs at least as much as the API traffic it serves, so self-hosting is
never cheaper. Otherwise it is cheaper for all v above the last crossing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

MAX_CROSSINGS = 100
"""Replica steps whose crossings are listed at most (the first and the last 50; the last crossing,
where self-hosting starts to stay cheaper, is always exact). With R k within a hair of a - c the
staircase crosses the line at every step; listing thousands would make an answer megabytes long
(and an evaluation seconds slow) and say nothing more."""


@dataclass(frozen=True)
class Staircase:
    """Self-host cost S(v) = fixed + per_replica x max(1, ceil(replicas_per_unit x v)) + per_unit x v."""

    fixed: float
    per_replica: float
    replicas_per_unit: float
    per_unit: float = 0.0

    def replicas(self, volume: ArrayLike) -> np.ndarray:
        v = np.asarray(volume, dtype=float)
        x = self.replicas_per_unit * v
        return np.maximum(1.0, np.ceil(x - 1e-9 * np.maximum(1.0, x)))  # float noise must not add a replica

    def cost(self, volume: ArrayLike) -> np.ndarray:
        v = np.asarray(volume, dtype=float)
        return self.fixed + self.per_replica * self.replicas(v) + self.per_unit * v


@dataclass(frozen=True)
class Crossing:
    volume: float
    direction: Literal["selfhost_cheaper_above", "api_cheaper_above"]


@dataclass(frozen=True)
class BreakEven:
    crossings: tuple[Crossing, ...]
    selfhost_cheaper_above: float | None
    """Volume above which self-hosting stays cheaper; None if it never does."""
    reason: str
    listed_all: bool = True
    """False when the staircase crosses on more than MAX_CROSSINGS steps and only the crossings on
    the first and last MAX_CROSSINGS / 2 are listed."""


def break_even(api_per_unit: float, stairs: Staircase) -> BreakEven:
    """Every crossing of A(v) = api_per_unit x v with the staircase, and where self-hosting stays cheaper."""
    a, F, R, k, c = api_per_unit, stairs.fixed, stairs.per_replica, stairs.replicas_per_unit, stairs.per_unit
    gain = a - c  # what each unit of volume saves by leaving the API, before replicas
    if gain <= R * k * (1 + 1e-9) or gain <= 0:  # within float precision of equal slopes: never
        why = (
            "the API costs less per unit than self-hosting's volume-proportional costs"
            if gain <= 0
            else f"each replica costs {R:,.4g} and serves {1 / k:,.4g} units, {R * k:,.4g} per unit, "
            f"at least the API's {gain:,.4g} per unit: self-hosting never catches up"
        )
        return BreakEven((), None, why)
    if k == 0:
        v = (F + R) / gain
        return BreakEven((Crossing(v, "selfhost_cheaper_above"),), v, "one replica carries any volume")
    crossings, steps = _staircase_crossings(gain, F, R, k)
    if not crossings:
        return BreakEven((), None, "the two lines only touch; self-hosting is never strictly cheaper")
    last = crossings[-1].volume
    listed = (
        f" (the staircase crosses the API line on up to {steps:,} replica steps; those of the first and last "
        f"{MAX_CROSSINGS // 2} are listed)"
        if steps > MAX_CROSSINGS
        else ""
    )
    return BreakEven(
        tuple(crossings),
        last,
        f"above {last:,.4g} the API costs {gain:,.4g} per unit more than the {R * k:,.4g} per unit that replicas add"
        + listed,
        listed_all=steps <= MAX_CROSSINGS,
    )


def _staircase_crossings(gain: float, F: float, R: float, k: float) -> tuple[list[Crossing], int]:
    """Crossings on steps n1..n2, the only ones where A - S changes sign (see module docstring), and
    the number of steps in between. With more than MAX_CROSSINGS steps, the crossings on the first and
    last MAX_CROSSINGS / 2 are listed (the last crossing, where self-hosting starts to stay cheaper,
    is always exact)."""
    slope = gain / k - R  # > 0: A - S at the right end of step n grows by this per step
    n_first = max(1, math.floor(F / slope))
    n_last = math.ceil((F + gain / k) / slope) + 1
    if n_last - n_first > MAX_CROSSINGS:
        steps = [*range(n_first, n_first + MAX_CROSSINGS // 2), *range(n_last - MAX_CROSSINGS // 2, n_last + 1)]
    else:
        steps = range(n_first, n_last + 1)
    found: list[Crossing] = []
    for n in steps:
        found += _crossings_on_step(n, gain, F, R, k)
    while found and found[-1].direction == "api_cheaper_above":
        found.pop()  # cannot be last: beyond n2 self-hosting is always cheaper
    return found, n_last - n_first + 1


def _crossings_on_step(n: int, gain: float, F: float, R: float, k: float) -> list[Crossing]:
    """A = S inside step n (n replicas), and the step-up at its right end if it jumps over the line."""
    out = []
    lo, hi = (0.0 if n == 1 else (n - 1) / k), n / k
    v = (F + R * n) / gain
    if lo < v < hi * (1 - 1e-12):
        out.append(Crossing(v, "selfhost_cheaper_above"))
    before, after = gain * hi - F - R * n, gain * hi - F - R * (n + 1)  # A - S around the step up
    if before > 1e-9 * (F + R * n) and after <= 0:  # a touch (A = S at the step) is not a crossing
        out.append(Crossing(hi, "api_cheaper_above"))
    return out
