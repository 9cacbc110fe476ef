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
        with np.errstate(invalid="ignore"):  # a replica that carries nothing needs infinitely many
            steps = np.maximum(1.0, np.ceil(x - 1e-9 * np.maximum(1.0, x)))  # float noise must not add a replica
        return np.where(np.isinf(x), np.inf, steps)

    def cost(self, volume: ArrayLike) -> np.ndarray:
        v = np.asarray(volume, dtype=float)
        return self.fixed + self.per_replica * self.replicas(v) + self.per_unit * v


@dataclass(frozen=True)
class Crossing:
    """A volume where the API line and the self-host staircase cross, and which side is cheaper after it."""

    volume: float
    direction: Literal["selfhost_cheaper_above", "api_cheaper_above"]


Verdict = Literal["api_cheaper_per_unit", "replicas_cost_more", "lines_touch", "one_replica", "selfhost_cheaper_above"]
"""Why the break-even is what it is (the faces phrase it in money and the user's units):
api_cheaper_per_unit: the API costs no more per unit than self-hosting's volume-proportional costs;
replicas_cost_more: each replica costs at least what the API charges for the volume it serves;
lines_touch: the lines meet without crossing; one_replica: one replica carries any volume;
selfhost_cheaper_above: self-hosting is cheaper above the last crossing."""


@dataclass(frozen=True)
class BreakEven:
    crossings: tuple[Crossing, ...]
    selfhost_cheaper_above: float | None
    """Volume above which self-hosting stays cheaper; None if it never does."""
    verdict: Verdict
    listed_all: bool = True
    """False when the staircase crosses on more than MAX_CROSSINGS steps and only the crossings on
    the first and last MAX_CROSSINGS / 2 are listed."""
    steps: int = 0
    """Replica steps between the first and the last possible crossing."""


def break_even(api_per_unit: float, stairs: Staircase) -> BreakEven:
    """Every crossing of A(v) = api_per_unit x v with the staircase, and where self-hosting stays cheaper."""
    a, F, R, k, c = api_per_unit, stairs.fixed, stairs.per_replica, stairs.replicas_per_unit, stairs.per_unit
    gain = a - c  # what each unit of volume saves by leaving the API, before replicas
    if gain <= 0:
        return BreakEven((), None, "api_cheaper_per_unit")
    if gain <= R * k * (1 + 1e-9):  # within float precision of equal slopes: never
        return BreakEven((), None, "replicas_cost_more")
    if k == 0:
        v = (F + R) / gain
        return BreakEven((Crossing(v, "selfhost_cheaper_above"),), v, "one_replica")
    crossings, steps = _staircase_crossings(gain, F, R, k)
    if not crossings:
        return BreakEven((), None, "lines_touch", steps=steps)
    return BreakEven(tuple(crossings), crossings[-1].volume, "selfhost_cheaper_above", steps <= MAX_CROSSINGS, steps)


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


def selfhost_cheaper_above(api_per_unit: ArrayLike, stairs: Staircase) -> np.ndarray:
    """The volume above which self-hosting stays cheaper, for arrays of lines and staircases at once
    (NaN where it never does); equal to ``break_even(...).selfhost_cheaper_above`` element by element.

    On step n (n replicas, volumes ((n-1)/k, n/k]) the API is no cheaper up to x_n = (F + R n) / (a - c).
    That part of the step is empty once x_n <= (n-1)/k, i.e. for n >= q = (F + (a - c)/k) / ((a - c)/k - R),
    so the last crossing is x_n at n = max(1, ceil(q) - 1); with k = 0 it is (F + R) / (a - c)."""
    a = np.asarray(api_per_unit, dtype=float)
    F, R, k, c = (
        np.asarray(x, dtype=float)
        for x in (stairs.fixed, stairs.per_replica, stairs.replicas_per_unit, stairs.per_unit)
    )
    gain = a - c
    never = (gain <= 0) | (gain <= R * k * (1 + 1e-9))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        q = (F + gain / k) / (gain / k - R)
        guess = np.where(k > 0, np.maximum(1.0, np.ceil(q) - 1), 1.0)
        above = (F + R * guess) / gain
        for steps in (guess - 1, guess + 1):  # q within rounding of a whole number: the neighbour decides
            at = (F + R * steps) / gain
            inside = (k > 0) & (steps >= 1) & (at > (steps - 1) / k) & (at < steps / k * (1 - 1e-12))
            own = (k > 0) & (guess > 1) & (above <= (guess - 1) / k)  # the guessed step's part is empty
            above = np.where(inside & ((steps > guess) | own), at, above)
    return np.where(never, np.nan, above)
