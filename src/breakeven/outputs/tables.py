"""Text tables for people (rich): the console, key-value tables, id columns, and the tables of an
evaluation, its uncertainty and its horizon, and of a calibration."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table


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


def working(message: str):
    """A spinner on stderr while something takes a while (shown on a terminal only; pipes see nothing)."""
    return Console(stderr=True).status(message)
