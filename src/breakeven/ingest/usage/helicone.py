"""Helicone request export (``npx @helicone/export`` or the requests API; field names of
``HeliconeRequest`` in Helicone/helicone ``packages/llm-mapper/types.ts``), as CSV, JSON lines or JSON.

Columns used: ``request_created_at``, ``model`` (else ``model_override``, ``response_model``,
``request_model``), ``provider``, ``prompt_tokens`` (all input tokens, taken to include the cache
reads and writes), ``prompt_cache_read_tokens``, ``prompt_cache_write_tokens``, ``completion_tokens``,
``delay_ms`` (request latency), ``costUSD`` (else ``cost``; USD), ``response_status`` (non-2xx responses
are failed requests and left out), ``request_id``. Bodies (``request_body``, ``response_body``) are
never selected.
"""

from __future__ import annotations

import ibis

from breakeven.ingest.usage.formats import UsageFormat, model_name, request_time
from breakeven.ingest.usage.values import number, text


def read(source, t, p):
    values = {
        **request_time(source, t, "request_created_at", p),
        "record_id": text(source.col(t, "request_id")) if source.has("request_id") else ibis.null("string"),
        "model": model_name(source, t, "model", "model_override", "response_model", "request_model"),
        "provider": model_name(source, t, "provider").lower(),
        "input": p.number(source.col(t, "prompt_tokens"), "non_numeric_tokens", required=True),
        "cached_input": p.number(source.col(t, "prompt_cache_read_tokens"), "non_numeric_tokens"),
        "cache_write": p.number(source.col(t, "prompt_cache_write_tokens"), "non_numeric_tokens"),
        "output": p.number(source.col(t, "completion_tokens"), "non_numeric_tokens", required=True),
        "duration_s": p.optional(source.col(t, "delay_ms"), "non_numeric_duration") / 1000,
    }
    cost = [source.col(t, c) for c in ("costUSD", "cost") if source.has(c)]
    if cost:
        values["cost"] = p.optional(cost[0], "non_numeric_cost")
    status = source.col(t, "response_status")
    if status is not None:
        code = number(status)
        values["skip"] = ibis.cases(((code < 200) | (code >= 300), "failed_request"), else_=ibis.null("string"))
    return values


FORMAT = UsageFormat(
    name="helicone",
    title="Helicone requests",
    required=("request_created_at", "prompt_tokens", "completion_tokens"),
    read=read,
)
