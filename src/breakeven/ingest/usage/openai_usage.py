"""OpenAI organization usage: the Completions usage API's time buckets
(``GET /v1/organization/usage/completions``; openai/openai-openapi ``openapi.yaml``, schema
``UsageCompletionsResult``), saved as the API's JSON pages or flattened to one row per result with the
bucket's ``start_time``/``end_time`` (as OpenAI's cookbook does).

Columns used: ``start_time``, ``end_time`` (Unix seconds), ``model`` (present with
``group_by=model``), ``num_model_requests``, ``input_tokens`` (cached included),
``input_cached_tokens``, ``output_tokens``. Buckets carry no per-request sizes or latencies: request
size percentiles and concurrency need per-request logs, and an hour-of-day profile needs buckets of
an hour or less (``bucket_width=1h`` or ``1m``).
"""

from __future__ import annotations

import ibis

from breakeven.ingest.usage.formats import UsageFormat, model_name, request_time
from breakeven.ingest.usage.values import const, number


def read(source, t, p):
    start = source.col(t, "start_time")
    end = source.col(t, "end_time")
    width = (number(end) - number(start)) if end is not None else const(0)
    values = {
        **request_time(source, t, "start_time", p, epoch=True),
        "model": model_name(source, t, "model"),
        "provider": ibis.literal("openai"),
        "requests": p.number(source.col(t, "num_model_requests"), "non_numeric_requests", required=True),
        "input": p.number(source.col(t, "input_tokens"), "non_numeric_tokens", required=True),
        "cached_input": p.number(source.col(t, "input_cached_tokens"), "non_numeric_tokens"),
        "output": p.number(source.col(t, "output_tokens"), "non_numeric_tokens", required=True),
        "bucket_s": width.fill_null(0.0),
    }
    return values


FORMAT = UsageFormat(
    name="openai-usage",
    title="OpenAI organization usage (completions buckets)",
    required=("start_time", "input_tokens", "output_tokens", "num_model_requests"),
    read=read,
)
