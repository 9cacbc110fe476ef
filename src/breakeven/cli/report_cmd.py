"""The `report` command: a scenario's whole answer as one self-contained HTML file, or as Markdown."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from breakeven.errors import InputError
from breakeven.outputs.tables import working
from breakeven.scenario.analysis import analyse
from breakeven.scenario.draws import MAX_SAMPLES, MIN_SAMPLES
from breakeven.scenario.load import load, load_calibrations
from breakeven.scenario.uncertainty import DEFAULT_SAMPLES, DEFAULT_SEED

FORMATS = {"html": "html", "md": "md", "markdown": "md"}
"""--format values (and output suffixes) and the report they give."""


def _format(fmt: str | None, output: str | None) -> str:
    if fmt is not None:
        if fmt.lower() not in FORMATS:
            raise InputError("format", fmt, "html or md")
        return FORMATS[fmt.lower()]
    suffix = Path(output).suffix.lstrip(".").lower() if output and output != "-" else ""
    return FORMATS.get(suffix, "html")


def report(
    file: Annotated[str, typer.Argument(help="Scenario YAML file")],
    output: Annotated[
        Optional[str], typer.Option("--output", "-o", help="File to write ('-': stdout; default: <file>-report.html)")
    ] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="html (default) or md")] = None,
    samples: Annotated[
        int, typer.Option(help=f"Monte Carlo samples ({MIN_SAMPLES:,} to {MAX_SAMPLES:,})")
    ] = DEFAULT_SAMPLES,
    seed: Annotated[int, typer.Option(help="Seed of the Monte Carlo: same seed, same report")] = DEFAULT_SEED,
) -> None:
    """Write a report: the answer, cost curves with their P10-P90 bands, the probability that
    self-hosting wins, the tornado, the horizon, the candidates and every assumption."""
    kind = _format(fmt, output)
    scenario = load(file)
    calibrations = load_calibrations(scenario, Path(file).parent)
    with working(f"drawing {samples:,} samples, the tornado and the horizon"):
        result = analyse(scenario, calibrations, samples=samples, seed=seed, horizon=True)
    if kind == "md":
        from breakeven.outputs.markdown_report import markdown_report

        text = markdown_report(result)
    else:
        from breakeven.outputs.html_report import html_report

        text = html_report(result)
    if output == "-":
        sys.stdout.write(text)
        return
    path = Path(output) if output else Path(f"{Path(file).stem}-report.{kind}")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError("output", str(path), f"a file that can be written ({exc.strerror})") from None
    print(f"wrote {path} ({len(text.encode('utf-8')) / 1e6:.1f} MB): {result.uncertainty.summary}")
