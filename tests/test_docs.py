"""Every code block in the README and docs/ runs as written, and what it shows it prints.

Blocks are found and run with sybil, one test per block:
- ``python``: a doctest (``>>>`` lines; the shown values are compared) or a script that must run;
- ``console``: ``$ breakeven ...`` lines, each followed by the output it must print (``...`` elides,
  whitespace is normalized, as in doctest);
- ``sh``: every ``breakeven`` command in it exits 0 (``catalog check`` may exit 1: stale figures);
- ``yaml``: valid YAML; a scenario (``workload`` and ``candidates``) must also evaluate;
- ``json``: valid JSON; ``text``: not run (diagrams, formulas).
A block in any other language fails, so a new kind of example gets a way to check it.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import json
import os
import shlex

import pytest
import yaml
from conftest import ROOT
from sybil import Sybil
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MAY_EXIT_1 = ("breakeven catalog check",)
"""Commands whose exit code 1 is an answer, not a failure (stale catalog figures)."""
OUTPUT_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def run_breakeven(command: str) -> tuple[int, str, str]:
    """Run one ``breakeven ...`` command line in-process from the repository root."""
    from breakeven.cli import run

    argv = shlex.split(command.split("  #")[0])[1:]
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(argv)
    finally:
        os.chdir(here)
    return code, out.getvalue(), err.getvalue()


def _check_exit(command: str, code: int, err: str) -> None:
    allowed = (0, 1) if command.startswith(MAY_EXIT_1) else (0,)
    if code not in allowed:
        raise AssertionError(f"`{command}` exited {code}: {err.strip()}")


def breakeven_lines(source: str) -> list[str]:
    """The breakeven commands of a shell block (also after ``&&``, as in the quick start)."""
    found = []
    for line in source.splitlines():
        part = line.split("&& breakeven ", 1)[-1] if "&& breakeven " in line else line
        if part.startswith("breakeven "):
            found.append("breakeven " + part.removeprefix("breakeven ").strip())
    return found


def evaluate_sh(example) -> None:
    for command in breakeven_lines(example.parsed):
        code, _out, err = run_breakeven(command)
        _check_exit(command, code, err)


def console_sessions(source: str) -> list[tuple[str, str]]:
    """(command, expected output) pairs of a console block."""
    sessions: list[tuple[str, list[str]]] = []
    for line in source.splitlines():
        if line.startswith("$ "):
            sessions.append((line[2:].strip(), []))
        elif sessions:
            sessions[-1][1].append(line)
    return [(command, "\n".join(lines).strip() + "\n") for command, lines in sessions]


def evaluate_console(example) -> None:
    checker = doctest.OutputChecker()
    for command, expected in console_sessions(example.parsed):
        code, out, err = run_breakeven(command)
        _check_exit(command, code, err)
        if expected.strip() and not checker.check_output(expected, out, OUTPUT_FLAGS):
            diff = checker.output_difference(doctest.Example(command, expected), out, OUTPUT_FLAGS)
            raise AssertionError(f"`{command}` printed something else than the docs show:\n{diff}")


def evaluate_yaml(example) -> None:
    data = yaml.safe_load(example.parsed)
    if isinstance(data, dict) and "workload" in data and "candidates" in data:
        from breakeven.scenario.evaluate import evaluate
        from breakeven.scenario.load import parse

        evaluate(parse(data, "docs"), curve_points=0)


def evaluate_json(example) -> None:
    json.loads(example.parsed)


def unchecked(example) -> None:
    """A text block: shown, not run."""


PARSERS = [
    PythonCodeBlockParser(doctest_optionflags=OUTPUT_FLAGS),
    CodeBlockParser("console", evaluate_console),
    CodeBlockParser("sh", evaluate_sh),
    CodeBlockParser("yaml", evaluate_yaml),
    CodeBlockParser("json", evaluate_json),
    CodeBlockParser("text", unchecked),
]
CHECKED = {"python", "console", "sh", "yaml", "json", "text"}


def _examples():
    sybil = Sybil(PARSERS)
    for path in DOCS:
        for example in sybil.parse(path).examples():
            yield pytest.param(example, id=f"{path.relative_to(ROOT)}:{example.line}")


@pytest.mark.parametrize("example", list(_examples()))
def test_doc_block_runs_as_written(example):
    example.evaluate()


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fenced_block_has_a_checked_language(path):
    fences = [line.strip()[3:].strip() for line in path.read_text().splitlines() if line.strip().startswith("```")]
    openings = fences[0::2]
    unknown = [lang or "(none)" for lang in openings if lang not in CHECKED]
    assert not unknown, f"{path.name}: code blocks in {unknown}; give each a language this test checks: {CHECKED}"


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("\n", 1)[1].rsplit("\n```", 1)[0] for b in quick.split("```sh")[1:]]
    assert len(blocks) == 2
    assert blocks[1].strip() in (ROOT / ".ci" / "run").read_text()
