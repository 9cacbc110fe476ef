"""Serving with continuous batching: the batch actually run, its speed and what bounds it.

A request of I input tokens (P of them a cached prefix) and O output tokens costs the replica one
prefill of I - P tokens plus O decode steps shared with the rest of the batch. Over many requests at
concurrency B the replica delivers B x O / (B x prefill + O x step) output tokens per second (prefill
steals GPU time from decode, as with chunked prefill). While decoding, each stream sees one token per
step (the median inter-token latency); averaged over its life it also waits for the other B - 1
requests' prefills: mean ITL = step + (B - 1) x prefill / O. The first token comes after its prefill
plus one step, and, when more requests are offered than fit (closed loop, concurrency C > B), after
queueing: Little's law gives a time in the system of C / X with X = B / (B x prefill + O x step)
requests/s, so the wait is (C / B - 1) x (B x prefill + O x step). Under load the prompt is also
prefilled in chunks that each share a step with the running batch (ceil(new tokens / chunk) steps
added), and it may find another prompt's prefill under way: the GPU spends (B - 1) x prefill /
lifetime of its time on other prefills, each leaving half its length to wait on average.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from breakeven.core.deployment import Deployment
from breakeven.core.performance import decode_step_time, decode_terms, memory_time, prefill_time
from breakeven.core.sizing import max_sequences

Bound = Literal["memory_bandwidth", "compute", "kv_capacity", "service_level"]


@dataclass(frozen=True)
class Serving:
    """How one replica serves a request shape at a concurrency."""

    batch: int
    """Sequences decoded together in each step."""
    max_batch_fits: int
    """Sequences of the full context (input + output) whose KV cache fits."""
    step_time_s: float
    """Decode step = median inter-token latency."""
    mean_itl_s: float
    """Mean inter-token latency: the step plus the other requests' prefills spread over the output."""
    decode_tokens_per_s_per_stream: float
    output_tokens_per_s: float
    ttft_s: float
    """Queue wait (if more is offered than fits) + prefill + one step."""
    queue_s: float
    prefill_time_s: float
    bound: Bound
    service_level_met: bool | None
    """None when no service level was asked for."""


@dataclass(frozen=True)
class ServiceLevel:
    """What the users need of every stream; None: no limit."""

    min_tokens_per_s: float | None = None
    """Decode tokens/s per stream (1 / step time)."""
    max_ttft_s: float | None = None
    """Time to first token, s, as ``serve`` reports it (prefill + one step + chunked-prefill contention)."""

    @property
    def is_set(self) -> bool:
        return self.min_tokens_per_s is not None or self.max_ttft_s is not None


@dataclass(frozen=True)
class BatchTimings:
    """Times of a replica running each batch in ``batches`` with no queue (arrays over batches)."""

    batches: np.ndarray
    prefill_s: float
    step_s: np.ndarray
    lifetime_s: np.ndarray
    """One request's time in the batch: its decode steps plus every request's prefill."""
    ttft_s: np.ndarray
    """Prefill + one step + contention with the running batch (no queue)."""
    mean_itl_s: np.ndarray
    output_tokens_per_s: np.ndarray

    def meets(self, level: ServiceLevel) -> np.ndarray:
        """Which batches meet the service level."""
        ok = np.ones_like(self.step_s, dtype=bool)
        if level.min_tokens_per_s is not None:
            ok &= 1.0 / self.step_s >= level.min_tokens_per_s
        if level.max_ttft_s is not None:
            ok &= self.ttft_s <= level.max_ttft_s
        return ok


def _bound_of_step(dep: Deployment, batch: int, context: float) -> Bound:
    terms = decode_terms(dep, batch, context)
    compute = float(terms.compute_s / dep.engine.decode_compute_efficiency)
    return "compute" if compute > float(memory_time(terms, dep.engine)) else "memory_bandwidth"


