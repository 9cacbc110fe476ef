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
from ibis.common.deferred import Deferred

UTC = "timestamp('UTC')"
EPOCH_MS_ABOVE = 1e11
"""Unix times above this are milliseconds, below it seconds."""


def const(n: float) -> ir.FloatingValue:
    """A whole number as float64, cast in SQL too (Postgres reads a bare 1.0 as numeric, and sums
    of numeric come back as decimals)."""
    if n != int(n):
        raise ValueError(f"{n} is not a whole number")
    return ibis.literal(int(n)).cast("float64")


@ibis.udf.scalar.builtin(name="json_extract_string")
def _duckdb_json_text(doc: str, path: str) -> str:
    """DuckDB: the text at a JSON path, parsing the document once."""


@ibis.udf.scalar.builtin(name="try")
def _duckdb_try(value: str) -> str:
    """DuckDB: null where the expression fails (text that is not JSON)."""


def _json_pointer(keys: tuple[str, ...]) -> str:
    return "$" + "".join('."' + k.replace('"', '\\"') + '"' for k in keys)


@ibis.udf.scalar.builtin(name="json_extract_string")
def _duckdb_json_texts(doc: str, paths: dt.Array(dt.string)) -> dt.Array(dt.string):
    """DuckDB: the texts at several JSON paths, parsing the document once."""


@ibis.udf.scalar.builtin(name="try")
def _duckdb_try_list(value: dt.Array(dt.string)) -> dt.Array(dt.string):
    """DuckDB: null where the expression fails."""


def json_paths(engine: str, v: ir.Value, *paths: tuple[str, ...]) -> list[ir.StringValue]:
    """``json_path`` for several paths. On DuckDB one parse for all of them: the same call in each
    element is one common subexpression, evaluated once."""
    if engine != "duckdb":
        return [json_path(engine, v, *keys) for keys in paths]
    pointers = ibis.literal([_json_pointer(keys) for keys in paths], type=dt.Array(dt.string))
    texts = _duckdb_try_list(_duckdb_json_texts(v.cast("string"), pointers))
    return [texts[i] for i in range(len(paths))]


def json_path(engine: str, v: ir.Value, *keys: str) -> ir.StringValue:
    """Text of the value at ``keys`` inside ``v`` (JSON, or JSON text); null where absent. On
    DuckDB one ``json_extract_string`` call; elsewhere Ibis's portable JSON operations."""
    if engine == "duckdb":
        return _duckdb_try(_duckdb_json_text(v.cast("string"), _json_pointer(keys)))
    node = as_json(v)
    for k in keys:
        node = node[k]
    return text(node)


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
    """The source holds something here: not null, not empty text, not JSON null."""
    t = text(v)
    return t.notnull() & (t != "")


def number(v: ir.Value) -> ir.FloatingValue:
    """A float64, null where the value is missing or is not a number."""
    if _is_json(v):
        return ibis.coalesce(v.float, v.str.try_cast("float64"))
    if v.type().is_string():
        return v.try_cast("float64")  # the casts of DuckDB and Postgres ignore surrounding spaces
    if v.type().is_numeric():
        return v.cast("float64")
    return text(v).try_cast("float64")


def _epoch(n: ir.FloatingValue) -> ir.TimestampValue:
    seconds = ibis.cases((n > EPOCH_MS_ABOVE, n / 1000), else_=n)
    return seconds.cast("int64").as_timestamp("s").cast(UTC)


def timestamp(v: ir.Value, epoch: bool = False) -> ir.TimestampValue:
    """A timestamp (UTC, or without a zone: taken as UTC), null where the value cannot be read.
    ``epoch``: Unix seconds (or ms) too."""
    dtype = v.type()
    if dtype.is_timestamp():
        return v
    if dtype.is_numeric():
        return _epoch(v.cast("float64"))
    parsed = text(v).try_cast(UTC)
    return ibis.coalesce(parsed, _epoch(number(v))) if epoch else parsed


