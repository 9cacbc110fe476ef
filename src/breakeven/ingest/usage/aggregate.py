"""The aggregation, written once in Ibis and run where the records are (DuckDB for files, the
database for a database URL): only these aggregates leave the engine.

- ``reason_counts``: records per reason (None: aggregated);
- ``rejected``: the first rows of each reason, for the report;
- ``totals``: requests, tokens, recorded cost, the period, durations, request-size percentiles;
- ``by_model_month``: requests, tokens and recorded cost per model, provider and UTC month;
- ``quarter_hours``: requests, tokens and request seconds per 15 minutes (UTC), from which the
  hour-of-day profile in any time zone (every zone's offset is a multiple of 15 min), the monthly
  trend and the concurrency per hour follow.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

QUARTER_HOUR_S = 900
PERCENTILES = (0.5, 0.9, 0.99)
ROWS_LISTED = 20
"""Row numbers listed per reason a record was not aggregated."""
SAMPLES = 3
"""Records shown per reason."""
TOKENS = ("input", "cached_input", "cache_write", "output")
COST_UNITS_PER_USD = 10**10
"""Costs are summed as whole 1e-10 USD and durations as whole milliseconds: integer sums are exact,
so every engine, whatever order it adds in, gives the same totals."""
MS_PER_S = 1000


def _cost_sum(t: ir.Table) -> ir.IntegerValue:
    return (t.cost * COST_UNITS_PER_USD).round().cast("int64").sum()


def _request_ms(t: ir.Table) -> ir.IntegerValue:
    return (t.duration_s * t.requests * MS_PER_S).round().cast("int64").sum()


def _exact(row: dict) -> dict:
    """Integer sums back to USD and seconds."""
    out = dict(row)
    if "cost" in out:
        out["cost"] = None if out["cost"] is None else out["cost"] / COST_UNITS_PER_USD
    if "duration_sum_s" in out:
        out["duration_sum_s"] = None if out["duration_sum_s"] is None else out["duration_sum_s"] / MS_PER_S
    return out


def _rows(expr: ir.Table) -> list[dict]:
    return [_exact(r) for r in expr.to_pyarrow().to_pylist()]


def reason_counts(v: ir.Table) -> dict[str | None, int]:
    return {r["reason"]: int(r["n"]) for r in _rows(v.group_by("reason").aggregate(n=v.count()))}


def rejected(v: ir.Table) -> list[dict]:
    """Up to ROWS_LISTED records per reason, first rows first."""
    bad = v.filter(v.reason.notnull())
    w = ibis.window(group_by=bad.reason, order_by=[bad.source, bad.row, bad.start_s])
    ranked = bad.mutate(k=ibis.row_number().over(w))
    first = ranked.filter(ranked.k < ROWS_LISTED)
    cols = ("reason", "source", "row", "record_id", "time_raw", "model", "k")
    return _rows(first.select(*cols).order_by(["reason", "k"]))


def _sums(t: ir.Table) -> dict[str, ir.Value]:
    return {
        "records": t.count(),
        "requests": t.requests.sum(),
        **{f: t[f].sum() for f in TOKENS},
        "cost": _cost_sum(t),
        "cost_records": t.cost.count(),
    }


def totals(u: ir.Table) -> dict:
    """Totals over the aggregated records (``u``: reason is null)."""
    single = (u.bucket_s == 0) & (u.requests == 1)
    quantiles = {
        f"{field}_p{round(q * 100)}": u[field].quantile(q, where=single)
        for field in ("input", "output")
        for q in PERCENTILES
    }
    agg = u.aggregate(
        **_sums(u),
        first_s=u.start_s.min(),
        last_s=u.start_s.max(),
        last_end_s=(u.start_s + u.bucket_s).max(),
        max_bucket_s=u.bucket_s.max(),
        single_requests=u.count(where=single),
        duration_sum_s=_request_ms(u),
        requests_with_duration=u.requests.sum(where=u.duration_s.notnull()),
        **quantiles,
    )
    return _rows(agg)[0]


def by_model_month(u: ir.Table) -> list[dict]:
    keys = {"model": u.model, "provider": u.provider, "month": u.time.truncate("M")}
    return _rows(u.group_by(**keys).aggregate(**_sums(u)).order_by(["model", "provider", "month"]))


def quarter_hours(u: ir.Table) -> list[dict]:
    m = u.mutate(q=(u.start_s / QUARTER_HOUR_S).floor().cast("int64"))
    agg = m.group_by("q").aggregate(
        requests=m.requests.sum(),
        input=m.input.sum(),
        output=m.output.sum(),
        duration_sum_s=_request_ms(m),
        requests_with_duration=m.requests.sum(where=m.duration_s.notnull()),
    )
    return _rows(agg.order_by("q"))
