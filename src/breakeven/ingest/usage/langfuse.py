"""Langfuse observations (generations) export: the public API's observation objects
(langfuse/langfuse ``fern/apis/server/definition/commons.yml`` and ``observations-v2.yml``), as JSON
lines, a JSON array or CSV with JSON-encoded objects.

Columns used: ``id``, ``type`` (only ``GENERATION`` rows are requests), ``startTime``, ``endTime``,
``model`` (else ``providedModelName``), ``usageDetails`` (else the older ``usage``), ``costDetails.total``
(else ``totalCost``, ``calculatedTotalCost``; USD), ``latency`` (s). ``input``, ``output`` and
``metadata`` are never selected.

Usage details follow Langfuse's convention (langfuse/langfuse-python ``_parse_usage_model``; the
"Model Usage & Cost" docs): ``input`` is what remains after the cache and audio details were split out
into ``input_*`` keys, and every key holding "input" counts as input. Input here is ``input`` +
``input_cached_tokens`` + ``input_cache_read`` + ``input_cache_creation`` + ``input_audio``; cache
reads are ``input_cached_tokens`` + ``input_cache_read``; cache writes ``input_cache_creation``;
output is ``output`` + ``output_reasoning_tokens`` + ``output_reasoning`` + ``output_audio``.
"""

from __future__ import annotations

import ibis

from breakeven.ingest.usage.formats import UsageFormat, duration, model_name, request_time
from breakeven.ingest.usage.values import Parsed, json_path, present, text

CACHE_READ_KEYS = ("input_cached_tokens", "input_cache_read")
CACHE_WRITE_KEYS = ("input_cache_creation",)
OTHER_INPUT_KEYS = ("input_audio",)
OUTPUT_KEYS = ("output", "output_reasoning_tokens", "output_reasoning", "output_audio")


def _sum(engine, details, keys, p: Parsed):
    parts = [p.number(json_path(engine, details, k), "non_numeric_tokens") for k in keys]
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def _usage(source, t, p: Parsed):
    details_col = source.col(t, "usageDetails")
    if details_col is None:
        details_col = source.col(t, "usage")
    if details_col is None:
        return {}
    e = source.engine
    given = [present(json_path(e, details_col, k)) for k in ("input", "output")]
    p.check(~given[0] & ~given[1], "missing_tokens")
    cached = _sum(e, details_col, CACHE_READ_KEYS, p)
    written = _sum(e, details_col, CACHE_WRITE_KEYS, p)
    return {
        "input": _sum(e, details_col, ("input", *OTHER_INPUT_KEYS), p) + cached + written,
        "cached_input": cached,
        "cache_write": written,
        "output": _sum(e, details_col, OUTPUT_KEYS, p),
    }


def _cost(source, t, p: Parsed):
    costs = []
    if source.has("costDetails"):
        costs.append(p.optional(json_path(source.engine, source.col(t, "costDetails"), "total"), "non_numeric_cost"))
    for name in ("totalCost", "calculatedTotalCost"):
        if source.has(name):
            costs.append(p.optional(source.col(t, name), "non_numeric_cost"))
    return costs[0].coalesce(*costs[1:]) if costs else ibis.null("float64")


def read(source, t, p):
    kind = text(source.col(t, "type")).upper().strip()
    values = {
        **request_time(source, t, "startTime", p),
        "record_id": text(source.col(t, "id")),
        "model": model_name(source, t, "model", "providedModelName"),
        **_usage(source, t, p),
        "cost": _cost(source, t, p),
        "skip": ibis.cases((kind != "GENERATION", "not_a_generation"), else_=ibis.null("string")),
    }
    if source.has("latency"):
        values["duration_s"] = p.optional(source.col(t, "latency"), "non_numeric_duration")
    elif source.has("endTime"):
        values["duration_s"] = duration(source, t, values, "endTime", p)
    if "input" not in values:
        values |= {"input": 0.0, "output": 0.0}
        p.check(ibis.literal(True), "missing_tokens")
    return values


FORMAT = UsageFormat(
    name="langfuse",
    title="Langfuse observations",
    required=("id", "traceId", "startTime", "type"),
    read=read,
)
