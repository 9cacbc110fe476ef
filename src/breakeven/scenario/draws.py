"""Uncertain inputs and the values they take: their median (the point estimate), N seeded samples, or
a designed set of values (the tornado's one-at-a-time swings).

The resolve step asks a ``Draws`` for every uncertain figure it meets; the same key always gets the
same values, so one figure used twice (a GPU price behind every replica, an FX rate behind several
candidates) stays one draw per sample. Inputs that feed the performance model (GPU and engine figures,
the request shape, the service level, capacity overrides) are ``performance`` inputs: they take only
``performance_draws`` distinct values, tiled over the samples, so the capacity search runs once per
distinct value rather than once per sample.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np

from breakeven.amounts import Distribution

Bounds = tuple[float | None, float | None]
MAX_SAMPLES = 1_000_000
"""Most samples one evaluation draws (100,000 of a 4-candidate scenario take well under a second)."""
MIN_SAMPLES = 100
"""Fewest samples: below this a P10 rests on fewer than ten draws."""


@dataclass(frozen=True)
class Input:
    """One uncertain figure: where it comes from, what it measures, and how it is distributed."""

    key: str
    """The scenario field path (``candidates[2].staff.rate_per_hour``), or ``catalog:<kind>/<id>.<field>``."""
    name: str
    """As the assumptions list names it."""
    unit: str
    dist: Distribution
    performance: bool = False
    """Feeds the capacity search (drawn ``performance_draws`` times, tiled over the samples)."""
    bounds: Bounds = (0.0, None)
    """Values the figure may take; draws beyond them are clipped."""
    source: str = "scenario file"
    confidence: str = "est"

    def clip(self, values):
        lo, hi = self.bounds
        return np.clip(values, -np.inf if lo is None else lo, np.inf if hi is None else hi)

    def median(self) -> float:
        return float(self.clip(self.dist.median()))

    def ends(self) -> tuple[float, float]:
        """The range as written: low and high (for a normal or lognormal, its 5th and 95th percentiles)."""
        return float(self.clip(self.dist.low)), float(self.clip(self.dist.high))


class Draws:
    """Values for uncertain inputs; records every input asked for, in order."""

    size = 1

    def __init__(self) -> None:
        self.inputs: dict[str, Input] = {}

    def __call__(self, x: Input) -> float | np.ndarray:
        known = self.inputs.setdefault(x.key, x)
        if known.performance != x.performance:
            raise ValueError(f"{x.key} is asked for both as a performance input and as a cost input")
        return self.value(known)

    def value(self, x: Input) -> float | np.ndarray:
        return x.median()

    @property
    def performance_index(self) -> np.ndarray:
        """Which distinct performance draw each sample uses."""
        return np.zeros(self.size, dtype=int)


class PointDraws(Draws):
    """Every input at its median: the point estimate."""


def performance_draws_for(samples: int) -> int:
    """Distinct performance draws for ``samples`` cost samples: about the square root, between 16 and
    1,000 (never more than the samples). The performance part of every statistic then carries the
    error of about that many draws; docs/uncertainty.md gives the measured effect."""
    return min(samples, max(16, min(1000, math.ceil(math.sqrt(samples)))))


def stratified(dist: Distribution, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` draws with one in each of n equal-probability strata, in random order (Latin hypercube
    sampling, one input at a time): a few draws that still cover the whole distribution."""
    return dist.quantile((rng.permutation(n) + rng.uniform(size=n)) / n)


class SampleDraws(Draws):
    """``size`` samples from seeded streams, one stream per input key (adding an input elsewhere in a
    scenario leaves every other input's draws as they were)."""

    def __init__(self, size: int, seed: int, performance_draws: int | None = None) -> None:
        super().__init__()
        self.size, self.seed = size, seed
        self.performance_draws = performance_draws or performance_draws_for(size)
        self._cache: dict[str, np.ndarray] = {}

    def _rng(self, key: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, zlib.crc32(key.encode("utf-8"))])

    def value(self, x: Input) -> np.ndarray:
        if x.key not in self._cache:
            if x.performance:
                distinct = x.clip(stratified(x.dist, self._rng(x.key), self.performance_draws))
                values = distinct[np.arange(self.size) % self.performance_draws]
            else:
                values = x.clip(x.dist.sample(self._rng(x.key), self.size))
            self._cache[x.key] = values
        return self._cache[x.key]

    @property
    def performance_index(self) -> np.ndarray:
        if not any(x.performance for x in self.inputs.values()):
            return np.zeros(self.size, dtype=int)
        return np.arange(self.size) % self.performance_draws


class DesignDraws(Draws):
    """Chosen values: ``rows[key]`` for the inputs it names, the median elsewhere; ``performance_index``
    says which samples share performance inputs (and so one capacity search)."""

    def __init__(self, rows: dict[str, np.ndarray], size: int, performance_index: np.ndarray) -> None:
        super().__init__()
        self.rows, self.size, self._index = rows, size, performance_index

    def value(self, x: Input) -> np.ndarray:
        if x.key in self.rows:
            return np.asarray(self.rows[x.key], dtype=float)
        return np.full(self.size, x.median())

    @property
    def performance_index(self) -> np.ndarray:
        return self._index
