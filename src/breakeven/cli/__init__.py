"""The command line: a thin layer that parses into the library's objects and renders its results.

Bad input (InputError, pydantic ValidationError, usage errors) prints one clear line and exits 2.
"""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError

from breakeven.cli import calibrate_cmd, catalog_cmd, commands, ingest_cmd, scenario_cmds
from breakeven.errors import InputError

app = typer.Typer(
    name="breakeven",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Self-host an open-weights LLM or pay per token? Size, predict, price, find the break-even.",
)
app.command()(commands.size)
app.command()(commands.predict)
app.command()(scenario_cmds.evaluate)
app.command()(scenario_cmds.compare)
app.command()(scenario_cmds.example)
app.command()(scenario_cmds.serve)
app.command()(calibrate_cmd.calibrate)
app.command()(ingest_cmd.ingest)
app.add_typer(catalog_cmd.app, name="catalog")


def run(argv: list[str]) -> int:
    """Run the CLI on ``argv``; returns the exit code (0 ok, 1 a check failed, 2 bad input)."""
    try:
        app(args=argv, prog_name="breakeven", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "input"
            print(f"error: {where}: {err['msg']} (got {err.get('input')!r})", file=sys.stderr)
        return 2
    return 0


def main() -> None:
    sys.exit(run(sys.argv[1:]))
