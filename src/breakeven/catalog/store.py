"""Loading the bundled catalogs: lazily, once, validated by the strict models."""

from __future__ import annotations

import difflib
import functools
from importlib import resources

import yaml
from pydantic import ValidationError

from breakeven import limits
from breakeven.catalog.figures import AvailabilityFigure, DowntimeCost, GridIntensity, UserProfile
from breakeven.catalog.offers import ApiOffer, FxRate, GpuOwnOffer, GpuRentOffer
from breakeven.catalog.schema import EngineProfile, Gpu, Model, Sourced, SpeculationMethod
from breakeven.errors import InputError, UnknownIdError

FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it (10x faster on the catalogs), else the pure-Python one."""

KINDS: dict[str, tuple[str, type[Sourced]]] = {
    "gpus": ("gpus.yaml", Gpu),
    "models": ("models.yaml", Model),
    "engines": ("engines.yaml", EngineProfile),
    "speculation": ("speculation.yaml", SpeculationMethod),
    "gpu-rent": ("gpu_rent.yaml", GpuRentOffer),
    "gpu-own": ("gpu_own.yaml", GpuOwnOffer),
    "api-offers": ("api_offers.yaml", ApiOffer),
    "fx": ("fx.yaml", FxRate),
    "availability": ("availability.yaml", AvailabilityFigure),
    "downtime-costs": ("downtime_costs.yaml", DowntimeCost),
    "grid-intensity": ("grid_intensity.yaml", GridIntensity),
    "user-profiles": ("user_profiles.yaml", UserProfile),
}
"""Catalog kind -> (file in the package's data folder, entry model)."""


class CatalogError(RuntimeError):
    """A bundled catalog file is invalid (a bug in the package, not in user input)."""


def _read(kind: str) -> list[dict]:
    name, _ = KINDS[kind]
    text = resources.files("breakeven.catalog").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=FAST_LOADER)[kind]


@functools.cache
def entries(kind: str) -> tuple[Sourced, ...]:
    """All entries of a catalog kind, validated, in file order."""
    _, model = KINDS[kind]
    try:
        items = tuple(model.model_validate(raw) for raw in _read(kind))
    except ValidationError as exc:
        raise CatalogError(f"bundled catalog '{kind}' is invalid: {exc}") from exc
    ids = [e.id for e in items]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise CatalogError(f"bundled catalog '{kind}' repeats ids: {sorted(dupes)}")
    return items


@functools.cache
def _index(kind: str) -> dict[str, Sourced]:
    index: dict[str, Sourced] = {}
    for entry in entries(kind):
        for key in [entry.id, *getattr(entry, "aliases", [])]:
            index[key.lower()] = entry
    return index


def lookup(kind: str, key: str) -> Sourced:
    """The entry with this id or alias (case-insensitive); UnknownIdError lists close matches."""
    index = _index(kind)
    found = index.get(key.strip().lower())
    if found is not None:
        return found
    singular = {"gpus": "gpu", "models": "model", "engines": "engine", "speculation": "speculative.method"}.get(
        kind, kind
    )
    if len(key) > limits.NAME_CHARS:
        raise InputError(singular, f"{key[:40]}...", f"an id of at most {limits.NAME_CHARS} characters")
    close = difflib.get_close_matches(key.lower(), list(index), n=4, cutoff=0.5)
    close_ids = list(dict.fromkeys(index[c].id for c in close))
    raise UnknownIdError(singular, key, [e.id for e in entries(kind)], close_ids)
