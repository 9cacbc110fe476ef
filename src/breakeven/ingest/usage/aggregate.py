"""The aggregation, written once in Ibis and run where the records are (DuckDB for files, the
database for a database URL): only these aggregates leave the engine.

- ``compact``: the validated records as whole numbers (tokens, requests, cost in 1e-10 USD,
  durations in ms), so that every sum is exact and every engine, whatever order it adds in, gives the
  same totals; raw times, ids and row numbers kept for rejected records only;

- ``reason_counts``: records per reason (None: aggregated);
- ``rejected``: the first rows of each reason, for the report;
- ``totals``: requests, tokens, recorded cost, the period, durations, request-size percentiles;
- ``by_model_month``: requests, tokens and recorded cost per model, provider and UTC month;
- ``quarter_hours``: requests, tokens and request seconds per 15 minutes (UTC), from which the
  hour-of-day profile in any time zone (every zone's offset is a multiple of 15 min), the monthly
  trend and the concurrency per hour follow.
"""

from __future__ import annotations

import datetime as dt

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
"""Costs are summed in whole 1e-10 USD."""
MS_PER_S = 1000


def compact(v: ir.Table, engine: str) -> ir.Table:
    """The validated records (``validate.validated``) as the aggregation reads them."""
    rejected = v.reason.notnull()

    def whole(x: ir.NumericValue) -> ir.IntegerValue:
        rounded = x.round()  # rejected records may hold NaN: DuckDB's try_cast makes it null
        return rounded.try_cast("int64") if engine == "duckdb" else rounded.cast("int64")

    def if_rejected(x: ir.Value) -> ir.Value:
        return ibis.cases((rejected, x), else_=ibis.null(x.type()))

    return v.select(
        source=v.source,
        reason=v.reason,
        row=if_rejected(v.row),
        record_id=if_rejected(v.record_id),
        time_raw=if_rejected(v.time_raw),
        model=v.model,
        provider=v.provider,
        start_s=v.start_s,
        requests=whole(v.requests),
        **{f: whole(v[f]) for f in TOKENS},
        cost_units=whole(v.cost * COST_UNITS_PER_USD),
        duration_ms=whole(v.duration_s * MS_PER_S),
        bucket_s=whole(v.bucket_s),
    )


def _request_ms(t: ir.Table) -> ir.IntegerValue:
    return (t.duration_ms * t.requests).sum()


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
        "cost": t.cost_units.sum(),
        "cost_records": t.cost_units.count(),
    }


def totals(u: ir.Table) -> dict:
    """Totals over the aggregated records (``u``: reason is null)."""
    single = (u.bucket_s == 0) & (u.requests == 1)
    quantiles = {f"{f}_percentiles": u[f].quantile(list(PERCENTILES), where=single) for f in ("input", "output")}
    agg = u.aggregate(
        **_sums(u),
        first_s=u.start_s.min(),
        last_s=u.start_s.max(),
        last_end_s=(u.start_s + u.bucket_s).max(),
        max_bucket_s=u.bucket_s.max(),
        single_requests=u.count(where=single),
        duration_sum_s=_request_ms(u),
        requests_with_duration=u.requests.sum(where=u.duration_ms.notnull()),
        **quantiles,
    )
    row = _rows(agg)[0]
    for field in ("input", "output"):
        values = row.pop(f"{field}_percentiles") or [None] * len(PERCENTILES)
        row |= {f"{field}_p{round(q * 100)}": v for q, v in zip(PERCENTILES, values)}
    return row


def by_model_month(u: ir.Table) -> list[dict]:
    """Sums per model, provider and UTC month (queried per day, added up to months here)."""
    day = (u.start_s / 86400).floor().cast("int64")
    days = u.mutate(day=day)
    keys = ["model", "provider", "day"]
    rows = _rows(days.group_by(keys).aggregate(**_sums(days)).order_by(keys))  # in order: same float sums anywhere
    months: dict[tuple, dict] = {}
    for r in rows:
        first = dt.datetime.fromtimestamp(r.pop("day") * 86400, dt.UTC).replace(day=1, tzinfo=None)
        m = months.setdefault((r["model"], r["provider"], first), {"model": r["model"], "provider": r["provider"]})
        m["month"] = first
        for k, value in r.items():
            if k not in ("model", "provider"):
                m[k] = (m.get(k) or 0) + (value or 0)
    return [months[k] for k in sorted(months, key=lambda k: (str(k[0]), str(k[1]), k[2]))]


def quarter_hours(u: ir.Table) -> list[dict]:
    m = u.mutate(q=(u.start_s / QUARTER_HOUR_S).floor().cast("int64"))
    agg = m.group_by("q").aggregate(
        requests=m.requests.sum(),
        input=m.input.sum(),
        output=m.output.sum(),
        duration_sum_s=_request_ms(m),
        requests_with_duration=m.requests.sum(where=m.duration_ms.notnull()),
    )
    return _rows(agg.order_by("q"))
