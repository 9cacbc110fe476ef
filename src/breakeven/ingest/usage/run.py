"""``ingest_logs``: open the sources, map them onto canonical records, validate, aggregate where the
records are, and measure the workload. The Python API behind ``breakeven ingest``."""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import ibis
import ibis.expr.types as ir

from breakeven.errors import InputError
from breakeven.ingest.usage import litellm
from breakeven.ingest.usage.aggregate import compact
from breakeven.ingest.usage.formats import UsageFormat, chosen, detect, missing_columns, records
from breakeven.ingest.usage.generic import generic_format, parse_map
from breakeven.ingest.usage.registry import READERS
from breakeven.ingest.usage.report import UsageReport
from breakeven.ingest.usage.sources import WORK, Source, duckdb_connection, is_url, open_database, open_file
from breakeven.ingest.usage.summary import build_report
from breakeven.ingest.usage.validate import Filters, validated

Progress = Callable[[float], None]
"""Called with the share of the reading done (0-1), about ten times a second while files are read."""
_tables = itertools.count()
FRAMED_ROW_NUMBER = "ROW_NUMBER() OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
STREAMING_ROW_NUMBER = "ROW_NUMBER() OVER ()"
"""Ibis frames every window; DuckDB numbers rows in file order while it streams them only for an
empty OVER (), which is the same ranking (a frame does not change row numbers)."""


def zone_of(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            "tz", tz, "a time zone of the tz database, e.g. UTC, Europe/Berlin, America/New_York"
        ) from None


def instant(value: str | dt.date | dt.datetime | None, zone: ZoneInfo, field: str, end: bool) -> float | None:
    """Unix seconds of a --since/--until value: a date is that day's local midnight (for --until, the
    next day's, so the whole day counts); a time without an offset is local to ``zone``."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value) if "T" in value or ":" in value else dt.date.fromisoformat(value)
        except ValueError:
            raise InputError(
                field, value, "a date (2026-06-01) or a time (2026-06-01T08:00, offset optional)"
            ) from None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value + dt.timedelta(days=1 if end else 0), dt.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.timestamp()


@dataclass
class Opened:
    con: object
    sources: list[Source]
    formats: list[UsageFormat]
    engine: str


def _format_for(source: Source, fmt: str, mapping: dict[str, str] | None) -> UsageFormat:
    if mapping and fmt not in ("auto", "generic"):
        raise InputError("format", fmt, "generic (or auto) with a column mapping (--map)")
    if fmt == "generic" and not mapping:
        raise InputError("map", None, "a column mapping for --format generic: time=COL,input=COL,output=COL,model=COL")
    f = generic_format(mapping) if mapping else chosen(fmt, READERS) or detect(source, READERS)
    missing_columns(f, source)
    return f


def open_all(
    paths: Sequence[str], fmt: str, mapping: dict[str, str] | None, table: str | None, spill_to: str | None = None
) -> Opened:
    urls = [p for p in paths if is_url(p)]
    if urls and len(paths) > 1:
        raise InputError("source", " ".join(paths), "one database URL on its own, or files only")
    if urls:
        named = chosen(fmt, READERS) if not mapping else None
        default = named.default_table if named else litellm.TABLE
        con, source = open_database(urls[0], table, default)
        return Opened(con, [source], [_format_for(source, fmt, mapping)], con.name)
    if table:
        raise InputError("table", table, "a table name only with a database URL")
    con = duckdb_connection(spill_to)
    sources = [open_file(con, p) for p in paths]
    return Opened(con, sources, [_format_for(s, fmt, mapping) for s in sources], "duckdb")


def record_parts(opened: Opened, filters: Filters) -> list[ir.Table]:
    """Per source: its validated records, as the aggregation reads them (``aggregate.compact``)."""
    return [
        compact(validated(records(f, s).mutate(source=ibis.literal(s.name)), filters), opened.engine)
        for s, f in zip(opened.sources, opened.formats)
    ]


def _run_with_progress(opened: Opened, statement: str, progress: Progress | None, share: tuple[float, float]) -> None:
    """Run a statement on DuckDB in a thread, reporting its progress as part ``share`` (from, to)."""
    failure: list[Exception] = []

    def run() -> None:
        try:
            opened.con.raw_sql(statement)
        except Exception as exc:  # reported below, with the sources named
            failure.append(exc)

    job = threading.Thread(target=run)
    job.start()
    while job.is_alive():
        job.join(0.1)
        if progress is not None:
            done = max(opened.con.con.query_progress(), 0.0) / 100
            progress(share[0] + (share[1] - share[0]) * done)
    if failure:
        first = str(failure[0]).strip().splitlines()[0]
        names = ", ".join(s.name for s in opened.sources)
        raise InputError("source", names, f"files DuckDB can read ({first})")


def _csv_row_numbers(opened: Opened, table: str) -> ir.Table:
    """A view of the records where CSV records get their row number from their position in the
    table: each file's records are inserted in file order (DuckDB keeps insertion order, also when it
    reads a file in parallel), so the row number is the position minus the file's first position."""
    csv = [s.name for s in opened.sources if s.kind == "csv"]
    if not csv:
        return opened.con.table(table, database=WORK)
    firsts = opened.con.raw_sql(f"SELECT source, min(rowid) FROM {WORK}.{table} GROUP BY source").fetchall()
    cases = " ".join(f"WHEN {_sql_text(name)} THEN rowid - {first} + 1" for name, first in firsts if name in csv)
    opened.con.raw_sql(
        f"CREATE VIEW {WORK}.{table}_numbered AS SELECT * REPLACE "
        f"(coalesce(row, CASE source {cases} END) AS row) FROM {WORK}.{table}"
    )
    return opened.con.table(f"{table}_numbered", database=WORK)


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _materialize(opened: Opened, parts: list[ir.Table], progress: Progress | None) -> ir.Table:
    """Files are scanned once, one after the other, into a compressed table; the queries then run on
    it."""
    name = f"records_{next(_tables)}"
    for i, part in enumerate(parts):
        sql = ibis.to_sql(part, dialect="duckdb").replace(FRAMED_ROW_NUMBER, STREAMING_ROW_NUMBER)
        statement = f"CREATE TABLE {WORK}.{name} AS {sql}" if i == 0 else f"INSERT INTO {WORK}.{name} {sql}"
        _run_with_progress(opened, statement, progress, (i / len(parts), (i + 1) / len(parts)))
    if progress is not None:
        progress(1.0)
    return _csv_row_numbers(opened, name)


