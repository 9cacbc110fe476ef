"""Aggregates -> the UsageReport: rejections with their rows, the period, per-month rates, profiles,
concurrency, the monthly trend, per-model usage and the recorded bill beside the computed one."""

from __future__ import annotations

from collections import defaultdict
from zoneinfo import ZoneInfo

import ibis.expr.types as ir

from breakeven.errors import InputError
from breakeven.ingest.usage import aggregate, measure, pricing
from breakeven.ingest.usage.report import (
    Concurrency,
    CostCheck,
    Growth,
    ModelUsage,
    Money,
    MonthUsage,
    Percentiles,
    Period,
    Rejection,
    RequestSize,
    RowRef,
    SourceInfo,
    Tokens,
    UsageReport,
)
from breakeven.ingest.usage.validate import Filters, describe, kind_of

TOKEN_KEYS = ("input", "cached_input", "cache_write", "output")
SHORT_PERIOD_DAYS = 28
"""Periods shorter than this make per-month figures an extrapolation (noted)."""


def _tokens(row: dict, scale: float = 1.0) -> Tokens:
    return Tokens(**{k: (row[k] or 0.0) * scale for k in TOKEN_KEYS})


def _split_errors(opened) -> list[tuple[str, int, str]]:
    return [(s.name, line, why) for s in opened.sources for line, why in s.split_errors()]


def _rejections(opened, v: ir.Table, counts: dict) -> tuple[dict[str, int], list[Rejection]]:
    split = _split_errors(opened)
    rejected = {r: n for r, n in counts.items() if r is not None}
    if split:
        rejected["malformed_line"] = len(split)
    listed: dict[str, list[dict]] = defaultdict(list)
    for r in aggregate.rejected(v) if any(r is not None for r in counts) else []:
        listed[r["reason"]].append(r)
    out = []
    for reason, n in sorted(rejected.items(), key=lambda kv: -kv[1]):
        if reason == "malformed_line":
            rows = [RowRef(source=s, line=line) for s, line, _ in split[: aggregate.ROWS_LISTED]]
            sample = [{"source": s, "line": line, "error": why} for s, line, why in split[: aggregate.SAMPLES]]
        else:
            first = listed.get(reason, [])
            rows = [RowRef(source=r["source"], row=r["row"], id=r["record_id"]) for r in first]
            sample = [
                {
                    "source": r["source"],
                    "row": r["row"],
                    "id": r["record_id"],
                    "time": r["time_raw"],
                    "model": r["model"],
                }
                for r in first[: aggregate.SAMPLES]
            ]
        out.append(
            Rejection(
                reason=reason, kind=kind_of(reason), description=describe(reason), count=n, rows=rows, sample=sample
            )
        )
    return rejected, out


def _period(tot: dict, f: Filters, zone: ZoneInfo, names: str) -> tuple[float, float, Period]:
    start = f.since if f.since is not None else tot["first_s"]
    end = f.until if f.until is not None else max(tot["last_end_s"], tot["last_s"])
    if end <= start:
        why = "records at more than one time: per-month rates need a period (or give --since and --until)"
        raise InputError("source", names, why)
    days = (end - start) / 86400
    period = Period(
        start=measure.utc(start).astimezone(zone).isoformat(),
        end=measure.utc(end).astimezone(zone).isoformat(),
        months=measure.months_between(start, end),
        days=days,
    )
    return start, end, period


def _percentiles(tot: dict, field: str) -> Percentiles:
    requests = tot["requests"] or 0
    return Percentiles(
        p50=tot[f"{field}_p50"],
        p90=tot[f"{field}_p90"],
        p99=tot[f"{field}_p99"],
        mean=(tot[field] or 0) / requests if requests else None,
    )


def _model_totals(rows: list[dict]) -> dict[tuple, dict]:
    sums: dict[tuple, dict] = {}
    for r in rows:
        s = sums.setdefault((r["model"], r["provider"]), defaultdict(float))
        for k in ("requests", "cost", "cost_records", *TOKEN_KEYS):
            s[k] += r[k] or 0.0
    return sums


def _by_model(rows: list[dict], priced: pricing.Pricing) -> list[ModelUsage]:
    sums = _model_totals(rows)
    all_tokens = sum(s["input"] + s["output"] for s in sums.values()) or 1.0
    out = []
    for (model, provider), s in sorted(sums.items(), key=lambda kv: -(kv[1]["input"] + kv[1]["output"])):
        p = priced.priced.get((model, provider))
        out.append(
            ModelUsage(
                model=model,
                provider=provider,
                requests=s["requests"],
                tokens=_tokens(s),
                share_of_tokens=(s["input"] + s["output"]) / all_tokens,
                recorded_cost=Money(amount=s["cost"], currency=pricing.CURRENCY) if s["cost_records"] else None,
                computed_cost=Money(amount=p.cost, currency=pricing.CURRENCY) if p else None,
                priced_as=f"{p.provider}/{p.model}" if p else None,
                price_sources=list(p.sources) if p else [],
                unpriced_reason=priced.unpriced.get((model, provider)),
            )
        )
    return out


