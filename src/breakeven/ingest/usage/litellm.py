"""LiteLLM proxy spend logs: the ``LiteLLM_SpendLogs`` table (BerriAI/litellm ``schema.prisma``),
exported as CSV or JSON lines, or read live from the proxy's Postgres database.

Columns used: ``startTime``, ``request_duration_ms`` (else ``endTime`` - ``startTime``), ``model``
(else ``model_group``), ``custom_llm_provider``, ``prompt_tokens`` (cache reads and writes included, OpenAI-style),
``completion_tokens``, ``spend`` (USD, from LiteLLM's cost map), ``status`` (failed requests are left
out), ``request_id``; cache reads and writes from ``metadata.usage_object`` (``cache_read_input_tokens``,
else ``prompt_tokens_details.cached_tokens``; ``cache_creation_input_tokens``), where LiteLLM's own
daily-spend job reads them (``litellm/proxy/db/db_spend_update_writer.py``). ``messages``, ``response``
and ``proxy_server_request`` are never selected.
"""

from __future__ import annotations

import ibis

from breakeven.ingest.usage.formats import UsageFormat, duration, model_name, request_time
from breakeven.ingest.usage.values import json_paths, number, text

TABLE = "LiteLLM_SpendLogs"


def _cache_tokens(source, t):
    meta = source.col(t, "metadata")
    if meta is None:
        return None, None

    keys = (("cache_read_input_tokens",), ("prompt_tokens_details", "cached_tokens"), ("cache_creation_input_tokens",))
    found = json_paths(source.engine, meta, *(("usage_object", *k) for k in keys))
    read, details, written = (number(v) for v in found)
    return ibis.coalesce(read, details).fill_null(0.0), written.fill_null(0.0)


def read(source, t, p):
    cached, written = _cache_tokens(source, t)
    status = source.col(t, "status")
    failed = text(status).isin(["failure", "failed", "error"]) if status is not None else None
    values = {
        **request_time(source, t, "startTime", p),
        "record_id": text(source.col(t, "request_id")) if source.has("request_id") else ibis.null("string"),
        "model": model_name(source, t, "model", "model_group"),
        "provider": model_name(source, t, "custom_llm_provider"),
        "input": p.number(source.col(t, "prompt_tokens"), "non_numeric_tokens", required=True),
        "output": p.number(source.col(t, "completion_tokens"), "non_numeric_tokens", required=True),
        "cost": p.optional(source.col(t, "spend"), "non_numeric_cost"),
    }
    if cached is not None:
        values |= {"cached_input": cached, "cache_write": written}
    if source.has("request_duration_ms"):  # newer proxies log it: no second time to parse
        values["duration_s"] = p.optional(source.col(t, "request_duration_ms"), "non_numeric_duration") / 1000
    elif source.has("endTime"):
        values["duration_s"] = duration(source, t, values, "endTime", p)
    if failed is not None:
        values["skip"] = ibis.cases((failed, "failed_request"), else_=ibis.null("string"))
    return values


FORMAT = UsageFormat(
    name="litellm",
    title="LiteLLM spend logs (LiteLLM_SpendLogs)",
    required=("startTime", "model", "prompt_tokens", "completion_tokens", "spend"),
    read=read,
    default_table=TABLE,
)