@ibis.udf.scalar.builtin(name="epoch_us")
def _duckdb_epoch_us_utc(ts: dt.Timestamp(timezone="UTC")) -> dt.int64:
    """DuckDB: microseconds since 1970 of a UTC timestamp, read off its stored value."""


@ibis.udf.scalar.builtin(name="epoch_us")
def _duckdb_epoch_us(ts: dt.Timestamp()) -> dt.int64:
    """DuckDB: microseconds since 1970 of a timestamp without a zone, taken as UTC."""


def epoch_seconds(engine: str, ts: ir.TimestampValue) -> ir.FloatingValue:
    """Seconds since 1970-01-01 UTC, fraction kept; a timestamp without a zone is UTC. DuckDB reads
    the stored microseconds (its portable route converts through the time-zone calendar, ten times
    slower); other engines use Ibis's extraction."""
    if engine == "duckdb":
        micros = _duckdb_epoch_us_utc(ts) if ts.type().timezone else _duckdb_epoch_us(ts)
        return micros.cast("float64") / 1_000_000
    if not ts.type().timezone:
        ts = ts.cast(dt.Timestamp(timezone="UTC"))
    return ts.epoch_seconds().cast("float64")


class Parsed:
    """Parses numbers once and collects why a record cannot be read: a value that is there but is
    not a number, or a required one that is missing.

    The parsed values become columns of a first projection (``columns()``); the values the readers
    get back are deferred references to them (``ibis._``), and ``problem()`` names the first failed
    check in a second projection. So every text value is trimmed and cast once per record, however
    many checks read it.
    """

    def __init__(self) -> None:
        self._columns: dict[str, ir.Value] = {}
        self._checks: list[tuple[str, str]] = []

    def _column(self, value: ir.Value) -> str:
        name = f"_parsed_{len(self._columns)}"
        self._columns[name] = value
        return name

    def keep(self, value: ir.Value) -> Deferred:
        """``value`` computed once, in the first projection; a deferred reference to it."""
        return ibis._[self._column(value)]

    def check(self, failed: ir.BooleanValue, reason: str) -> None:
        """A record fails ``reason`` where ``failed`` holds (checked in the order added)."""
        self._checks.append((self._column(failed), reason))

    def _parse(self, v: ir.Value, reason: str) -> tuple[str, str]:
        value, given = self._column(number(v)), self._column(present(v))
        self._checks.append((f"{given}&!{value}", reason))
        return value, given

    def number(self, v: ir.Value | None, reason: str, required: bool = False) -> Deferred | float:
        """``v`` as a number (deferred); 0 where it is optional and missing."""
        if v is None:
            if required:
                raise ValueError("a required column must exist")
            return 0.0
        value, given = self._parse(v, reason)
        if required:
            self._checks.append((f"!{given}", reason.replace("non_numeric", "missing")))
            return ibis._[value]
        return ibis._[value].fill_null(0.0)

    def optional(self, v: ir.Value | None, reason: str) -> Deferred | ir.Value:
        """``v`` as a number (deferred), null where it is missing (durations, costs)."""
        if v is None:
            return ibis.null("float64")
        value, _ = self._parse(v, reason)
        return ibis._[value]

    def columns(self) -> dict[str, ir.Value]:
        return dict(self._columns)

    def problem(self, t: ir.Table) -> ir.StringValue:
        """The first failed check's reason, over the first projection ``t``."""

        def holds(spec: str) -> ir.BooleanValue:
            if spec.startswith("!"):
                return ~t[spec[1:]]
            if "&!" in spec:
                given, value = spec.split("&!")
                return t[given] & t[value].isnull()
            return t[spec].fill_null(False)

        if not self._checks:
            return ibis.null("string")
        return ibis.cases(*[(holds(spec), reason) for spec, reason in self._checks], else_=ibis.null("string"))
