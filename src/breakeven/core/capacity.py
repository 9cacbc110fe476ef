"""What one replica carries for a request shape and a service level: the batch it runs, its output
rate, and how long a request stays in it (for Little's law).

The batch is the largest that fits the KV cache and meets the service level (``serving.serve``'s
search), or a concurrency the user measured. A request stays in the replica B O / X: B requests of O
output tokens at X tokens/s (Little's law on the node, prefill stalls and queueing included), so the
concurrency and the throughput a demand needs always agree. A measured output rate replaces the
model's X, and per-stream speed is then what that leaves each stream after its first token.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from breakeven.core.deployment import Deployment
from breakeven.core.serving import ServiceLevel, serve

MIN_DECODE_TIME_S = 1e-9
"""Floor on a request's decode time, s: a measured rate so high that the first token takes the whole
request would otherwise divide by zero."""


@dataclass(frozen=True)
class Capacity:
    """One replica serving one request shape (fields are numbers, or arrays over samples)."""

    concurrency_per_replica: float
    """Requests one replica serves at once (fractional only where a stated one scales with the context)."""
    output_tokens_per_s_per_replica: float
    tokens_per_s_per_stream: float
    ttft_s: float
    request_duration_s: float
    """Time a request spends in the replica, s: B O / X (Little's law)."""
    max_batch_fits: int
    """Sequences of the full context (input + output) whose KV cache fits one replica."""
    service_level_met: bool


def _meets(level: ServiceLevel, per_stream: float, ttft_s: float) -> bool:
    return (level.min_tokens_per_s is None or per_stream >= level.min_tokens_per_s) and (
        level.max_ttft_s is None or ttft_s <= level.max_ttft_s
    )


def replica_capacity(
    dep: Deployment,
    input_tokens: float,
    output_tokens: float,
    cached_input_tokens: float,
    level: ServiceLevel,
    concurrency: float | None = None,
    measured_output_tokens_per_s: float | None = None,
) -> Capacity:
    """Capacity of one replica (see the module docstring). A deployment where not one sequence fits
    carries nothing: concurrency 0, service level not met."""
    i, o, cached = input_tokens, output_tokens, cached_input_tokens
    if concurrency is None:
        s = serve(dep, i, o, None, cached, level)
        batch, met = s.batch, s.service_level_met is not False and s.batch >= 1
    else:
        s = serve(dep, i, o, concurrency, cached)  # beyond what fits, the speed is that of what fits
        batch = concurrency
        met = concurrency <= s.max_batch_fits and _meets(level, s.decode_tokens_per_s_per_stream, s.ttft_s)
    if s.max_batch_fits < 1:
        return Capacity(0, 0.0, 0.0, float("inf"), float("inf"), 0, False)
    rate, per_stream = s.output_tokens_per_s, s.decode_tokens_per_s_per_stream
    if measured_output_tokens_per_s is not None:
        rate = measured_output_tokens_per_s
        per_stream = o / max(batch * o / rate - s.ttft_s, MIN_DECODE_TIME_S)
        met = _meets(level, per_stream, s.ttft_s)
    duration = batch * o / rate
    return Capacity(batch, rate, per_stream, s.ttft_s, duration, s.max_batch_fits, bool(met))


def stacked(capacities: list[Capacity], index: np.ndarray) -> Capacity:
    """One Capacity of arrays: sample j takes ``capacities[index[j]]``."""
    fields = [f.name for f in dataclasses.fields(Capacity)]
    columns = {name: np.array([getattr(c, name) for c in capacities]) for name in fields}
    return Capacity(**{name: column[index] for name, column in columns.items()})
