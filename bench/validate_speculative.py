"""Speculative decoding against published speed-ups: prints the generated section of
docs/calibration.md (fitted acceptances, errors by use, every point).

    python bench/validate_speculative.py

Nothing is written: no engine constant is fitted to these points (the acceptance of a sweep that
published none is fitted on its fit points each time). tests/test_speculative.py checks the docs
section is current.
"""

from breakeven.calibration.speculative_report import generated_block

if __name__ == "__main__":
    print(generated_block())
