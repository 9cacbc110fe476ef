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
