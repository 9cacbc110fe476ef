import datetime as dt
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HF_CONFIGS = ROOT / "tests" / "data" / "hf_configs"
TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def cli(capsys):
    """Run the CLI in-process: returns (exit code, stdout, stderr)."""
    from breakeven.cli import run

    def _run(*argv: str):
        code = run(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


def _hypothesis_profiles() -> None:
    """CI runs the property tests derandomized, so a submission's result does not depend on luck;
    locally they explore new examples every run."""
    import os

    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, print_blob=True)
    if os.environ.get("CI"):
        settings.load_profile("ci")


_hypothesis_profiles()
