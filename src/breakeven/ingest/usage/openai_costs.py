"""OpenAI organization costs: the Costs API's time buckets (``GET /v1/organization/costs``;
openai/openai-openapi ``openapi.yaml``, schema ``CostsResult``), saved as the API's JSON pages.

Each result is a cost line: ``amount.value`` in ``amount.currency`` (USD; lines in another currency
are left out and counted), ``line_item`` (with ``group_by=line_item``, e.g. ``gpt-4o-2024-08-06,
input``: the model is the part before the comma), ``start_time``. Cost lines carry no tokens or
requests: they add to the recorded bill only.
"""

from __future__ import annotations

import ibis

from breakeven.ingest.usage.formats import UsageFormat, request_time
from breakeven.ingest.usage.values import const, json_path, number, text


def _model(line_item):
    name = text(line_item).split(",")[0].strip()
    return ibis.cases((name == "", ibis.null("string")), else_=name)


def read(source, t, p):
    amount = source.col(t, "amount")
    currency = json_path(source.engine, amount, "currency").lower().strip()
    line_item = source.col(t, "line_item")
    value = number(json_path(source.engine, amount, "value"))
    p.check(value.isnull(), "non_numeric_cost")
    return {
        **request_time(source, t, "start_time", p, epoch=True),
        "model": _model(line_item) if line_item is not None else ibis.null("string"),
        "provider": ibis.literal("openai"),
        "requests": const(0),
        "input": const(0),
        "output": const(0),
        "cost": value,
        "skip": ibis.cases((currency.notnull() & (currency != "usd"), "cost_not_in_usd"), else_=ibis.null("string")),
    }


FORMAT = UsageFormat(
    name="openai-costs",
    title="OpenAI organization costs (costs buckets)",
    required=("start_time", "amount"),
    read=read,
)
