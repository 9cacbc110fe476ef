"""Numbers that may be ranges: ``1500`` or ``[1500, 6000]``. The point estimate is the midpoint."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import AfterValidator

from breakeven.outputs.format import number


def _check(value: float | tuple[float, float]) -> float | tuple[float, float]:
    values = value if isinstance(value, tuple) else (value,)
    if any(v < 0 or v != v or v == float("inf") for v in values):
        raise ValueError(f"must be a finite number of at least 0; got {value}")
    if isinstance(value, tuple) and value[0] > value[1]:
        raise ValueError(f"a range is [low, high]; got [{value[0]}, {value[1]}]")
    return value


Amount = Annotated[Union[float, tuple[float, float]], AfterValidator(_check)]
"""A finite, non-negative number or a [low, high] range of them (prices, counts, shares, hours)."""


def mid(value: float | tuple[float, float]) -> float:
    """Point estimate of an Amount: the number itself, or the midpoint of a range."""
    if isinstance(value, tuple):
        return (value[0] + value[1]) / 2
    return float(value)


def show(value: float | tuple[float, float]) -> str:
    """An Amount as people write it: ``3,750`` or ``1,500–6,000``."""
    if isinstance(value, tuple):
        return f"{number(value[0])}–{number(value[1])}"
    return number(float(value))


def count(n: int, thing: str) -> str:
    """``1 GPU``, ``8 GPUs``."""
    return f"{n:,} {thing}" + ("" if n == 1 else "s")
