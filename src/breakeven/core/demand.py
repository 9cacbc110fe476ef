"""Demand: requests and tokens per month, and the peak concurrency replicas must carry.

Months are 365/12 days = 730 hours (8,760 / 12). Users mode (publication [B]): users in flight at the
peak = monthly users x share online at the peak x duty cycle. Traffic and token modes: the peak
request rate from the hourly profile, and concurrency by Little's law = rate x request duration.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HOURS_PER_MONTH = 8760 / 12
"""730 h: the average month (8,760 h a year / 12)."""
DAYS_PER_MONTH = 365 / 12
BUSINESS_HOURS = tuple([0.1] * 8 + [1.0] * 10 + [0.1] * 6)
"""Hourly weights for 'business_hours' (est): full load 08:00-18:00, a tenth of it otherwise."""
FLAT = tuple([1.0] * 24)


@dataclass(frozen=True)
class RequestShape:
    """Tokens of one request."""

    input_tokens: float
    cached_input_tokens: float
    output_tokens: float
    cache_write_tokens: float = 0.0

    @property
    def uncached_input_tokens(self) -> float:
        return self.input_tokens - self.cached_input_tokens


@dataclass(frozen=True)
class Demand:
    """A month of demand. Exactly one of ``peak_concurrency`` (users mode) or ``peak_requests_per_s``
    (traffic and token modes) is set; concurrency from a rate needs the request duration."""

    requests_per_month: float
    shape: RequestShape
    peak_concurrency: float | None = None
    peak_requests_per_s: float | None = None

    @property
    def input_tokens(self) -> float:
        return self.requests_per_month * self.shape.input_tokens

    @property
    def output_tokens(self) -> float:
        return self.requests_per_month * self.shape.output_tokens

    @property
    def tokens(self) -> float:
        """Input plus output tokens per month."""
        return self.input_tokens + self.output_tokens

    def concurrency(self, request_duration_s: float) -> float:
        """Requests in flight at the peak."""
        if self.peak_concurrency is not None:
            return self.peak_concurrency
        return self.peak_requests_per_s * request_duration_s


def peak_to_mean(profile: tuple[float, ...] | list[float]) -> float:
    """Peak hour's share of traffic over the mean hour's share (1 for a flat profile)."""
    weights = np.asarray(profile, dtype=float)
    return float(weights.max() / weights.mean())


def users_demand(
    monthly_active: float, requests_per_user: float, peak_online_share: float, duty_cycle: float, shape: RequestShape
) -> Demand:
    """Users mode: requests = users x requests per user; in flight at peak = users x online share x duty."""
    return Demand(
        requests_per_month=monthly_active * requests_per_user,
        shape=shape,
        peak_concurrency=monthly_active * peak_online_share * duty_cycle,
    )


def rate_demand(requests_per_month: float, profile: tuple[float, ...] | list[float], shape: RequestShape) -> Demand:
    """Traffic/token modes: the peak rate is the mean rate times the profile's peak-to-mean ratio."""
    mean_rate = requests_per_month / (HOURS_PER_MONTH * 3600)
    return Demand(
        requests_per_month=requests_per_month, shape=shape, peak_requests_per_s=mean_rate * peak_to_mean(profile)
    )
