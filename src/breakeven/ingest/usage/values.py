"""Typed values from raw log columns, whatever the source holds: text (CSV), JSON (JSONL, JSON
exports, JSON columns of a database) or typed columns (Parquet, databases). Every helper returns an
Ibis expression, so the same reader runs on DuckDB and on Postgres.

Times: text with an offset (``2026-06-01T10:00:00+02:00``, ``...Z``) is converted to UTC; text
without one, and database ``timestamp`` columns without a time zone, are taken as UTC (LiteLLM,
Helicone and OpenRouter write UTC). Numbers that look like Unix times are seconds below 1e11 and
milliseconds above (1e11 s is the year 5138; 1e11 ms is 1973).
"""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

UTC = "timestamp('UTC')"
EPOCH_MS_ABOVE = 1e11
"""Unix times above this are milliseconds, below it seconds."""


def const(n: int) -> ir.FloatingValue:
    """A whole number as float64 (typed in SQL too, so sums stay float64 on Postgres)."""
    return ibis.literal(n).cast("float64")


def _is_json(v: ir.Value) -> bool:
    return v.type().is_json()


def as_json(v: ir.Value) -> ir.JSONValue:
    """A JSON value: JSON columns as they are, text parsed (null where it is not JSON)."""
    return v if _is_json(v) else v.cast("string").try_cast("json")


def text(v: ir.Value) -> ir.StringValue:
    """Text of a value; JSON strings unquoted, JSON numbers written out."""
    if _is_json(v):
        return ibis.coalesce(v.str, v.float.cast("string"))
    if v.type().is_string():
        return v
    return v.cast("string")


def present(v: ir.Value) -> ir.BooleanValue:
    """The source holds something here: not null, not blank text, not JSON null."""
    t = text(v)
    return t.notnull() & (t.strip() != "")


def number(v: ir.Value) -> ir.FloatingValue:
    """A float64, null where the value is missing or is not a number."""
    if _is_json(v):
        return ibis.coalesce(v.float, v.str.strip().try_cast("float64"))
    if v.type().is_string():
        return v.strip().try_cast("float64")
    if v.type().is_numeric():
        return v.cast("float64")
    return text(v).try_cast("float64")


def _epoch(n: ir.FloatingValue) -> ir.TimestampValue:
    seconds = ibis.cases((n > EPOCH_MS_ABOVE, n / 1000), else_=n)
    return seconds.cast("int64").as_timestamp("s").cast(UTC)


def timestamp(v: ir.Value, epoch: bool = False) -> ir.TimestampValue:
    """A UTC timestamp, null where the value cannot be read. ``epoch``: Unix seconds (or ms) too."""
    dtype = v.type()
    if dtype.is_timestamp():
        return v if dtype.timezone else v.cast(dt.Timestamp(timezone="UTC"))
    if dtype.is_numeric():
        return _epoch(v.cast("float64"))
    parsed = text(v).strip().try_cast(UTC)
    return ibis.coalesce(parsed, _epoch(number(v))) if epoch else parsed


def epoch_seconds(ts: ir.TimestampValue) -> ir.FloatingValue:
    """Seconds since 1970-01-01 UTC (DuckDB and Postgres keep the fraction)."""
    return ts.epoch_seconds().cast("float64")


def seconds_between(start: ir.TimestampValue, end: ir.TimestampValue) -> ir.FloatingValue:
    """``end - start`` in seconds, to the millisecond."""
    return end.delta(start, unit="millisecond").cast("float64") / 1000


class Parsed:
    """Collects why a row cannot be read while its values are parsed: a value that is there but is
    not a number, or a required one that is missing. ``problem()`` names the first such field."""

    def __init__(self) -> None:
        self._checks: list[tuple[ir.BooleanValue, str]] = []

    def check(self, failed: ir.BooleanValue, reason: str) -> None:
        self._checks.append((failed, reason))

    def number(self, v: ir.Value | None, reason: str, required: bool = False) -> ir.FloatingValue:
        """``v`` as a number; 0 where it is optional and missing."""
        if v is None:
            if required:
                raise ValueError("a required column must exist")
            return const(0)
        value = number(v)
        self.check(present(v) & value.isnull(), reason)
        if required:
            self.check(~present(v), reason.replace("non_numeric", "missing"))
            return value
        return value.fill_null(0.0)

    def optional(self, v: ir.Value | None, reason: str) -> ir.FloatingValue:
        """``v`` as a number, null where it is missing (durations, costs)."""
        if v is None:
            return ibis.null("float64")
        value = number(v)
        self.check(present(v) & value.isnull(), reason)
        return value

    def problem(self) -> ir.StringValue:
        if not self._checks:
            return ibis.null("string")
        return ibis.cases(*self._checks, else_=ibis.null("string"))
