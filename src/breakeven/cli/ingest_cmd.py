"""The `ingest` command: usage logs or a gateway's database in, a measured workload out."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from breakeven.errors import InputError
from breakeven.outputs.json_text import to_json
from breakeven.outputs.tables import console

CHART_SUFFIXES = (".html", ".htm", ".png")
PROGRESS_AFTER_S = 1.0
"""A progress bar appears once reading has taken this long."""


class DelayedBar:
    """A progress bar on stderr that shows up only when reading takes more than a second."""

    def __init__(self, label: str) -> None:
        self.label, self.started, self.bar, self.task = label, time.perf_counter(), None, None
        self.console = Console(stderr=True)

    def __call__(self, done: float) -> None:
        if self.bar is None:
            late = time.perf_counter() - self.started >= PROGRESS_AFTER_S
            if not late or done >= 1 or not self.console.is_terminal:
                return
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=1.0)
        self.bar.update(self.task, completed=done)
        if done >= 1:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _date(value: str | None, field: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(field, value, "a date such as 2026-11-22") from None


def ingest(
    sources: Annotated[list[str], typer.Argument(help="Log files (CSV, JSONL, JSON, Parquet) or one database URL")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help="auto, litellm, openai-usage, openai-costs, langfuse, helicone, openrouter (or --map)"
        ),
    ] = "auto",
    model: Annotated[Optional[list[str]], typer.Option(help="Only this model (repeatable)")] = None,
    since: Annotated[Optional[str], typer.Option(help="From this date or time (in --tz)")] = None,
    until: Annotated[Optional[str], typer.Option(help="Through this date, or up to this time (in --tz)")] = None,
    tz: Annotated[
        str, typer.Option("--tz", help="Time zone of the hourly profile, the months and --since/--until")
    ] = "UTC",
    mapping: Annotated[
        Optional[str], typer.Option("--map", help="Columns of a generic table: time=COL,input=COL,output=COL,model=COL")
    ] = None,
    table: Annotated[Optional[str], typer.Option(help="Table of a database source (default LiteLLM_SpendLogs)")] = None,
    out: Annotated[Optional[str], typer.Option(help="Write the measured workload: block here (YAML)")] = None,
    scenario: Annotated[
        Optional[str], typer.Option(help="Write a full scenario here, the APIs used as candidates")
    ] = None,
    mode: Annotated[str, typer.Option(help="Workload written as traffic (requests/month) or tokens")] = "traffic",
    price_date: Annotated[
        Optional[str], typer.Option(help="API prices of --scenario as of this date (default: the period's end)")
    ] = None,
    chart: Annotated[
        Optional[str], typer.Option(help="Write a chart of the hourly profile and monthly trend (.html/.png)")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON (a stable contract) instead of tables")] = False,
) -> None:
    """Measure the workload in usage logs: tokens and requests per month, request sizes, the hourly
    profile, concurrency, growth, and the recorded bill beside the catalog's price of the same tokens."""
    from breakeven.ingest.usage import to_scenario
    from breakeven.ingest.usage.run import ingest_logs
    from breakeven.outputs.usage_text import render, rows_line

    if mode not in ("traffic", "tokens"):
        raise InputError("mode", mode, "traffic or tokens")
    when = _date(price_date, "price-date")
    if chart and Path(chart).suffix.lower() not in CHART_SUFFIXES:
        raise InputError("chart", chart, "a file name ending in .html or .png")
    bar = DelayedBar("reading " + ", ".join(Path(s).name for s in sources)[:60])
    try:
        report = ingest_logs(sources, fmt, model, since, until, tz, mapping, table, progress=bar)
    finally:
        bar.close()
    written = []
    if out:
        Path(out).write_text(to_scenario.workload_yaml(report, mode), encoding="utf-8")
        written.append(out)
    if scenario:
        s = to_scenario.scenario(report, mode, when)
        Path(scenario).write_text(to_scenario.scenario_yaml(s), encoding="utf-8")
        written.append(scenario)
    if chart:
        from breakeven.outputs.usage_chart import write_chart

        write_chart(report, chart)
        written.append(chart)
    if json_out:
        print(to_json(report))
        print(rows_line(report), file=sys.stderr)
        return
    render(report, console(), written)
