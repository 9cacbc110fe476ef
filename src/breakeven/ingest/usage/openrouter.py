"""OpenRouter activity export (the Activity page's CSV; columns as in the export, e.g.
``generation_id, created_at, cost_total, ..., tokens_prompt, tokens_completion, tokens_reasoning,
tokens_cached, model_permaslug, provider_name, generation_time_ms, time_to_first_token_ms``).

Columns used: ``created_at`` (UTC), ``model_permaslug``, ``tokens_prompt`` (cached included),
``tokens_cached``, ``tokens_completion`` (reasoning included: OpenRouter bills reasoning tokens as
completion tokens), ``cost_total`` (USD), ``generation_time_ms`` (request duration),
``generation_id``. The provider is OpenRouter (``provider_name`` is the upstream it routed to).
"""

from __future__ import annotations

import ibis

from breakeven.ingest.usage.formats import UsageFormat, model_name, request_time
from breakeven.ingest.usage.values import text


def read(source, t, p):
    values = {
        **request_time(source, t, "created_at", p),
        "record_id": text(source.col(t, "generation_id")) if source.has("generation_id") else ibis.null("string"),
        "model": model_name(source, t, "model_permaslug", "model"),
        "provider": ibis.literal("openrouter"),
        "input": p.number(source.col(t, "tokens_prompt"), "non_numeric_tokens", required=True),
        "cached_input": p.number(source.col(t, "tokens_cached"), "non_numeric_tokens"),
        "output": p.number(source.col(t, "tokens_completion"), "non_numeric_tokens", required=True),
        "cost": p.optional(source.col(t, "cost_total"), "non_numeric_cost"),
    }
    if source.has("generation_time_ms"):
        values["duration_s"] = p.optional(source.col(t, "generation_time_ms"), "non_numeric_duration") / 1000
    return values


FORMAT = UsageFormat(
    name="openrouter",
    title="OpenRouter activity",
    required=("created_at", "tokens_prompt", "tokens_completion", "model_permaslug"),
    read=read,
)
