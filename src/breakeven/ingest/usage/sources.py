"""Opening usage sources: files are read in place by an embedded DuckDB (CSV, JSONL, JSON, Parquet);
a database URL is opened with Ibis, and the queries then run in that database.

Privacy: a source is opened lazily; only the columns a reader names are ever selected, so message
bodies (LiteLLM ``messages``/``response``, Langfuse ``input``/``output``, Helicone bodies) are never
turned into values. Text formats are still scanned byte by byte by DuckDB's reader, in chunks that are
discarded; Parquet files and databases read only the named columns.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import ibis
import ibis.expr.types as ir

from breakeven.errors import InputError
from breakeven.ingest.usage.values import json_path

MAX_LINE_BYTES = 1 << 23
"""Longest CSV or JSONL line read (8 MiB, a prompt of about two million tokens); longer lines are
counted as malformed. DuckDB's read buffers are 16 times this."""
KEY_SAMPLE_ROWS = 200
"""JSON records whose keys are listed to recognise the format."""
_counter = itertools.count()


@dataclass
class Source:
    """One opened source: its records as an Ibis table and how to reach a column by name."""

    name: str
    """As the user wrote it (a database URL without its password)."""
    kind: str
    """csv, jsonl, json, parquet or database."""
    table: ir.Table
    """The records; with a ``row`` column where numbering needs the whole record (JSON), else
    numbered in file order where they are read (CSV)."""
    columns: tuple[str, ...]
    get: Callable[[ir.Table, str], ir.Value]
    """The raw value of a column of a record of ``table``."""
    malformed: Callable[[ir.Table], ir.BooleanValue] | None = None
    """Records that are not JSON at all (JSON lines)."""
    split_errors: Callable[[], list[tuple[int, str]]] = field(default=lambda: [])
    """(line, why) for CSV lines the reader could not split into the header's columns."""
    default_table: str | None = None
    engine: str = "duckdb"
    """The Ibis backend the records are read by."""

    def actual(self, name: str) -> str | None:
        """The column's name as the source spells it (exact match first, then any case)."""
        if name in self.columns:
            return name
        lower = {c.lower(): c for c in self.columns}
        return lower.get(name.lower())

    def has(self, name: str) -> bool:
        return self.actual(name) is not None

    def col(self, t: ir.Table, name: str) -> ir.Value | None:
        """The raw column, or None where the source lacks it."""
        actual = self.actual(name)
        return None if actual is None else self.get(t, actual)


def is_url(source: str) -> bool:
    return re.match(r"^[a-z][a-z0-9+.-]*://", source) is not None


def masked(url: str) -> str:
    """A URL with its password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


WORK = "breakeven_work"
"""The database the records of files are kept in while they are aggregated: a file in the temporary
folder, where DuckDB writes large inserts compressed as it goes (about 20 bytes a record)."""


def duckdb_connection(work_dir: str | None = None):
    """The embedded engine: UTC session, progress tracked (not printed), the records kept in a file
    in ``work_dir`` (where DuckDB also spills what exceeds its memory limit, 80% of RAM by default;
    the records themselves take about 20 bytes each, so a 10-million-row log peaks near 1 GB)."""
    con = ibis.duckdb.connect()
    con.raw_sql("SET TimeZone='UTC'; SET enable_progress_bar=true; SET enable_progress_bar_print=false")
    if work_dir:
        con.raw_sql(f"SET temp_directory='{work_dir}'; ATTACH '{work_dir}/records.duckdb' AS {WORK}")
    else:
        con.raw_sql(f"ATTACH ':memory:' AS {WORK}")
    return con


def _kind_of(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes if s.lower() not in (".gz", ".zst")]
    last = suffixes[-1] if suffixes else ""
    by_suffix = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
    if last in (".parquet", ".pq"):
        return "parquet"
    if last in by_suffix:
        return by_suffix[last]
    with path.open("rb") as f:
        head = f.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"["):
        return "json"
    return "jsonl" if head.startswith(b"{") else "csv"


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _rejects(con, n: int) -> tuple[dict, Callable[[], list[tuple[int, str]]]]:
    """DuckDB's reader options that keep the lines it cannot split, and how to list them."""
    table = f"breakeven_rejects_{n}"
    options = {"store_rejects": True, "rejects_table": table, "rejects_scan": f"breakeven_rejects_scan_{n}"}

    def split_errors() -> list[tuple[int, str]]:
        rows = con.raw_sql(f"SELECT line, min(error_type) FROM {table} GROUP BY line ORDER BY line").fetchall()
        return [(int(line), str(kind).lower().replace(" ", "_")) for line, kind in rows]

    return options, split_errors


def _csv(con, path: Path) -> Source:
    n = next(_counter)
    options, split_errors = _rejects(con, n)
    raw = con.read_csv(
        str(path),
        table_name=f"breakeven_csv_{n}",
        all_varchar=True,
        header=True,
        max_line_size=MAX_LINE_BYTES,
        **options,
    )
    return Source(str(path), "csv", raw, tuple(raw.columns), lambda t, c: t[c], split_errors=split_errors)


