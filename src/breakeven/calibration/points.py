"""The bundled measured points (catalog/data/measurements.yaml), loaded lazily."""

from __future__ import annotations

import functools
from importlib import resources

import yaml

from breakeven.catalog.schema import Measurement
from breakeven.catalog.store import FAST_LOADER


@functools.cache
def measurements() -> tuple[Measurement, ...]:
    text = resources.files("breakeven.catalog").joinpath("data", "measurements.yaml").read_text(encoding="utf-8")
    return tuple(Measurement.model_validate(m) for m in yaml.load(text, Loader=FAST_LOADER)["measurements"])


def points_of(engine_id: str, use: str | None = None) -> list[Measurement]:
    """Points measured with one engine, optionally only those for fitting or for validation."""
    return [m for m in measurements() if m.engine == engine_id and (use is None or m.use == use)]


SMALL_BATCH_MAX = 16
"""Concurrency up to which a point counts as small batch (latency-bound serving)."""
MAX_THROUGHPUT_MIN = 64
"""Concurrency from which a point counts as max throughput (offline or burst benchmarks)."""


def regime(point: Measurement) -> str:
    """'small batch', 'max throughput' (as many as fit, or concurrency >= 64) or 'between'."""
    if point.concurrency == "max" or point.concurrency >= MAX_THROUGHPUT_MIN:
        return "max throughput"
    return "small batch" if point.concurrency <= SMALL_BATCH_MAX else "between"
