"""How the bundled calibration does on its points: every fit and validate point predicted by the
shipped profiles, with its class (dense or MoE), its regime and its leave-one-out error, and the
median and 90th-percentile |error| per group against the bounds validation points are held to.
``outputs/calibration_tables.py`` renders these as the tables of docs/calibration.md."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from breakeven.calibration.bundled import FIT_PLAN, check
from breakeven.calibration.fit import PointError
from breakeven.calibration.points import regime
from breakeven.catalog import model

MEDIAN_BOUND = 0.10
"""Median |error| the validation points are held to, per group (issue: the bar is outside data)."""
P90_BOUND = 0.25
"""90th-percentile |error| the validation points are held to, per group."""


def error_stats(errors: list[float]) -> tuple[int, float, float]:
    """(n, median |error|, 90th-percentile |error|) of relative errors."""
    e = np.abs(errors)
    return len(e), float(np.median(e)), float(np.percentile(e, 90))


def within_bounds(median: float, p90: float) -> bool:
    return median <= MEDIAN_BOUND and p90 <= P90_BOUND


@dataclass(frozen=True)
class Row:
    """One point's prediction by the shipped profile, with its class and leave-one-out prediction."""

    error: PointError
    moe: bool
    regime: str
    loo: float | None

    @property
    def loo_error(self) -> float | None:
        return None if self.loo is None else self.loo / self.error.point.value - 1.0


def rows(loo: dict[str, dict[str, float]]) -> list[Row]:
    """Every fit and validate point, predicted by the shipped profiles, in catalog order by engine."""
    out = []
    for engine_id in FIT_PLAN:
        for e in check(engine_id).errors:
            p = e.point
            out.append(Row(e, model(p.model).moe is not None, regime(p), loo.get(engine_id, {}).get(p.id)))
    return out


@dataclass(frozen=True)
class GroupStats:
    group: str
    use: str
    n: int
    median: float
    p90: float

    @property
    def met(self) -> bool:
        return within_bounds(self.median, self.p90)


GROUPS = {
    "dense": lambda r: not r.moe,
    "MoE": lambda r: r.moe,
    "small batch": lambda r: r.regime == "small batch",
    "max throughput": lambda r: r.regime == "max throughput",
}
"""The groups the validation bounds apply to, each separately."""


def group_stats(table_rows: list[Row]) -> list[GroupStats]:
    """Median and 90th-percentile |error| of the shipped profiles, per group and per use."""
    out = []
    for use in ("validate", "fit"):
        for name, member in GROUPS.items():
            errors = [r.error.relative_error for r in table_rows if r.error.point.use == use and member(r)]
            if errors:
                out.append(GroupStats(name, use, *error_stats(errors)))
    return out