def _keys(con, table: ir.Table, column: str) -> tuple[str, ...]:
    sample = table.select(j=table[column]).filter(table[column].notnull()).limit(KEY_SAMPLE_ROWS)
    sql = ibis.to_sql(sample, dialect="duckdb")
    rows = con.raw_sql(f"SELECT DISTINCT unnest(json_keys(TRY_CAST(j AS JSON))) FROM ({sql})").fetchall()
    return tuple(sorted(r[0] for r in rows))


def _first_item_keys(con, table: ir.Table, expr: ir.Value) -> tuple[str, ...]:
    probe = table.select(j=expr).filter(expr.notnull()).limit(KEY_SAMPLE_ROWS)
    return _keys(con, probe, "j")


def _documents(con, path: Path, kind: str) -> tuple[ir.Table, Callable | None]:
    """One JSON text per record, with its line (JSONL) or position (JSON array); for JSON lines, how
    to list the lines that could not be read."""
    n = next(_counter)
    if kind == "jsonl":
        options, split_errors = _rejects(con, n)
        lines = con.read_csv(
            str(path),
            table_name=f"breakeven_jsonl_{n}",
            columns={"line": "VARCHAR"},
            delim="\x01",
            quote="",
            escape="",
            header=False,
            auto_detect=False,
            strict_mode=False,
            max_line_size=MAX_LINE_BYTES,
            **options,
        )
        numbered = lines.mutate(row=ibis.row_number() + 1)
        records = numbered.filter(numbered.line.notnull() & (numbered.line.strip() != ""))
        return records.rename(doc="line"), split_errors
    scan = f"read_json_objects({_quoted(path)}, format='auto', maximum_object_size={MAX_LINE_BYTES})"
    objects = con.sql(f"SELECT CAST(json AS VARCHAR) AS doc FROM {scan}", dialect="duckdb")
    return objects.mutate(row=ibis.row_number() + 1), None


def _bucket_pages(con, docs: ir.Table, name: str, kind: str) -> Source | None:
    """Usage or cost API pages (``{"object": "page", "data": [{"start_time", "end_time", "results":
    [...]}]}``): one record per result, with its bucket's start and end."""
    keys = _keys(con, docs, "doc")
    if "data" not in keys or "object" not in keys:
        return None
    buckets = docs.select(b=docs.doc.cast("json")["data"].array.unnest())
    if "results" not in _keys(con, buckets, "b"):
        return None
    results = buckets.select(
        start_time=buckets.b["start_time"], end_time=buckets.b["end_time"], r=buckets.b["results"].array.unnest()
    )
    results = results.mutate(row=ibis.row_number() + 1)
    columns = tuple(sorted({*_keys(con, results, "r"), "start_time", "end_time"}))

    def get(t: ir.Table, c: str) -> ir.Value:
        return t[c] if c in ("start_time", "end_time") else json_path("duckdb", t.r, c)

    return Source(name, kind, results, columns, get)


def _json(con, path: Path, kind: str) -> Source:
    docs, split_errors = _documents(con, path, kind)
    pages = _bucket_pages(con, docs, str(path), kind)
    if pages is not None:
        return pages
    columns = _keys(con, docs, "doc")
    source = Source(str(path), kind, docs, columns, lambda t, c: json_path("duckdb", t.doc, c))
    if split_errors is not None:
        source.malformed = lambda t: t.doc.try_cast("json").isnull()
        source.split_errors = split_errors
    return source


def _parquet(con, path: Path) -> Source:
    raw = con.read_parquet(str(path), table_name=f"breakeven_parquet_{next(_counter)}", file_row_number=True)
    table = raw.mutate(row=raw.file_row_number + 1).drop("file_row_number")
    columns = tuple(c for c in raw.columns if c != "file_row_number")
    return Source(str(path), "parquet", table, columns, lambda t, c: t[c])


def open_file(con, name: str) -> Source:
    path = Path(name)
    if not path.is_file():
        raise InputError("source", name, "an existing CSV, JSONL, JSON or Parquet file, or a database URL")
    kind = _kind_of(path)
    try:
        if kind == "csv":
            return _csv(con, path)
        if kind == "parquet":
            return _parquet(con, path)
        return _json(con, path, kind)
    except Exception as exc:  # DuckDB's errors name the file and the position
        if isinstance(exc, InputError):
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise InputError("source", name, f"a readable {kind.upper()} file ({first})") from None


def open_database(url: str, table: str | None, default_table: str | None):
    """An Ibis connection to the database and its table of logs, in a UTC session."""
    try:
        con = ibis.connect(url)
    except Exception as exc:
        raise InputError("source", masked(url), f"a database Ibis can reach ({exc.__class__.__name__})") from None
    if con.name == "postgres":
        con.raw_sql("SET TIME ZONE 'UTC'")
    elif con.name == "duckdb":
        con.raw_sql("SET TimeZone='UTC'")
    name = table or default_table
    if name is None:
        raise InputError("table", None, "a table name (--table) for this database")
    try:
        t = con.table(name)
    except Exception:
        listed = ", ".join(sorted(con.list_tables())[:20])
        raise InputError("table", name, f"a table of {masked(url)}; it has: {listed or 'no tables'}") from None
    source = Source(masked(url), "database", t, tuple(t.columns), lambda tt, c: tt[c], engine=con.name)
    return con, source
