"""Usage-log formats: each source module registers one ``UsageFormat`` (its name, the columns that
identify it, and a reader that maps its records onto the canonical record), as the benchmark readers
register theirs.

The canonical record (one row per request, or per time bucket of requests, or per cost line):

======================  =========  ==============================================================
column                  type       meaning
======================  =========  ==============================================================
row                     int64      record number in the file (CSV data row, JSON line, array
                                   position, bucket result); null in a database
record_id               string     the source's own id of the record, where it has one
start_s                 float64    when the request started, Unix seconds; a bucket's start
time_raw                string     the time as the source wrote it (for reporting bad rows)
model, provider         string     model as the source names it; the provider where known
requests                float64    1 per request; a bucket's request count; 0 for a cost line
input                   float64    input tokens, cache reads and writes included
cached_input            float64    input tokens read from a prompt cache
cache_write             float64    input tokens written to a prompt cache
output                  float64    output tokens (reasoning included)
duration_s              float64    request duration, s (null where the source has none)
cost                    float64    what the source recorded for the record, USD (null: none)
bucket_s                float64    width of the record's time bucket, s (0 for a single request)
skip                    string     why the format leaves the record out (a failed request, a span
                                   that is not a generation); null to keep it
problem                 string     the first value that could not be read; null if all could
======================  =========  ==============================================================
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
from ibis.common.deferred import Deferred

from breakeven.errors import InputError
from breakeven.ingest.usage.sources import Source
from breakeven.ingest.usage.values import Parsed, const, epoch_seconds, text, timestamp

RECORD_COLUMNS = (
    "row",
    "record_id",
    "start_s",
    "time_raw",
    "model",
    "provider",
    "requests",
    "input",
    "cached_input",
    "cache_write",
    "output",
    "duration_s",
    "cost",
    "bucket_s",
    "skip",
    "problem",
)


@dataclass(frozen=True)
class UsageFormat:
    name: str
    title: str
    required: tuple[str, ...]
    """Columns every file of this format has; auto-detection matches on them."""
    read: Callable[[Source, ir.Table, Parsed], dict[str, ir.Value]]
    """Canonical values of the source's records (any of RECORD_COLUMNS but ``problem``, which the
    ``Parsed`` collects; the rest get defaults)."""
    default_table: str | None = None
    """The table a database of this tool keeps its logs in."""


def _defaults(source: Source, t: ir.Table) -> dict:
    return {
        "row": t.row if "row" in t.columns else ibis.null("int64"),  # CSV: numbered where kept
        "record_id": ibis.null("string"),
        "provider": ibis.null("string"),
        "requests": 1.0,
        "cached_input": 0.0,
        "cache_write": 0.0,
        "duration_s": ibis.null("float64"),
        "cost": ibis.null("float64"),
        "bucket_s": 0.0,
        "skip": ibis.null("string"),
    }


_CASTS = {"row": "int64", "record_id": "string", "model": "string", "provider": "string", "skip": "string"}
_CASTS |= {"time_raw": "string"}


def records(fmt: UsageFormat, source: Source) -> ir.Table:
    """The source's records as canonical records (RECORD_COLUMNS, in that order), in two projections:
    the raw values parsed once, then the canonical columns and the first problem of each record."""
    t = source.table
    p = Parsed()
    if source.malformed is not None:
        p.check(source.malformed(t), "malformed_json")
    values = {**_defaults(source, t), **fmt.read(source, t, p)}
    immediate = {k: v if isinstance(v, ir.Expr) else const(v) for k, v in values.items() if not isinstance(v, Deferred)}
    first = t.select(**{f"_value_{k}": v for k, v in immediate.items()}, **p.columns())
    cols = {}
    for name in RECORD_COLUMNS[:-1]:
        value = first[f"_value_{name}"] if name in immediate else values[name]
        cols[name] = value.cast(_CASTS.get(name, "float64"))
    return first.select(**cols, problem=p.problem(first))


def request_time(source: Source, t: ir.Table, column: str, p: Parsed, epoch: bool = False) -> dict:
    """``start_s`` (parsed once, deferred) and ``time_raw`` from one column."""
    raw = source.col(t, column)
    return {"start_s": p.keep(epoch_seconds(source.engine, timestamp(raw, epoch=epoch))), "time_raw": text(raw)}


def duration(source: Source, t: ir.Table, values: dict, end_column: str, p: Parsed, epoch: bool = False) -> Deferred:
    """Seconds from ``start_s`` to the time in ``end_column``."""
    end = timestamp(source.col(t, end_column), epoch=epoch)
    return p.keep(epoch_seconds(source.engine, end)) - values["start_s"]


def model_name(source: Source, t: ir.Table, *columns: str) -> ir.StringValue:
    """The first non-blank of several model columns (e.g. an override before the requested model)."""
    values = [text(source.col(t, c)) for c in columns if source.has(c)]
    cleaned = [v.nullif("") for v in values]
    return ibis.coalesce(*cleaned) if len(cleaned) > 1 else cleaned[0] if cleaned else ibis.null("string")


def detect(source: Source, formats: dict[str, UsageFormat]) -> UsageFormat:
    """The one format whose identifying columns the source has; an error naming the columns seen and
    the candidates otherwise."""
    matches = [f for f in formats.values() if f.required and all(source.has(c) for c in f.required)]
    if len(matches) == 1:
        return matches[0]
    seen = ", ".join(source.columns) or "none"
    if not matches:
        known = "; ".join(f"{f.name} ({', '.join(f.required)})" for f in formats.values() if f.required)
        allowed = (
            f"a usage export of a known format. Columns seen: {seen}. Formats and the columns they need: "
            f"{known}. For another layout use --format generic --map time=COL,input=COL,output=COL,model=COL"
        )
    else:
        names = ", ".join(f.name for f in matches)
        allowed = f"one format; columns seen: {seen} fit {names}: choose one with --format"
    raise InputError("source", source.name, allowed)


def chosen(name: str, formats: dict[str, UsageFormat]) -> UsageFormat | None:
    """The format named by --format (None for auto)."""
    if name == "auto":
        return None
    if name not in formats:
        raise InputError("format", name, f"auto or one of {', '.join(formats)}")
    return formats[name]


def missing_columns(fmt: UsageFormat, source: Source) -> None:
    lacking = [c for c in fmt.required if not source.has(c)]
    if lacking:
        raise InputError(
            "source",
            source.name,
            f"a {fmt.title} export with columns {', '.join(fmt.required)}; it lacks {', '.join(lacking)} "
            f"(columns seen: {', '.join(source.columns) or 'none'})",
        )
