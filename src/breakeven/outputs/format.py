"""The one formatter for numbers, money and volumes, as people read them.

Money is shown with its currency and to sensible figures (``EUR 1,234``, ``EUR 12.34``); volumes in the
axis' own unit with a B/M suffix (``2.1B tokens/month``, ``2,298 monthly active users``). Every face
(CLI tables, JSON display strings, the Markdown and HTML reports, the sentences of a recommendation)
uses these functions, so the same figure reads the same everywhere.
"""

from __future__ import annotations

import math

AXIS_UNITS = {
    "monthly_active_users": "monthly active users",
    "requests_per_month": "requests/month",
    "tokens_per_month": "tokens/month",
}
"""How a volume on each axis is written."""
UNIT_SCALE = {
    "tokens_per_month": (1e6, "million tokens"),
    "requests_per_month": (1e3, "thousand requests"),
    "monthly_active_users": (1.0, "monthly active user"),
}
"""How a cost per unit of volume is shown: per million tokens, per thousand requests, per user."""


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


def money(x: float | None, currency: str) -> str:
    """EUR 1,234 / EUR 12.34 / -: money shown to sensible figures, with its currency."""
    if x is None or not math.isfinite(x):
        return "-"
    return f"{currency} {x:,.0f}" if abs(x) >= 100 else f"{currency} {x:,.2f}"


def short_volume(v: float | None) -> str:
    """A volume without its unit: ``2.1B``, ``2,298``, ``never`` where there is none."""
    if v is None or not math.isfinite(v):
        return "never"
    for suffix, size in (("T", 1e12), ("B", 1e9), ("M", 1e6)):
        if abs(v) >= size:
            return f"{v / size:.3g}{suffix}"
    return f"{v:,.0f}"


def volume(v: float | None, axis: str) -> str:
    """2.1B tokens/month, 2,298 monthly active users; ``never`` where there is no volume."""
    if v is None or not math.isfinite(v):
        return "never"
    return f"{short_volume(v)} {AXIS_UNITS[axis]}"


def volume_span(low: float | None, high: float | None, axis: str) -> str:
    """Two volumes and the unit once: ``16,029–50,285 monthly active users``, ``16,029–never ...``."""
    return f"{short_volume(low)}–{short_volume(high)} {AXIS_UNITS[axis]}"


def per_unit_money(x: float, currency: str, axis: str) -> str:
    """A cost per unit of volume in money and the user's unit: 'USD 0.37 per million tokens'."""
    scale, unit = UNIT_SCALE[axis]
    return f"{money(x * scale, currency)} per {unit}"


def percent(p: float | None) -> str:
    """A share as a whole percentage (``71%``); near 0 and 100 with one decimal, and ``<0.1%`` or
    ``>99.9%`` rather than a rounded 0% or 100% that did not happen."""
    if p is None or not math.isfinite(p):
        return "-"
    pct = 100 * p
    if 0 < pct < 0.1:
        return "<0.1%"
    if 99.9 < pct < 100:
        return ">99.9%"
    return f"{pct:.1f}%" if 0 < pct < 1 or 99 < pct < 100 else f"{pct:.0f}%"


def human_bytes(n: float) -> str:
    """Bytes in decimal units (GB = 1e9 B), 3 significant digits."""
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if abs(n) >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n:.0f} B"


def human_number(x: float, digits: int = 3) -> str:
    """Thousands separated from 1,000 up, ``digits`` significant digits below."""
    if not math.isfinite(x):
        return "-"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}g}"


def month(m: int | None) -> str:
    """``month 17`` or ``not within the horizon``."""
    return "not within the horizon" if m is None else f"month {m}"
