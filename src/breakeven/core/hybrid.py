"""Hybrid plans: n self-hosted replicas carry the base load, the API takes what overflows.

The month is cut into hour slots (24 hours of the day, or 168 hours of the week). Slot h carries a
share p_h of the month's demand (its profile weight over the sum) and the replicas run during a share
a_h of its hours (1 always on; 0 outside a working-hours schedule; 5/7 for a weekday schedule on a
24-hour profile). One replica absorbs, per slot, a share x = p_max / (k v) of the month's demand,
where k v is the (fractional) number of replicas that carry the peak slot at volume v, always on.
In each slot, demand above the replicas' capacity goes to the API:

    overflow share  f(n) = sum_h [ a_h max(0, p_h - n x) + (1 - a_h) p_h ]
    monthly cost    C(n) = [n > 0] F + n R + v (a f(n) + c (1 - f(n)))

F: the self-host candidate's fixed costs (staff, production layer, storage and network, standby
replicas), paid once any replica runs; R: one replica over the schedule's hours; a: the API's cost
per unit of volume; c: the API failover's cost per unit of self-served volume (downtime share x the
failover API's price). With n = 0 the plan is exactly its API.

f is convex and piecewise linear in n, so C(n) for n >= 1 is convex: its continuous minimum lies at
a breakpoint n x = p_h, the smallest where the covered share of slots above it, K = sum_{p_h > n x}
a_h, is at most R / ((a - c) v x) (one more replica saves less than it costs). The integer optimum is
the floor or the ceiling of that n, compared with n = 0. Every function is vectorized: volumes and
the line's figures may be arrays over samples (and months), broadcast together.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

SECTIONS = 64
"""Points a bracket is cut at per round when a change of a predicate is located: one vectorized call
narrows it 65-fold, so a change is found to float precision in about ten calls."""
ROUNDS = 80
"""Most rounds of that search (a bracket spanning every float is down to adjacent floats in fewer)."""
VOLUME_GRID = np.geomspace(1e-300, 1e300, 601)
"""Volumes where a hybrid is first tried against its API alone (every tenfold step from 1e-300)."""


@dataclass(frozen=True, eq=False)
class HourSlots:
    """The month's hour slots: each one's share of demand and the share of its hours replicas run."""

    shares: np.ndarray
    """p_h: the slot's share of the month's demand (sums to 1)."""
    covered: np.ndarray
    """a_h in [0, 1]: share of the slot's hours in which the replicas run."""

    @functools.cached_property
    def peak(self) -> float:
        """p_max: the busiest slot's share (worked out once: every reach reads it)."""
        return float(self.shares.max())

    @functools.cached_property
    def peak_covered(self) -> float:
        """The busiest covered slot's share (0 if the replicas never run)."""
        return float(np.where(self.covered > 0, self.shares, 0.0).max())

    @functools.cached_property
    def never_covered(self) -> float:
        """sum_h (1 - a_h) p_h: the share that goes to the API whatever the replicas."""
        return float(((1 - self.covered) * self.shares).sum())

    @functools.cached_property
    def by_share(self) -> _Sorted:
        """The slots sorted by share, with the suffix sums f and K are read from (computed once)."""
        return _sorted(self)


def hour_slots(weights: ArrayLike, covered: ArrayLike | None = None) -> HourSlots:
    """Slots from profile weights (24 or 168, not all zero) and the share of each slot's hours the
    replicas run (default: always)."""
    w = np.asarray(weights, dtype=float)
    a = np.ones_like(w) if covered is None else np.asarray(covered, dtype=float)
    if w.ndim != 1 or a.shape != w.shape or w.sum() <= 0 or (w < 0).any() or ((a < 0) | (a > 1)).any():
        raise ValueError("hour slots need non-negative weights (not all zero) and a coverage in [0, 1] per slot")
    return HourSlots(w / w.sum(), a)


