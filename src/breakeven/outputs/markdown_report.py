"""The Markdown report, for pull requests and wikis: the same content as the HTML report, with tables
in place of charts (the tornado and the probabilities keep a bar drawn in text)."""

from __future__ import annotations

from breakeven import __version__
from breakeven.outputs import report_tables as tables
from breakeven.outputs.format import percent
from breakeven.outputs.report_tables import TextTable
from breakeven.outputs.summary import answer, method, sentence, still_inputs_line

BAR_WIDTH = 20
"""Characters of a full text bar (a probability of 1)."""


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(t: TextTable) -> str:
    align = ["---:" if i in t.numeric else "---" for i in range(len(t.headers))]
    lines = ["| " + " | ".join(_escape(h) for h in t.headers) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(_escape(c) for c in row) + " |" for row in t.rows]
    return "\n".join(lines)


def bar(share: float) -> str:
    """A share as a bar of block characters."""
    return "█" * round(share * BAR_WIDTH) or "▏"


def _probabilities(e) -> str:
    u = e.uncertainty
    rows = [
        (
            c.name,
            bar(c.probability_cheapest),
            percent(c.probability_cheapest),
            f"{percent(c.probability_cheapest_interval.low)}–{percent(c.probability_cheapest_interval.high)}",
        )
        for c in u.candidates
    ]
    return table(TextTable(("candidate", "cheapest in", "share", "95% interval"), rows, (2,)))


def markdown_report(e) -> str:
    """The whole report as Markdown."""
    volume = table(tables.break_evens(e)) if e.break_even else tables.NO_BREAK_EVEN
    parts = [f"# {e.name}", f"**{answer(e)}**", "## Cost against volume", volume]
    if e.uncertainty is not None:
        parts += ["## How likely is each candidate the cheapest?", sentence(e.uncertainty.summary), _probabilities(e)]
        if e.uncertainty.tornado:
            still = still_inputs_line(e.uncertainty.tornado)
            moving = [table(tables.tornado(e))] if any(b.moves for b in e.uncertainty.tornado) else []
            parts += ["## What moves the answer", *moving, *([still] if still else [])]
    if e.horizon is not None:
        parts += [f"## Over {e.horizon.months} months", table(tables.horizon(e))]
        if e.horizon.payback:
            parts.append(table(tables.paybacks(e)))
        if e.horizon.break_even:
            parts.append(table(tables.time_break_evens(e)))
    parts += ["## Candidates", table(tables.candidates(e)), "## Assumptions", table(tables.assumptions(e))]
    if e.uncertainty is not None:
        parts += ["## Uncertain inputs", table(tables.inputs(e))]
    parts += ["## Method", method(e), f"*breakeven {__version__}*"]
    return "\n\n".join(parts) + "\n"
