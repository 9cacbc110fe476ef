"""The README's commands run as written, and CI runs the README's test command."""

import re
import shlex

import pytest
from conftest import ROOT

README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```sh\n(.*?)```", README, flags=re.S)


def _breakeven_commands():
    for block in BLOCKS:
        for line in block.splitlines():
            part = line.split("&& breakeven ", 1)[-1] if "&& breakeven " in line else line
            if part.startswith("breakeven "):
                yield part.split("  #")[0].strip()


@pytest.mark.parametrize("command", list(_breakeven_commands()))
def test_readme_command_runs(cli, command, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = cli(*shlex.split(command)[1:])
    assert code == 0, err
    assert out.strip()


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quick, flags=re.S)
    assert len(commands) == 2
    assert commands[1] in (ROOT / ".ci" / "run").read_text()