@dataclass(frozen=True)
class _Sorted:
    """Slots sorted by share, with suffix sums for evaluating f and K at any reach."""

    shares: np.ndarray
    covered_above: np.ndarray
    """K at index j: sum of a_i over the slots at or after j (length S + 1, last 0)."""
    weighted_above: np.ndarray
    """sum of a_i p_i over the slots at or after j (length S + 1, last 0)."""
    never: float


def _sorted(slots: HourSlots) -> _Sorted:
    order = np.argsort(slots.shares, kind="stable")
    p, a = slots.shares[order], slots.covered[order]
    tail = lambda x: np.concatenate([np.cumsum(x[::-1])[::-1], [0.0]])
    return _Sorted(p, tail(a), tail(a * p), slots.never_covered)


def overflow_share(slots: HourSlots, reach: ArrayLike) -> np.ndarray:
    """f: the share of the month's demand sent to the API when the replicas together absorb ``reach``
    (replicas x one replica's share per slot) in every covered slot; any shape."""
    s = slots.by_share
    x = np.asarray(reach, dtype=float)
    above = np.searchsorted(s.shares, x, side="right")  # slots with p_h > x start here
    with np.errstate(invalid="ignore"):  # an infinite reach absorbs everything: no term left
        kept = np.where(np.isinf(x), 0.0, s.weighted_above[above] - x * s.covered_above[above])
    return np.maximum(kept, 0.0) + s.never


