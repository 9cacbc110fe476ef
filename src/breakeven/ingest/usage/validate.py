"""Why a record is not aggregated, as one Ibis expression: a bad value (counted and reported with row
numbers), a record the format leaves out (a failed request), or a filter the user set. Every record
read is either aggregated or has exactly one reason."""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

BAD = {
    "malformed_json": "the record is not valid JSON",
    "malformed_line": "the CSV line does not split into the header's columns",
    "unparseable_time": "the time cannot be read",
    "missing_tokens": "no input or output token count",
    "non_numeric_tokens": "a token count is not a number",
    "non_integer_tokens": "a token count is not a whole number",
    "negative_tokens": "a token count is negative",
    "cached_exceeds_input": "cached input and cache writes exceed the input tokens",
    "missing_requests": "no request count",
    "non_numeric_requests": "the request count is not a number",
    "negative_requests": "the request count is negative",
    "non_numeric_cost": "the recorded cost is not a number",
    "negative_cost": "the recorded cost is negative",
    "non_numeric_duration": "the duration is not a number",
    "missing_model": "no model",
}
"""Reasons a record cannot be used, with their meaning."""
LEFT_OUT = {
    "failed_request": "a failed request (no tokens served)",
    "not_a_generation": "an observation that is not an LLM generation (a span or an event)",
    "cost_not_in_usd": "a cost line in another currency than USD",
}
FILTERED = {
    "before_since": "before --since",
    "after_until": "at or after --until",
    "other_model": "another model than --model",
}
TOKEN_FIELDS = ("input", "cached_input", "cache_write", "output")


def kind_of(reason: str) -> str:
    """bad, left_out or filtered."""
    return "bad" if reason in BAD else "left_out" if reason in LEFT_OUT else "filtered"


def describe(reason: str) -> str:
    return {**BAD, **LEFT_OUT, **FILTERED}.get(reason, reason)


@dataclass(frozen=True)
class Filters:
    since: float | None = None
    """Unix seconds, inclusive."""
    until: float | None = None
    """Unix seconds, exclusive."""
    models: tuple[str, ...] = ()


def _value_checks(r: ir.Table) -> list[tuple[ir.BooleanValue, str]]:
    tokens = [r[f] for f in TOKEN_FIELDS]
    has_usage = (r.requests > 0) | (r.input > 0) | (r.output > 0)
    return [
        (r.start_s.isnull(), "unparseable_time"),
        (has_usage & (r.model.isnull() | (r.model.strip() == "")), "missing_model"),
        (ibis.or_(*[t < 0 for t in tokens]), "negative_tokens"),
        (r.requests < 0, "negative_requests"),
        (r.cost.notnull() & (r.cost < 0), "negative_cost"),
        (ibis.or_(*[t != t.round() for t in tokens]), "non_integer_tokens"),
        (r.cached_input + r.cache_write > r.input, "cached_exceeds_input"),
    ]


def _filter_checks(r: ir.Table, f: Filters) -> list[tuple[ir.BooleanValue, str]]:
    checks = []
    start = r.start_s
    if f.since is not None:
        checks.append((start < f.since, "before_since"))
    if f.until is not None:
        checks.append((start >= f.until, "after_until"))
    if f.models:
        checks.append((~r.model.isin(list(f.models)), "other_model"))
    return checks


def validated(r: ir.Table, f: Filters) -> ir.Table:
    """The records with ``reason`` (null: aggregated); durations below zero (clocks out of step) are
    dropped, not the record."""
    reason = ibis.cases(
        (r.problem == "malformed_json", r.problem),
        (r.skip.notnull(), r.skip),
        (r.problem.notnull(), r.problem),
        *_value_checks(r),
        *_filter_checks(r, f),
        else_=ibis.null("string"),
    )
    duration = ibis.cases((r.duration_s >= 0, r.duration_s), else_=ibis.null("float64"))
    return r.mutate(reason=reason, duration_s=duration)
