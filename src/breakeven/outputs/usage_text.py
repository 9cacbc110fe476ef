"""Rich tables of a UsageReport for people."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from breakeven.ingest.usage.report import Money, RowRef, UsageReport
from breakeven.outputs.format import human_number
from breakeven.outputs.tables import key_value_table

BARS = " ▁▂▃▄▅▆▇█"


def rows_line(r: UsageReport) -> str:
    rejected = sum(r.rows_rejected.values())
    return f"rows read {r.rows_read:,} = used {r.rows_used:,} + rejected {rejected:,}"


def _money(m: Money | None) -> str:
    return "-" if m is None else f"{m.amount:,.2f} {m.currency}"


def _spark(weights: list[float]) -> str:
    top = max(weights) or 1.0
    return "".join(BARS[round(w / top * (len(BARS) - 1))] for w in weights)


def _where(x: RowRef, name_file: bool) -> str:
    at = f"line {x.line}" if x.line is not None else f"row {x.row}" if x.row is not None else f"id {x.id}"
    return f"{Path(x.source).name} {at}" if name_file else at


def _rejections(r: UsageReport) -> Table:
    t = Table(title=rows_line(r), title_justify="left")
    for col in ("reason", "kind", "records", "first rows"):
        t.add_column(col, justify="right" if col == "records" else "left", overflow="fold")
    several = len(r.sources) > 1
    for j in r.rejections:
        refs = ", ".join(_where(x, several) for x in j.rows[:8])
        t.add_row(f"{j.reason}: {j.description}", j.kind, f"{j.count:,}", refs)
    return t


def _workload(r: UsageReport) -> Table:
    tpm, size = r.tokens_per_month, r.request_size
    rows = [
        (
            "period",
            f"{r.period.start[:16]} to {r.period.end[:16]} ({r.period.days:,.1f} days, {r.period.months:.2f} months)",
        ),
        ("requests", f"{human_number(r.requests)} ({human_number(r.requests_per_month)} per month)"),
        (
            "tokens per month",
            f"input {human_number(tpm.input)} (cached {human_number(tpm.cached_input)}, cache writes "
            f"{human_number(tpm.cache_write)}), output {human_number(tpm.output)}",
        ),
        ("input per request", _pct(size.input)),
        ("output per request", _pct(size.output)),
    ]
    if r.hourly_profile:
        rows.append(
            (f"hourly profile ({r.time_zone})", f"00 {_spark(r.hourly_profile)} 23  peak/mean {r.peak_to_mean:.2f}")
        )
    if r.concurrency:
        c = r.concurrency
        rows.append(("in flight (Little's law)", f"mean {c.mean:.3g}, peak {c.peak:.3g} at {c.peak_hour[:16]}"))
    if r.growth.monthly_rate is not None:
        rows.append(("growth", f"{r.growth.monthly_rate:+.1%} tokens per month"))
    if r.recorded_cost or r.computed_cost:
        rows.append(("bill", f"recorded {_money(r.recorded_cost)}, at catalog prices {_money(r.computed_cost)}"))
    if r.cost_check:
        k = r.cost_check
        rel = f" ({k.relative_difference:+.1%})" if k.relative_difference is not None else ""
        rows.append(("catalog - recorded", f"{k.difference:+,.2f} USD{rel} over {k.scope}"))
    return key_value_table("measured workload", rows)


def _pct(p) -> str:
    if p.p50 is None:
        return f"mean {human_number(p.mean)}" if p.mean is not None else "-"
    return (
        f"p50 {human_number(p.p50)}, p90 {human_number(p.p90)}, p99 {human_number(p.p99)}, mean {human_number(p.mean)}"
    )


def _models(r: UsageReport) -> Table:
    t = Table(title="by model", title_justify="left")
    for col in ("model", "provider", "requests", "input", "output", "share", "recorded", "at catalog prices"):
        t.add_column(col, justify="left" if col in ("model", "provider") else "right", overflow="fold")
    for m in r.by_model:
        t.add_row(
            m.model or "(no model)",
            m.provider or "-",
            human_number(m.requests),
            human_number(m.tokens.input),
            human_number(m.tokens.output),
            f"{m.share_of_tokens:.1%}",
            _money(m.recorded_cost),
            _money(m.computed_cost) if m.computed_cost else "not priced",
        )
    return t


def render(r: UsageReport, c: Console, written: list[str]) -> None:
    c.print(_rejections(r) if r.rejections else rows_line(r))
    c.print(_workload(r))
    c.print(_models(r))
    for note in r.notes:
        c.print(f"note: {note}")
    for path in written:
        c.print(f"wrote {path}")
