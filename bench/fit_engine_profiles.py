"""Fit the bundled engine profiles to catalog/data/measurements.yaml: the one place their constants
are fitted. Prints the tables of docs/calibration.md (fit, validation by group, every point with its
leave-one-out error, reference points, measured sweeps).

    python bench/fit_engine_profiles.py            # print the tables for docs/calibration.md
    python bench/fit_engine_profiles.py --write    # also write the fitted values into engines.yaml

Engines are fitted in the order of calibration/bundled.FIT_PLAN, each starting from its shipped
values and copying the fields it borrows from the fresh fits before it. tests/test_calibration.py
checks that the shipped values equal a fresh fit and that the docs tables are current.
"""

import re
import sys
from pathlib import Path

from breakeven.calibration.bundled import FIT_PLAN, refit_all
from breakeven.catalog.store import _index, entries
from breakeven.outputs.calibration_tables import generated_block

ROOT = Path(__file__).resolve().parent.parent
MEASURED = ROOT / "tests" / "data" / "measured"
ENGINES = ROOT / "src" / "breakeven" / "catalog" / "data" / "engines.yaml"
SIGNIFICANT = 4
"""Significant digits written to engines.yaml (a fresh fit must reproduce them within 1%)."""
AT_ZERO = 1e-9
"""Fitted values smaller than this are written as 0: the solver stops a hair above a bound of 0."""


def write_values(fits) -> None:
    """Replace the fitted and borrowed values of each engine block in engines.yaml, keeping the rest."""
    text = ENGINES.read_text(encoding="utf-8")
    for engine_id, plan in FIT_PLAN.items():
        start = text.index(f"  - id: {engine_id}\n")
        end = text.find("\n  - id: ", start + 1)
        end = len(text) if end < 0 else end
        block = text[start:end]
        for field in (*plan.free, *plan.borrowed):
            value = float(f"{getattr(fits[engine_id].profile, field):.{SIGNIFICANT}g}")
            value = 0.0 if abs(value) < AT_ZERO else value  # a fit that hit its lower bound of 0
            block = re.sub(rf"(?m)^(    {field}: ).*$", rf"\g<1>{value:g}", block, count=1)
        text = text[:start] + block + text[end:]
    ENGINES.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    fits = refit_all()
    if "--write" in sys.argv:
        write_values(fits)
        entries.cache_clear()  # the tables compare the values just written
        _index.cache_clear()
    print(generated_block(fits, MEASURED))
