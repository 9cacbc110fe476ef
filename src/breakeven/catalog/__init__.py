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
from dataclasses import dataclass
from typing import Literal

from breakeven.catalog.hf_config import load_config
from breakeven.catalog.schema import EngineProfile, Gpu, Model, Provenance, Sourced, SpeculationMethod
from breakeven.catalog.store import KINDS, entries, lookup

__all__ = [
    "EngineProfile",
    "Gpu",
    "Model",
    "StaleFigure",
    "all_entries",
    "engine",
    "engines",
    "gpu",
    "gpus",
    "json_schema",
    "model",
    "models",
    "speculation_method",
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


def speculation_method(key: str) -> SpeculationMethod:
    """A speculative-decoding method (mtp, eagle, draft_model, ngram) with its typical draft tokens and
    acceptance."""
    return lookup("speculation", key)  # type: ignore[return-value]


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


@dataclass(frozen=True)
class StaleFigure:
    """A figure older than the age asked for: when it was ``checked``, or the date it is ``dated``
    (an FX rate's date, a price's ``as_of``)."""

    kind: str
    id: str
    figure: str
    date: dt.date
    by: Literal["checked", "dated"]


def figure_date(entry: Sourced, prov: Provenance) -> dt.date | None:
    """The date a figure is for: its provenance's ``as_of``, or an FX rate's own date."""
    if prov.as_of is not None:
        return prov.as_of
    return getattr(entry, "date", None) if prov is entry.provenance else None


def stale(max_age_days: int, today: dt.date, kind: str | None = None) -> list[StaleFigure]:
    """Every figure checked more than ``max_age_days`` ago, or dated (for) earlier than that: a
    rate of 199 days ago is stale even if someone looked at it yesterday."""
    limit = today - dt.timedelta(days=max_age_days)
    found = []
    for k, e in all_entries(kind):
        for figure, prov in [("(entry)", e.provenance), *e.figures.items()]:
            if prov.checked < limit:
                found.append(StaleFigure(k, e.id, figure, prov.checked, "checked"))
            dated = figure_date(e, prov)
            if dated is not None and dated < limit:
                found.append(StaleFigure(k, e.id, figure, dated, "dated"))
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