def ingest_logs(
    sources: Sequence[str] | str,
    format: str = "auto",
    model: Sequence[str] | str | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    tz: str = "UTC",
    mapping: str | dict[str, str] | None = None,
    table: str | None = None,
    progress: Progress | None = None,
) -> UsageReport:
    """Measure the workload in usage logs: files (CSV, JSONL, JSON, Parquet) or one database URL
    (``postgresql://user@host/db``; the table defaults to ``LiteLLM_SpendLogs``). ``format``: auto or
    a name of ``READERS``; ``mapping`` (``"time=ts,input=in,output=out,model=m"``) reads any table.
    ``since``/``until`` bound the period (``until`` a date: through that day), in ``tz``, which is
    also the zone of the hourly profile and the months."""
    paths = [sources] if isinstance(sources, str) else list(sources)
    if not paths:
        raise InputError("source", "", "at least one file or a database URL")
    zone = zone_of(tz)
    models = (model,) if isinstance(model, str) else tuple(model or ())
    filters = Filters(instant(since, zone, "since", False), instant(until, zone, "until", True), models)
    if filters.since is not None and filters.until is not None and filters.since >= filters.until:
        raise InputError("until", until, f"a time after --since ({since})")
    mapping = parse_map(mapping) if isinstance(mapping, str) else mapping
    with tempfile.TemporaryDirectory(prefix="breakeven-") as spill_to:
        opened = open_all(paths, format, mapping, table, spill_to)
        parts = record_parts(opened, filters)
        if opened.sources[0].kind == "database":
            return build_report(opened, parts[0], filters, zone)
        return build_report(opened, _materialize(opened, parts, progress), filters, zone)
