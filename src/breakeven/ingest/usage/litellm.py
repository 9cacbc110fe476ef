"""LiteLLM proxy spend logs: the ``LiteLLM_SpendLogs`` table (BerriAI/litellm ``schema.prisma``),
exported as CSV or JSON lines, or read live from the proxy's Postgres database.

Columns used: ``startTime``, ``endTime`` (duration), ``model`` (else ``model_group``),
``custom_llm_provider``, ``prompt_tokens`` (cache reads and writes included, OpenAI-style),
``completion_tokens``, ``spend`` (USD, from LiteLLM's cost map), ``status`` (failed requests are left
out), ``request_id``; cache reads and writes from ``metadata.usage_object`` (``cache_read_input_tokens``,
else ``prompt_tokens_details.cached_tokens``; ``cache_creation_input_tokens``), where LiteLLM's own
daily-spend job reads them (``litellm/proxy/db/db_spend_update_writer.py``). ``messages``, ``response``
and ``proxy_server_request`` are never selected.
"""

from __future__ import annotations

import ibis

from breakeven.ingest.usage.formats import UsageFormat, model_name, request_time
from breakeven.ingest.usage.values import Parsed, as_json, number, seconds_between, text, timestamp

TABLE = "LiteLLM_SpendLogs"


def _cache_tokens(source, t):
    meta = source.col(t, "metadata")
    if meta is None:
        return None, None
    usage = as_json(meta)["usage_object"]
    read = ibis.coalesce(
        number(usage["cache_read_input_tokens"]), number(usage["prompt_tokens_details"]["cached_tokens"])
    )
    return read.fill_null(0.0), number(usage["cache_creation_input_tokens"]).fill_null(0.0)


def read(source, t):
    p = Parsed()
    start = source.col(t, "startTime")
    end = source.col(t, "endTime")
    cached, written = _cache_tokens(source, t)
    status = source.col(t, "status")
    failed = text(status).lower().strip().isin(["failure", "failed", "error"]) if status is not None else None
    values = {
        **request_time(source, t, "startTime"),
        "record_id": text(source.col(t, "request_id")) if source.has("request_id") else ibis.null("string"),
        "model": model_name(source, t, "model", "model_group"),
        "provider": model_name(source, t, "custom_llm_provider"),
        "input": p.number(source.col(t, "prompt_tokens"), "non_numeric_tokens", required=True),
        "output": p.number(source.col(t, "completion_tokens"), "non_numeric_tokens", required=True),
        "cost": p.optional(source.col(t, "spend"), "non_numeric_cost"),
    }
    if cached is not None:
        values |= {"cached_input": cached, "cache_write": written}
    if end is not None:
        values["duration_s"] = seconds_between(timestamp(start), timestamp(end))
    if failed is not None:
        values["skip"] = ibis.cases((failed, "failed_request"), else_=ibis.null("string"))
    values["problem"] = p.problem()
    return values


FORMAT = UsageFormat(
    name="litellm",
    title="LiteLLM spend logs (LiteLLM_SpendLogs)",
    required=("startTime", "model", "prompt_tokens", "completion_tokens", "spend"),
    read=read,
    default_table=TABLE,
)
