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

from breakeven.ingest.usage.formats import UsageFormat, model_name, request_time
from breakeven.ingest.usage.values import Parsed, as_json, const, number, present, seconds_between, text, timestamp

CACHE_READ_KEYS = ("input_cached_tokens", "input_cache_read")
CACHE_WRITE_KEYS = ("input_cache_creation",)
OTHER_INPUT_KEYS = ("input_audio",)
OUTPUT_KEYS = ("output", "output_reasoning_tokens", "output_reasoning", "output_audio")


def _sum(details, keys, p: Parsed):
    total = const(0)
    for k in keys:
        total = total + p.number(details[k], "non_numeric_tokens")
    return total


def _usage(source, t, p: Parsed):
    details_col = source.col(t, "usageDetails")
    if details_col is None:
        details_col = source.col(t, "usage")
    if details_col is None:
        return {}
    details = as_json(details_col)
    p.check(~present(details["input"]) & ~present(details["output"]), "missing_tokens")
    cached = _sum(details, CACHE_READ_KEYS, p)
    written = _sum(details, CACHE_WRITE_KEYS, p)
    return {
        "input": _sum(details, ("input", *OTHER_INPUT_KEYS), p) + cached + written,
        "cached_input": cached,
        "cache_write": written,
        "output": _sum(details, OUTPUT_KEYS, p),
    }


def _cost(source, t, p: Parsed):
    costs = []
    if source.has("costDetails"):
        costs.append(number(as_json(source.col(t, "costDetails"))["total"]))
    for name in ("totalCost", "calculatedTotalCost"):
        if source.has(name):
            costs.append(p.optional(source.col(t, name), "non_numeric_cost"))
    return ibis.coalesce(*costs) if len(costs) > 1 else costs[0] if costs else ibis.null("float64")


def read(source, t):
    p = Parsed()
    kind = text(source.col(t, "type")).upper().strip()
    values = {
        **request_time(source, t, "startTime"),
        "record_id": text(source.col(t, "id")),
        "model": model_name(source, t, "model", "providedModelName"),
        **_usage(source, t, p),
        "cost": _cost(source, t, p),
        "skip": ibis.cases((kind != "GENERATION", "not_a_generation"), else_=ibis.null("string")),
    }
    if source.has("latency"):
        values["duration_s"] = p.optional(source.col(t, "latency"), "non_numeric_duration")
    elif source.has("endTime"):
        start, end = timestamp(source.col(t, "startTime")), timestamp(source.col(t, "endTime"))
        values["duration_s"] = seconds_between(start, end)
    if "input" not in values:
        values |= {"input": const(0), "output": const(0)}
        p.check(ibis.literal(True), "missing_tokens")
    values["problem"] = p.problem()
    return values


FORMAT = UsageFormat(
    name="langfuse",
    title="Langfuse observations",
    required=("id", "traceId", "startTime", "type"),
    read=read,
)