def _cost_check(models: list[ModelUsage]) -> CostCheck | None:
    """Recorded against computed over what both cover: every record where all used models are priced
    (cost lines without a model included), else the priced models' own recorded costs."""
    recorded = [m for m in models if m.recorded_cost]
    if not recorded or not any(m.computed_cost for m in models):
        return None
    with_usage = [m for m in models if m.requests > 0]
    if all(m.computed_cost for m in with_usage):
        rec = sum(m.recorded_cost.amount for m in recorded)
        scope = "all records"
    else:
        covered = [m for m in with_usage if m.computed_cost and m.recorded_cost]
        if not covered:
            return None
        rec = sum(m.recorded_cost.amount for m in covered)
        scope = "models " + ", ".join(str(m.model) for m in covered)
    comp = sum(
        m.computed_cost.amount for m in with_usage if m.computed_cost and (scope == "all records" or m.recorded_cost)
    )
    return CostCheck(
        recorded=rec,
        computed=comp,
        difference=comp - rec,
        relative_difference=(comp - rec) / rec if rec else None,
        scope=scope,
    )


def _notes(tot: dict, period: Period, profiles, conc, models: list[ModelUsage]) -> list[str]:
    notes = []
    if period.days < SHORT_PERIOD_DAYS:
        notes.append(f"the period is {period.days:.1f} days: per-month figures extrapolate it to a 730-hour month")
    if tot["max_bucket_s"] > measure.MAX_PROFILE_BUCKET_S:
        notes.append("the records are time buckets longer than an hour: no hour-of-day profile")
    elif profiles is None:
        notes.append("the period is under a day: no hour-of-day profile")
    if tot["single_requests"] == 0:
        notes.append("no request is logged on its own: request size percentiles need per-request logs")
    if conc is None:
        notes.append("no record has a duration: no concurrency")
    elif conc.coverage < 1:
        notes.append(f"{conc.coverage:.0%} of requests have a duration; concurrency scales them to all requests")
    for m in models:
        if m.unpriced_reason and m.requests:
            notes.append(f"{m.model} ({m.provider or 'provider not logged'}) is not priced: {m.unpriced_reason}")
    return notes


def build_report(opened, v: ir.Table, f: Filters, zone: ZoneInfo) -> UsageReport:
    counts = aggregate.reason_counts(v)
    rejected, rejections = _rejections(opened, v, counts)
    used = counts.get(None, 0)
    read = used + sum(rejected.values())
    if used == 0:
        summary = ", ".join(f"{r}: {n}" for r, n in rejected.items()) or "the sources are empty"
        names = ", ".join(s.name for s in opened.sources)
        raise InputError("source", names, f"records that can be aggregated; {read} read, none usable ({summary})")
    u = v.filter(v.reason.isnull())
    tot = aggregate.totals(u)
    start, end, period = _period(tot, f, zone, ", ".join(s.name for s in opened.sources))
    quarters = aggregate.quarter_hours(u)
    prof = measure.profiles(quarters, zone, start, end) if tot["max_bucket_s"] <= measure.MAX_PROFILE_BUCKET_S else None
    conc = measure.concurrency(quarters, zone, start, end)
    months = measure.monthly(quarters, zone, start, end)
    rate, changes = measure.growth(months)
    by_month = aggregate.by_model_month(u)
    priced = pricing.price(by_month, measure.utc(start).date(), measure.utc(end).date())
    models = _by_model(by_month, priced)
    computed = sum(m.computed_cost.amount for m in models if m.computed_cost)
    per_month = 1 / period.months
    return UsageReport(
        rows_read=read,
        rows_used=used,
        rows_rejected=rejected,
        rejections=rejections,
        period=period,
        time_zone=zone.key,
        tokens=_tokens(tot),
        tokens_per_month=_tokens(tot, per_month),
        requests=tot["requests"],
        requests_per_month=tot["requests"] * per_month,
        hourly_profile=prof.hourly if prof else None,
        hour_of_week_profile=prof.weekly if prof else None,
        peak_to_mean=prof.peak_to_mean if prof else None,
        request_size=RequestSize(
            input=_percentiles(tot, "input"),
            output=_percentiles(tot, "output"),
            requests_measured=tot["single_requests"],
        ),
        concurrency=Concurrency(**conc.__dict__) if conc else None,
        monthly=[MonthUsage(tokens=m.input + m.output, **m.__dict__) for m in months],
        growth=Growth(monthly_rate=rate, changes=changes),
        by_model=models,
        recorded_cost=Money(amount=tot["cost"], currency=pricing.CURRENCY) if tot["cost_records"] else None,
        computed_cost=Money(amount=computed, currency=pricing.CURRENCY) if priced.priced else None,
        cost_check=_cost_check(models),
        sources=[SourceInfo(name=s.name, format=fm.name, kind=s.kind) for s, fm in zip(opened.sources, opened.formats)],
        engine=opened.engine,
        notes=_notes(tot, period, prof, conc, models),
    )
