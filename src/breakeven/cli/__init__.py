"""The command line: a thin layer that parses into the library's objects and renders its results.

Bad input (InputError, pydantic ValidationError, usage errors) prints one clear line naming the option
as the user typed it, and exits 2.
"""

from __future__ import annotations

import re
import sys

import typer
from pydantic import ValidationError
from typer._click.exceptions import NoArgsIsHelpError
from typer.exceptions import TyperException

from breakeven.cli import calibrate_cmd, catalog_cmd, commands, ingest_cmd, report_cmd, scenario_cmds
from breakeven.errors import InputError

app = typer.Typer(
    name="breakeven",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Self-host an open-weights LLM or pay per token? Size, predict, price, find the break-even.",
)
app.command()(commands.size)
app.command()(commands.predict)
app.command()(commands.capacity)
app.command()(scenario_cmds.evaluate)
app.command()(scenario_cmds.plan)
app.command()(scenario_cmds.compare)
app.command()(scenario_cmds.example)
app.command()(report_cmd.report)
app.command()(scenario_cmds.serve)
app.command()(calibrate_cmd.calibrate)
app.command()(ingest_cmd.ingest)
app.add_typer(catalog_cmd.app, name="catalog")

USAGE_EXIT = 2
"""Exit code for bad input (click's own convention for usage errors)."""


def _command_of(argv: list[str]):
    """The (sub)command ``argv`` invokes, following group names; None if it names only a group."""
    command = typer.main.get_command(app)
    for token in argv:
        sub = getattr(command, "commands", {}).get(token)
        if sub is None:
            break
        command = sub
    return None if hasattr(command, "commands") else command


def _as_typed(exc: InputError, argv: list[str]) -> InputError:
    """The error naming the options the user typed (``--gpu-offer``) where its field is made of options
    of the command (``gpu_offer``, ``input_tokens + output_tokens``); arguments keep their names, as
    typer's own messages write them."""
    options: dict[str, str] = {}
    for param in getattr(_command_of(argv), "params", []):
        if param.param_type_name == "option":
            longest = max(param.opts, key=len)
            options[param.name] = longest
            options[longest.removeprefix("--").replace("-", "_")] = longest  # --format for a `fmt` parameter
    typed = re.sub(r"[a-z][a-z0-9_-]*", lambda m: options.get(m[0].replace("-", "_"), m[0]), exc.field)
    return exc if typed == exc.field else exc.about(typed)


def _usage_error(exc: TyperException, argv: list[str]) -> str:
    """One line for a usage error (unknown option, missing or malformed value), with where to look."""
    words = ["breakeven"]
    command = typer.main.get_command(app)
    for token in argv:
        command = getattr(command, "commands", {}).get(token)
        if command is None:
            break
        words.append(token)
    return f"error: {exc.format_message()} (see: {' '.join(words)} --help)"


def run(argv: list[str]) -> int:
    """Run the CLI on ``argv``; returns the exit code (0 ok, 1 a check failed, 2 bad input)."""
    try:
        result = app(args=argv, prog_name="breakeven", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        print("aborted", file=sys.stderr)
        return 1
    except NoArgsIsHelpError as exc:
        print(exc.format_message())
        return 0
    except TyperException as exc:
        print(_usage_error(exc, argv), file=sys.stderr)
        return getattr(exc, "exit_code", USAGE_EXIT)
    except InputError as exc:
        print(f"error: {_as_typed(exc, argv)}", file=sys.stderr)
        return USAGE_EXIT
    except ValidationError as exc:
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "input"
            print(f"error: {where}: {err['msg']} (got {err.get('input')!r})", file=sys.stderr)
        return USAGE_EXIT
    return result if isinstance(result, int) else 0


def main() -> None:
    sys.exit(run(sys.argv[1:]))
