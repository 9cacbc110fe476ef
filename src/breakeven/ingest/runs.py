"""One benchmark run, as every benchmark importer normalizes it (the adapters' record type;
calibration imports it, never the other way round).

Units: tokens, milliseconds, tokens per second, requests per second. A run at a fixed request rate
(no concurrency limit) gets its mean concurrency from Little's law: request throughput x mean
end-to-end latency.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BenchRun:
    """Means over one run of a load generator."""

    source: str
    """File (and line or index) the run came from."""
    tool: str
    concurrency: float
    input_tokens: float
    output_tokens: float
    itl_ms: float | None = None
    """Median inter-token latency, ms (the decode step)."""
    mean_itl_ms: float | None = None
    """Mean inter-token latency or time per output token, ms (prefill stalls included)."""
    ttft_ms: float | None = None
    output_tokens_per_s: float | None = None
    requests_per_s: float | None = None
    completed: int | None = None
    derived_concurrency: bool = False


class ImportProblem(ValueError):
    """A file or row that could not be read: where, and why."""


def mean_concurrency(requests_per_s: float, e2e_latency_ms: float) -> float:
    """Little's law: requests in flight = arrival rate x time in the system."""
    return requests_per_s * e2e_latency_ms / 1000
