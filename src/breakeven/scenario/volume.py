"""Volumes as people write them: "2B/month", "50M tokens/day", "1.5e9", "120k requests/day"."""

from __future__ import annotations

import re

from breakeven import limits
from breakeven.core.demand import DAYS_PER_MONTH, HOURS_PER_MONTH
from breakeven.errors import InputError

SUFFIX = {"": 1.0, "k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12}
PER_MONTH = {
    "month": 1.0,
    "mo": 1.0,
    "day": DAYS_PER_MONTH,
    "d": DAYS_PER_MONTH,
    "hour": HOURS_PER_MONTH,
    "h": HOURS_PER_MONTH,
    "week": 52 / 12,
    "year": 1 / 12,
    "s": HOURS_PER_MONTH * 3600,
    "sec": HOURS_PER_MONTH * 3600,
    "second": HOURS_PER_MONTH * 3600,
}
KINDS = {
    "tokens": "tokens",
    "token": "tokens",
    "tok": "tokens",
    "requests": "requests",
    "request": "requests",
    "req": "requests",
}
PATTERN = re.compile(
    r"^\s*(?P<num>[0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*(?P<suffix>(?:[kmbgt](?![a-z]))?)\s*"
    r"(?P<kind>[a-z]+)?\s*(?:(?:/|per\s+)\s*(?P<per>[a-z]+))?\s*$",
    re.IGNORECASE,
)
ALLOWED = (
    'a number with an optional k/M/B suffix, "tokens" or "requests", and a period: e.g. "2B/month", '
    '"50M tokens/day", "1.5e9", "120k requests/day"'
)


def parse_volume(text: str) -> tuple[float, str]:
    """(amount per month, 'tokens' or 'requests'); tokens per month when unstated."""
    m = PATTERN.match(text or "") if len(text or "") <= limits.NAME_CHARS else None
    if not m:
        raise InputError("volume", text, ALLOWED)
    kind_word = (m["kind"] or "tokens").lower()
    per = (m["per"] or "month").lower()
    per = per if per in PER_MONTH else per.rstrip("s")
    if kind_word not in KINDS or per not in PER_MONTH:
        raise InputError("volume", text, ALLOWED)
    value = float(m["num"]) * SUFFIX[m["suffix"].lower()] * PER_MONTH[per]
    if value <= 0:
        raise InputError("volume", text, "a volume above zero")
    kind = KINDS[kind_word]
    bound = limits.TOKENS_PER_MONTH if kind == "tokens" else limits.REQUESTS_PER_MONTH
    if not bound.holds(value):
        raise InputError("volume", text, f"{bound.allowed()}; this is {value:.3g} {kind}/month")
    return value, kind