def batch_timings(
    dep: Deployment, batches: np.ndarray, input_tokens: float, output_tokens: float, cached: float = 0.0
) -> BatchTimings:
    """Step, TTFT, mean ITL and throughput at each batch size (see the module docstring): the one
    definition of TTFT that both ``serve`` and the service-level search use."""
    b = np.asarray(batches, dtype=float)
    prefill = float(prefill_time(dep, input_tokens - cached, cached))
    step = decode_step_time(dep, b, input_tokens + output_tokens / 2)
    lifetime = b * prefill + output_tokens * step
    chunks = math.ceil(max(input_tokens - cached, 1) / dep.engine.prefill_chunk_tokens)
    busy_prefilling = (b - 1) * prefill / lifetime
    contention = (chunks - 1) * step * (b > 1) + busy_prefilling * prefill / 2
    return BatchTimings(
        batches=b,
        prefill_s=prefill,
        step_s=step,
        lifetime_s=lifetime,
        ttft_s=prefill + step + contention,
        mean_itl_s=step + (b - 1) * prefill / output_tokens,
        output_tokens_per_s=b * output_tokens / lifetime,
    )


def largest_batch_meeting(
    dep: Deployment, input_tokens: float, output_tokens: float, cached: float, level: ServiceLevel, limit: int
) -> int:
    """Largest batch up to ``limit`` that meets the service level; 0 if not even one stream does.
    Step time and TTFT never fall as the batch grows, so the batches that meet it are 1..answer:
    found by bisection (about log2(limit) evaluations, whatever the KV cache holds)."""

    def ok(batch: int) -> bool:
        return bool(batch_timings(dep, np.array([batch]), input_tokens, output_tokens, cached).meets(level)[0])

    if limit < 1 or not ok(1):
        return 0
    if ok(limit):
        return limit
    good, bad = 1, limit  # ok(good) holds, ok(bad) does not
    while bad - good > 1:
        middle = (good + bad) // 2
        good, bad = (middle, bad) if ok(middle) else (good, middle)
    return good


def serve(
    dep: Deployment,
    input_tokens: float,
    output_tokens: float,
    concurrency: int | None,
    cached_input_tokens: float = 0.0,
    level: ServiceLevel | None = None,
) -> Serving:
    """Serve requests of ``input_tokens`` in / ``output_tokens`` out at ``concurrency`` streams
    (None: the largest batch that fits). The batch run is the smallest of the concurrency, what fits
    in the KV cache, and what the service level allows; if no batch meets it, one stream runs and
    the service level is reported as not met."""
    fits = int(max_sequences(dep, input_tokens + output_tokens))
    wanted = fits if concurrency is None else concurrency
    batch, bound, met = min(wanted, fits), None, None
    if wanted > fits:
        bound = "kv_capacity"
    if level is not None and level.is_set and batch >= 1:
        allowed = largest_batch_meeting(dep, input_tokens, output_tokens, cached_input_tokens, level, batch)
        met = allowed >= 1
        if allowed < batch:
            batch, bound = max(allowed, 1), "service_level"
    batch = max(batch, 1) if fits >= 1 else 0
    offered = wanted if concurrency is not None else batch
    return _serving_at(dep, batch, fits, input_tokens, output_tokens, cached_input_tokens, bound, met, offered)


def _serving_at(
    dep: Deployment,
    batch: int,
    fits: int,
    input_tokens: float,
    output_tokens: float,
    cached: float,
    bound: Bound | None,
    met: bool | None,
    offered: int,
) -> Serving:
    if batch == 0:
        prefill = float(prefill_time(dep, input_tokens - cached, cached))
        nan, inf = float("nan"), float("inf")
        return Serving(0, fits, nan, nan, 0.0, 0.0, inf, inf, prefill, "kv_capacity", met)
    t = batch_timings(dep, np.array([batch]), input_tokens, output_tokens, cached)
    step, lifetime = float(t.step_s[0]), float(t.lifetime_s[0])
    queue = max(offered / batch - 1.0, 0.0) * lifetime
    return Serving(
        batch=batch,
        max_batch_fits=fits,
        step_time_s=step,
        mean_itl_s=float(t.mean_itl_s[0]),
        decode_tokens_per_s_per_stream=1.0 / step,
        output_tokens_per_s=float(t.output_tokens_per_s[0]),
        ttft_s=queue + float(t.ttft_s[0]),
        queue_s=queue,
        prefill_time_s=t.prefill_s,
        bound=bound or _bound_of_step(dep, batch, input_tokens + output_tokens / 2),
        service_level_met=met,
    )
