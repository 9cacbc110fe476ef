"""JSON output: results as JSON text with sensible rounding (the stable contract of every ``--json``)."""

from __future__ import annotations

import json
import math

from pydantic import BaseModel

SIGNIFICANT = 6
"""Significant digits kept for floats in JSON output."""


def rounded(value: object) -> object:
    """``value`` with floats kept to SIGNIFICANT digits, whole floats as ints, non-finite ones as null."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if value == int(value) and abs(value) < 1e15:
            return int(value)
        return float(f"{value:.{SIGNIFICANT}g}")
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [rounded(v) for v in value]
    return value


def finite(value: object) -> object:
    """``value`` with non-finite floats as null (JSON has no NaN or infinity), nothing rounded."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def to_json(obj: BaseModel | list | dict) -> str:
    """JSON text of a result (or list/dict of them), floats rounded to 6 significant digits."""
    data = obj.model_dump(mode="json") if isinstance(obj, BaseModel) else obj
    if isinstance(data, list):
        data = [d.model_dump(mode="json") if isinstance(d, BaseModel) else d for d in data]
    return json.dumps(rounded(data), indent=2)


def evaluation_json(e, curves: bool) -> dict:
    """An Evaluation as ``evaluate --json`` prints it (the stable contract): the cost curves (and the
    hybrid plans' curves) only when asked, and the uncertainty and horizon blocks only when they were computed."""
    exclude: dict = {} if curves else {"curves": True, "hybrid_curves": True}
    if e.uncertainty is None:
        exclude["uncertainty"] = True
    elif not curves:
        exclude["uncertainty"] = {"curves"}
    if e.horizon is None:
        exclude["horizon"] = True
    return e.model_dump(mode="json", exclude=exclude)
