"""Numbers that may be ranges: ``1500`` or ``[1500, 6000]``. The point estimate is the midpoint.

Every amount is bounded (breakeven.limits): NaN, infinities and numbers past what the world holds
are refused with the bound and its reason, and the JSON Schema states the bounds."""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import AfterValidator, WithJsonSchema

from breakeven import limits
from breakeven.limits import Limit


def _checker(low: float, high: Limit):
    def check(value: float | tuple[float, float]) -> float | tuple[float, float]:
        if isinstance(value, tuple):
            if not all(high.holds(v, low) for v in value):
                raise ValueError(f"both ends must be {high.allowed(low)}; got [{value[0]:g}, {value[1]:g}]")
            if value[0] > value[1]:
                raise ValueError(f"a range is [low, high]; got [{value[0]:g}, {value[1]:g}]")
        elif not high.holds(value, low):
            raise ValueError(f"must be a finite number {high.allowed(low)}")
        return value

    return check


def _schema(low: float, high: Limit) -> dict[str, Any]:
    number = {"type": "number", "minimum": low, "maximum": high.high}
    pair = {"type": "array", "prefixItems": [number, number], "minItems": 2, "maxItems": 2}
    return {"anyOf": [number, pair], "description": f"a number or a [low, high] range, {high.allowed(low)}"}


def amount(low: float = 0.0, high: Limit = limits.FIGURE) -> Any:
    """The type of a finite number in [low, high.high], or a [low, high] range of them."""
    return Annotated[
        Union[float, tuple[float, float]], AfterValidator(_checker(low, high)), WithJsonSchema(_schema(low, high))
    ]


Amount = amount()
"""A finite, non-negative number or a [low, high] range of them, at most limits.FIGURE."""
Money = amount(0.0, limits.MONEY)
"""A price or a sum of money (or a range), in its block's currency, at most limits.MONEY."""
Share = amount(0.0, limits.SHARE)
"""A share of a whole, 0 to 1 (or a range)."""


def mid(value: float | tuple[float, float]) -> float:
    """Point estimate of an Amount: the number itself, or the midpoint of a range."""
    if isinstance(value, tuple):
        return (value[0] + value[1]) / 2
    return float(value)


def number(x: float) -> str:
    """A number as people read it, never in exponent notation between 1e-4 and 1e15: thousands
    separated and whole from 1,000 up (``28,230``), four significant digits below (``1.176``, ``0.0125``)."""
    if x == 0 or x != x or x in (float("inf"), float("-inf")):
        return f"{x:g}"
    size = abs(x)
    if size >= 1e15 or size < 1e-4:
        return f"{x:.3e}"
    if size >= 1000:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def show(value: float | tuple[float, float]) -> str:
    """An Amount as people write it: ``3,750`` or ``1,500–6,000``."""
    if isinstance(value, tuple):
        return f"{number(value[0])}–{number(value[1])}"
    return number(float(value))


def count(n: int, thing: str) -> str:
    """``1 GPU``, ``8 GPUs``."""
    return f"{n:,} {thing}" + ("" if n == 1 else "s")
