"""The catalogs: GPUs, models and engine profiles, each figure with its provenance.

    >>> from breakeven import catalog
    >>> catalog.gpu("h100").memory_gib
    80.0

Files load lazily on first use and are cached; nothing is read at import.
"""

from __future__ import annotations

import datetime as dt
import json
import os

from breakeven.catalog.hf_config import load_config
from breakeven.catalog.schema import EngineProfile, Gpu, Model, Sourced
from breakeven.catalog.store import KINDS, entries, lookup

__all__ = [
    "EngineProfile",
    "Gpu",
    "Model",
    "all_entries",
    "engine",
    "engines",
    "gpu",
    "gpus",
    "json_schema",
    "model",
    "models",
    "stale",
]


def gpus() -> tuple[Gpu, ...]:
    return entries("gpus")  # type: ignore[return-value]


def models() -> tuple[Model, ...]:
    return entries("models")  # type: ignore[return-value]


def engines() -> tuple[EngineProfile, ...]:
    return entries("engines")  # type: ignore[return-value]


def gpu(key: str) -> Gpu:
    """A GPU by id or alias."""
    return lookup("gpus", key)  # type: ignore[return-value]


def engine(key: str) -> EngineProfile:
    """An engine profile by id."""
    return lookup("engines", key)  # type: ignore[return-value]


def looks_like_path(key: str) -> bool:
    """Whether a model key names a file: it ends in .json or holds a path separator (catalog ids do
    neither). Only such keys are ever opened; anything else is looked up as an id."""
    return key.endswith(".json") or "/" in key or (os.sep != "/" and os.sep in key)


def model(key: str, today: dt.date | None = None) -> Model:
    """A model by id or alias, or from a Hugging Face config.json path (a key that looks like a path)."""
    if looks_like_path(key):
        return load_config(key, today or dt.date.today())
    return lookup("models", key)  # type: ignore[return-value]


def all_entries(kind: str | None = None) -> list[tuple[str, Sourced]]:
    """(kind, entry) for every entry of one kind or of all kinds."""
    kinds = [kind] if kind else list(KINDS)
    return [(k, e) for k in kinds for e in entries(k)]


def stale(max_age_days: int, today: dt.date, kind: str | None = None) -> list[tuple[str, str, str, dt.date]]:
    """(kind, id, figure, checked) for every figure checked more than ``max_age_days`` ago."""
    limit = today - dt.timedelta(days=max_age_days)
    found = []
    for k, e in all_entries(kind):
        for figure, prov in [("(entry)", e.provenance), *e.figures.items()]:
            if prov.checked < limit:
                found.append((k, e.id, figure, prov.checked))
    return found


def json_schema(kind: str) -> dict:
    """JSON Schema of one catalog file (``{kind: [entry, ...]}``), for editors."""
    _, entry_model = KINDS[kind]
    item = entry_model.model_json_schema()
    defs = item.pop("$defs", {})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"breakeven {kind} catalog",
        "type": "object",
        "additionalProperties": False,
        "required": [kind],
        "properties": {kind: {"type": "array", "items": {"$ref": f"#/$defs/{entry_model.__name__}"}}},
        "$defs": {**defs, entry_model.__name__: item},
    }


def json_schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, sort_keys=True) + "\n"
