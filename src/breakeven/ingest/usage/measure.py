"""From aggregates to the measured workload: the period, hour-of-day and hour-of-week profiles in a
time zone, the peak-to-mean ratio, concurrency by Little's law, and the monthly trend. Pure functions
of the aggregates (no I/O); the time zone rules come from the tz database (``zoneinfo``).

Months are 365/12 days (the 730-hour month the cost model uses).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from breakeven.core.demand import DAYS_PER_MONTH

QUARTER_S = 900
SECONDS_PER_MONTH = DAYS_PER_MONTH * 86400
MIN_PROFILE_DAYS = 1.0
"""Shortest period an hour-of-day profile is measured over (every hour must occur)."""
MIN_WEEK_PROFILE_DAYS = 7.0
MAX_PROFILE_BUCKET_S = 3600
"""Coarsest time bucket an hour-of-day profile can be read from."""


def utc(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def months_between(start_s: float, end_s: float) -> float:
    return (end_s - start_s) / SECONDS_PER_MONTH


def _quarters_between(start_s: float, end_s: float) -> range:
    return range(int(start_s // QUARTER_S), int(-(-end_s // QUARTER_S)))


@dataclass(frozen=True)
class Profiles:
    hourly: list[float]
    """24 weights, mean 1, hour 0 = 00:00-01:00 local time: requests per hour over the mean."""
    weekly: list[float] | None
    """168 weights, mean 1, Monday 00:00 first; None for periods under a week."""

    @property
    def peak_to_mean(self) -> float:
        return max(self.hourly)


def _weights(requests: list[float], occurrences: list[int]) -> list[float]:
    rates = [r / n if n else 0.0 for r, n in zip(requests, occurrences)]
    mean = sum(rates) / len(rates)
    return [r / mean if mean > 0 else 0.0 for r in rates]


def profiles(quarters: list[dict], zone: ZoneInfo, start_s: float, end_s: float) -> Profiles | None:
    """Requests per local hour of the day (and of the week) relative to the mean, each hour's count
    divided by how often that hour occurs in the period. None for periods under a day."""
    if end_s - start_s < MIN_PROFILE_DAYS * 86400:
        return None
    by_hour, by_week = [0.0] * 24, [0.0] * 168
    for q in quarters:
        local = utc(q["q"] * QUARTER_S).astimezone(zone)
        by_hour[local.hour] += q["requests"]
        by_week[local.weekday() * 24 + local.hour] += q["requests"]
    seen_hour, seen_week = [0] * 24, [0] * 168
    for q in _quarters_between(start_s, end_s):
        local = utc(q * QUARTER_S).astimezone(zone)
        seen_hour[local.hour] += 1
        seen_week[local.weekday() * 24 + local.hour] += 1
    weekly = _weights(by_week, seen_week) if end_s - start_s >= MIN_WEEK_PROFILE_DAYS * 86400 else None
    return Profiles(_weights(by_hour, seen_hour), weekly)


@dataclass(frozen=True)
class Concurrency:
    """Requests in flight by Little's law: per clock hour, the request seconds that started in it /
    3,600 s. Hours where only part of the requests have a duration are scaled up to all of them."""

    mean: float
    """Over the whole period."""
    peak: float
    peak_hour: str
    """Local start of the busiest hour (ISO 8601 with offset)."""
    coverage: float
    """Share of requests with a duration."""


def concurrency(quarters: list[dict], zone: ZoneInfo, start_s: float, end_s: float) -> Concurrency | None:
    timed = sum(q["requests_with_duration"] or 0 for q in quarters)
    if timed <= 0:
        return None
    hours: dict[dt.datetime, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for q in quarters:
        local = utc(q["q"] * QUARTER_S).astimezone(zone)
        key = local.replace(minute=0, second=0, microsecond=0)
        h = hours[key]
        h[0] += q["duration_sum_s"] or 0.0
        h[1] += q["requests_with_duration"] or 0.0
        h[2] += q["requests"]
    scaled = {k: (s * (n_all / n) if n else 0.0) for k, (s, n, n_all) in hours.items()}
    peak_hour = max(scaled, key=scaled.get)
    total_requests = sum(q["requests"] for q in quarters)
    return Concurrency(
        mean=sum(scaled.values()) / max(end_s - start_s, 3600.0),
        peak=scaled[peak_hour] / 3600,
        peak_hour=peak_hour.isoformat(),
        coverage=timed / total_requests if total_requests else 0.0,
    )


@dataclass(frozen=True)
class Month:
    month: str
    """YYYY-MM, local time."""
    requests: float
    input: float
    output: float
    partial: bool
    """The period covers only part of the month."""


def _month_start(d: dt.datetime) -> dt.datetime:
    return d.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(d: dt.datetime) -> dt.datetime:
    return (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def monthly(quarters: list[dict], zone: ZoneInfo, start_s: float, end_s: float) -> list[Month]:
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for q in quarters:
        local = utc(q["q"] * QUARTER_S).astimezone(zone)
        s = sums[local.strftime("%Y-%m")]
        s[0] += q["requests"]
        s[1] += q["input"]
        s[2] += q["output"]
    months = []
    cursor = _month_start(utc(start_s).astimezone(zone).replace(tzinfo=None))
    start_local, end_local = (utc(x).astimezone(zone).replace(tzinfo=None) for x in (start_s, end_s))
    while cursor < end_local:
        key, following = cursor.strftime("%Y-%m"), _next_month(cursor)
        requests, inp, out = sums.get(key, [0.0, 0.0, 0.0])
        months.append(Month(key, requests, inp, out, partial=cursor < start_local or following > end_local))
        cursor = following
    return months


def growth(months: list[Month]) -> tuple[float | None, list[float]]:
    """Mean month-over-month growth of tokens between the first and the last whole month (compound),
    and each whole month's change over the month before it."""
    whole = [m for m in months if not m.partial and m.input + m.output > 0]
    changes = [(b.input + b.output) / (a.input + a.output) - 1 for a, b in itertools.pairwise(whole)]
    if len(whole) < 2:
        return None, changes
    first, last = whole[0].input + whole[0].output, whole[-1].input + whole[-1].output
    return (last / first) ** (1 / (len(whole) - 1)) - 1, changes
