"""Rendering results for people (rich tables) and machines (JSON with sensible rounding)."""

from __future__ import annotations

import json
import math

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

SIGNIFICANT = 6
"""Significant digits kept for floats in JSON output."""


def _round(value: object) -> object:
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if value == int(value) and abs(value) < 1e15:
            return int(value)
        return float(f"{value:.{SIGNIFICANT}g}")
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_round(v) for v in value]
    return value


def to_json(obj: BaseModel | list | dict) -> str:
    """JSON text of a result (or list/dict of them), floats rounded to 6 significant digits."""
    data = obj.model_dump(mode="json") if isinstance(obj, BaseModel) else obj
    if isinstance(data, list):
        data = [d.model_dump(mode="json") if isinstance(d, BaseModel) else d for d in data]
    return json.dumps(_round(data), indent=2)


def human_bytes(n: float) -> str:
    """Bytes in decimal units (GB = 1e9 B), 3 significant digits."""
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if abs(n) >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n:.0f} B"


def human_number(x: float, digits: int = 3) -> str:
    if not math.isfinite(x):
        return "-"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}g}"


def key_value_table(title: str, rows: list[tuple[str, str]]) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    for key, value in rows:
        table.add_row(key, value)
    return table


PIPE_WIDTH = 160
"""Columns for output that goes to a file or a pipe (rich would assume 80 and fold every table)."""


def console() -> Console:
    """A console for people: the terminal's width, or PIPE_WIDTH when the output is not a terminal."""
    probe = Console()
    return Console(highlight=False, soft_wrap=True, width=None if probe.is_terminal else PIPE_WIDTH)


def id_column(table: Table, header: str, ids: list[str]) -> None:
    """A column of ids that rich never cuts or folds: as wide as the longest id."""
    table.add_column(header, no_wrap=True, min_width=max([len(header), *map(len, ids)]))
