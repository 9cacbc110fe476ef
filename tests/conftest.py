import datetime as dt
from pathlib import Path

import pytest

pytest_plugins = ["browser_fixtures"]
"""The browser tests' fixtures (base_url, browser, page, phone)."""

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
    """The property and fuzz tests run derandomized by default (the examples are fixed by each test's
    code), so the suite's result on a clean checkout does not depend on luck; the ``explore`` profile
    draws new examples every run, for hunting bugs: ``python -m pytest --hypothesis-profile=explore``."""
    from hypothesis import settings

    settings.register_profile("default", derandomize=True, print_blob=True)
    settings.register_profile("explore", derandomize=False, print_blob=True)
    settings.load_profile("default")


_hypothesis_profiles()


def pytest_terminal_summary(terminalreporter):
    """The fuzz tests' figures: cases, slowest case, budget overruns, errors that named their field."""
    import sys

    support = sys.modules.get("fuzz_support")
    if support is None or not support.STATS:
        return
    terminalreporter.section("fuzz cases")
    total = 0
    for kind, s in sorted(support.STATS.items()):
        total += s["cases"]
        terminalreporter.write_line(
            f"{kind}: {s['cases']:.0f} cases, slowest {s['max_cpu_s']:.3f} CPU-s, over 1 s {s['over_time']:.0f}, "
            f"over 500 MB {s['over_memory']:.0f}, refused {s['exit_2']:.0f} (naming the field: {s['errors_named']:.0f})"
        )
    terminalreporter.write_line(f"total: {total} cases")