@dataclass(frozen=True)
class HybridLine:
    """A hybrid plan's cost as a function of the volume v and the replicas n (figures: numbers, or
    arrays over samples that broadcast with the volume)."""

    slots: HourSlots
    fixed: ArrayLike
    """F: monthly costs paid once any replica runs (staff, production layer, storage, standby)."""
    per_replica: ArrayLike
    """R: one replica's monthly cost over the schedule's hours."""
    replicas_per_unit: ArrayLike
    """k: replicas (fractional) that carry the peak slot of one unit of volume, always on."""
    api_per_unit: ArrayLike
    """a: the API's cost per unit of volume."""
    failover_per_unit: ArrayLike = 0.0
    """c: API failover cost per unit of self-served volume (downtime share x the failover API's a)."""

    def reach(self, volume: ArrayLike) -> np.ndarray:
        """x: the share of the month's demand one replica absorbs per covered slot (inf: all of it)."""
        k = np.asarray(self.replicas_per_unit, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            x = self.slots.peak / (k * np.asarray(volume, dtype=float))
        return np.where(np.isnan(x), np.inf, x)

    def overflow(self, volume: ArrayLike, replicas: ArrayLike) -> np.ndarray:
        """f(n): the share of the volume sent to the API."""
        n = np.asarray(replicas, dtype=float)
        with np.errstate(invalid="ignore"):  # 0 replicas x an infinite reach reach nothing
            reach = np.where(n == 0, 0.0, n * self.reach(volume))
        return np.where(n == 0, 1.0, overflow_share(self.slots, reach))  # exactly the API alone

    def cost(self, volume: ArrayLike, replicas: ArrayLike) -> np.ndarray:
        """C(n): monthly cost of the plan with ``replicas`` replicas."""
        v, n = np.asarray(volume, dtype=float), np.asarray(replicas, dtype=float)
        f = self.overflow(v, n)
        own = np.where(n > 0, np.asarray(self.fixed, dtype=float) + n * np.asarray(self.per_replica, dtype=float), 0)
        a, c = np.asarray(self.api_per_unit, dtype=float), np.asarray(self.failover_per_unit, dtype=float)
        return own + v * (a * f + c * (1 - f))

    def full_coverage(self, volume: ArrayLike) -> np.ndarray:
        """Replicas that carry every covered slot whole (more only add cost)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            need = self.slots.peak_covered / self.reach(volume)
        need = np.where(np.isnan(need), 0.0, need)
        return np.where(np.isinf(need), np.inf, np.ceil(need - 1e-9 * np.maximum(1.0, need)))

    def continuous_optimum(self, volume: ArrayLike) -> np.ndarray:
        """The smallest real n minimizing n R + (a - c) v f(n) (n >= 0; the breakpoint rule above)."""
        s = self.slots.by_share
        v = np.asarray(volume, dtype=float)
        x = self.reach(v)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # the searches probe up to 1e300
            saving = (np.asarray(self.api_per_unit, dtype=float) - np.asarray(self.failover_per_unit, dtype=float)) * v
            limit = np.asarray(self.per_replica, dtype=float) / (saving * x)  # K at which a replica stops paying
        limit = np.where(np.isnan(limit), np.inf, limit)
        at = s.covered_above[np.searchsorted(s.shares, s.shares, side="right")]  # K just above each breakpoint
        first = np.searchsorted(-at, -limit, side="left")  # first breakpoint with K <= limit
        best = s.shares[np.minimum(first, s.shares.size - 1)]
        at_zero = s.covered_above[np.searchsorted(s.shares, 0.0, side="right")]  # K just above no reach
        useless = (limit >= at_zero) | (saving <= 0) | ~np.isfinite(x) | (x <= 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            n = np.where(useless, 0.0, best / x)
        return np.where(np.isfinite(n), n, 0.0)

    def _best(self, volume: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """(replicas, monthly cost) of the cheapest plan: 0, or the floor or ceiling of the continuous
        optimum, at least 1 (C is convex for n >= 1); the fewest replicas where several tie."""
        v = np.asarray(volume, dtype=float)
        n = self.continuous_optimum(v)
        options = [np.zeros_like(n), np.maximum(1.0, np.floor(n)), np.maximum(1.0, np.ceil(n))]
        costs = np.stack(np.broadcast_arrays(*[self.cost(v, o) for o in options]))
        choice = np.argmin(np.where(np.isnan(costs), np.inf, costs), axis=0)[None]  # the first of equal costs
        stacked = np.stack(np.broadcast_arrays(*options, costs[0])[:3])
        return np.take_along_axis(stacked, choice, axis=0)[0], np.take_along_axis(costs, choice, axis=0)[0]

    def best(self, volume: ArrayLike) -> np.ndarray:
        """The replicas that minimize the monthly cost (the fewest where several tie)."""
        return self._best(volume)[0]

    def best_cost(self, volume: ArrayLike) -> np.ndarray:
        return self._best(volume)[1]

    @functools.cached_property
    def cheaper_than_api_above(self) -> float | None:
        """``cheaper_than_api_above(self)``, worked out once per line."""
        return cheaper_than_api_above(self)

    def selfhost_pays(self, volume: ArrayLike) -> np.ndarray:
        """Whether the best plan with at least one replica is strictly cheaper than the API alone."""
        v = np.asarray(volume, dtype=float)
        n = np.maximum(1.0, self.continuous_optimum(v))
        # the searches probe volumes up to 1e300 units, where a cost may overflow to inf: inf < inf is
        # False there (the replicas are taken not to pay), far above any volume a scenario may hold (1e18)
        with np.errstate(over="ignore"):
            with_replicas = np.minimum(self.cost(v, np.floor(n)), self.cost(v, np.ceil(n)))
            return with_replicas < np.asarray(self.api_per_unit, dtype=float) * v * (1 - 1e-12)


def _section_points(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """SECTIONS points strictly inside each bracket (geometric where lo > 0, else linear), one row per
    bracket; where fewer floats lie between, points fall onto the bracket's ends."""
    geometric = lo > 0
    start = np.where(geometric, lo, 1.0)  # any positive start where the row is linear (discarded below)
    points = np.where(
        geometric[:, None],
        np.geomspace(start, np.where(geometric, hi, 2.0), SECTIONS + 2, axis=1),
        np.linspace(lo, hi, SECTIONS + 2, axis=1),
    )[:, 1:-1]
    return np.clip(points, lo[:, None], hi[:, None])


def changes_within(predicate: Callable[[np.ndarray], np.ndarray], lo, hi, after) -> np.ndarray:
    """For each bracket, the smallest float in (lo, hi] where ``predicate`` (vectorized) turns to
    ``after``, given it is not ``after`` at lo and is at hi: each round tries SECTIONS points inside
    every bracket in one call and keeps the first change, until no float lies inside any bracket."""
    lo, hi = np.array(lo, dtype=float, ndmin=1), np.array(hi, dtype=float, ndmin=1)
    after = np.broadcast_to(np.asarray(after, dtype=bool), lo.shape)
    for _ in range(ROUNDS):
        points = _section_points(lo, hi)
        inside = (points > lo[:, None]) & (points < hi[:, None])
        if not inside.any():
            break
        turned = np.asarray(predicate(points.ravel()), dtype=bool).reshape(points.shape) == after[:, None]
        turned = np.where(inside, turned, points >= hi[:, None])  # the ends keep what they are known to be
        first = np.where(turned.any(axis=1), np.argmax(turned, axis=1), SECTIONS)
        rows = np.arange(lo.size)
        lo = np.where(first > 0, points[rows, np.maximum(first - 1, 0)], lo)
        hi = np.where(first < SECTIONS, points[rows, np.minimum(first, SECTIONS - 1)], hi)
    return hi


def change_within(predicate: Callable[[np.ndarray], np.ndarray], lo: float, hi: float, after: bool) -> float:
    """``changes_within`` for one bracket."""
    return float(changes_within(predicate, lo, hi, after)[0])


def cheaper_than_api_above(line: HybridLine) -> float | None:
    """The volume above which the hybrid runs replicas and beats its API alone (None: never). The
    saving of n replicas, (a - c) sum_h a_h min(v p_h, n p_max / k) - F - n R, grows with v, so once
    some n pays it keeps paying: the first volume of VOLUME_GRID where one pays brackets it, and
    ``change_within`` finds it to float precision. Scalar lines."""
    a, c = float(np.ravel(line.api_per_unit)[0]), float(np.ravel(line.failover_per_unit)[0])
    k, R = float(np.ravel(line.replicas_per_unit)[0]), float(np.ravel(line.per_replica)[0])
    covered = float(line.slots.covered.sum())
    if a - c <= 0 or not math.isfinite(k) or (k > 0 and (a - c) * line.slots.peak * covered / k <= R):
        return None  # a replica busy in every covered hour saves no more than it costs
    if R <= 0 and float(np.ravel(line.fixed)[0]) <= 0 and line.slots.peak_covered > 0:
        return 0.0  # free replicas save something at any volume (no bisection into float underflow)
    pays = np.asarray(line.selfhost_pays(VOLUME_GRID), dtype=bool)
    if not pays.any():
        return None
    first = int(np.argmax(pays))
    if first == 0:
        return 0.0
    return change_within(line.selfhost_pays, float(VOLUME_GRID[first - 1]), float(VOLUME_GRID[first]), True)


def crossings_on_grid(cheaper, grid: np.ndarray) -> list[tuple[float, bool]]:
    """Where the predicate ``cheaper(volumes) -> bools`` changes along an ascending ``grid``, each
    change located to float precision between its two grid points (``changes_within``, all brackets at
    once): [(volume, cheaper above it)]. A change that reverses between two grid points is not seen;
    callers say the result is a grid's."""
    v = np.asarray(grid, dtype=float)
    state = np.asarray(cheaper(v), dtype=bool)
    at = np.flatnonzero(state[1:] != state[:-1])
    if at.size == 0:
        return []
    found = changes_within(cheaper, v[at], v[at + 1], state[at + 1])
    return [(float(x), bool(d)) for x, d in zip(found, state[at + 1], strict=True)]
