"""Any CSV, JSON lines, JSON or Parquet file (or database table) with a column mapping:
``--map time=ts,input=prompt_tok,output=completion_tok,model=model_name``.

Fields: ``time`` (required; ISO 8601 with or without an offset, or Unix seconds or milliseconds),
``input`` and ``output`` (required; input includes cached tokens), ``model``, ``provider``,
``cached_input``, ``cache_write``, ``requests`` (default 1 per row), ``duration_s`` or ``duration_ms``
or ``end_time`` (request duration), ``cost`` (USD), ``id``.
"""

from __future__ import annotations

import ibis

from breakeven.errors import InputError
from breakeven.ingest.usage.formats import UsageFormat, duration, model_name, request_time
from breakeven.ingest.usage.values import text

FIELDS = (
    "time",
    "input",
    "output",
    "model",
    "provider",
    "cached_input",
    "cache_write",
    "requests",
    "duration_s",
    "duration_ms",
    "end_time",
    "cost",
    "id",
)
REQUIRED = ("time", "input", "output")


def parse_map(spec: str) -> dict[str, str]:
    """``"time=ts,input=prompt_tok"`` -> {"time": "ts", "input": "prompt_tok"}."""
    mapping: dict[str, str] = {}
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        key, sep, column = part.partition("=")
        key, column = key.strip(), column.strip()
        if not sep or not column:
            raise InputError("map", part, "FIELD=COLUMN pairs separated by commas, e.g. time=ts,input=prompt_tok")
        if key not in FIELDS:
            raise InputError("map", key, f"one of {', '.join(FIELDS)}")
        mapping[key] = column
    lacking = [f for f in REQUIRED if f not in mapping]
    if lacking:
        raise InputError("map", spec, f"a mapping with at least {', '.join(REQUIRED)}; {', '.join(lacking)} missing")
    return mapping


def _reader(mapping: dict[str, str]):
    def column(source, t, field):
        name = mapping.get(field)
        return None if name is None else source.col(t, name)

    def read(source, t, p):
        values = {
            **request_time(source, t, mapping["time"], p, epoch=True),
            "model": model_name(source, t, mapping["model"]) if "model" in mapping else ibis.null("string"),
            "input": p.number(column(source, t, "input"), "non_numeric_tokens", required=True),
            "output": p.number(column(source, t, "output"), "non_numeric_tokens", required=True),
            "cached_input": p.number(column(source, t, "cached_input"), "non_numeric_tokens"),
            "cache_write": p.number(column(source, t, "cache_write"), "non_numeric_tokens"),
        }
        if "provider" in mapping:
            values["provider"] = model_name(source, t, mapping["provider"])
        if "id" in mapping:
            values["record_id"] = text(column(source, t, "id"))
        if "requests" in mapping:
            values["requests"] = p.number(column(source, t, "requests"), "non_numeric_requests", required=True)
        if "cost" in mapping:
            values["cost"] = p.optional(column(source, t, "cost"), "non_numeric_cost")
        if "duration_s" in mapping:
            values["duration_s"] = p.optional(column(source, t, "duration_s"), "non_numeric_duration")
        elif "duration_ms" in mapping:
            values["duration_s"] = p.optional(column(source, t, "duration_ms"), "non_numeric_duration") / 1000
        elif "end_time" in mapping:
            values["duration_s"] = duration(source, t, values, mapping["end_time"], p, epoch=True)
        return values

    return read


def generic_format(mapping: dict[str, str]) -> UsageFormat:
    """A format reading the mapped columns."""
    return UsageFormat(
        name="generic",
        title="generic usage table (--map)",
        required=tuple(dict.fromkeys(mapping.values())),
        read=_reader(mapping),
    )
