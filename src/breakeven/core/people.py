"""People served: how many users of a kind one replica carries (publication [A]'s definitions).

A kind of user needs a speed per stream and keeps a stream busy a share of the time (the duty cycle),
with one or more streams (agents) per person. A replica that runs B streams at that speed serves
B / (duty cycle x streams per person) users. [A] counts the same way from a replica's throughput X:
B = X / speed (e.g. 15,000 tok/s / 100 tok/s / 10% = 1,500 classic users).
"""

from __future__ import annotations

import math

COUNT_SLACK = 1e-9
"""Relative slack before rounding a count down (15,000 / 100 must be 150 streams, not 149)."""


def whole(x: float) -> int:
    """``x`` rounded down to a whole count, forgiving float noise."""
    return math.floor(x * (1 + COUNT_SLACK)) if math.isfinite(x) and x > 0 else 0


def streams_at_speed(output_tokens_per_s: float, speed: float, fits: int) -> int:
    """Streams a replica making ``output_tokens_per_s`` keeps at ``speed`` each, at most ``fits``."""
    return min(whole(output_tokens_per_s / speed), fits) if speed > 0 else fits


def users(streams: float, duty_cycle: float, streams_per_user: float) -> float:
    """Users ``streams`` serve (infinite where a user never has a request in flight)."""
    load = duty_cycle * streams_per_user
    return streams / load if load > 0 else math.inf
