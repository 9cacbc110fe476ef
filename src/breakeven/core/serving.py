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


def _bound_of_step(dep: Deployment, batch: int, context: float) -> Bound:
    terms = decode_terms(dep, batch, context)
    compute = float(terms.compute_s / dep.engine.decode_compute_efficiency)
    return "compute" if compute > float(memory_time(terms, dep.engine)) else "memory_bandwidth"


def largest_batch_meeting(dep: Deployment, context: float, limit: int, min_tokens_per_s: float) -> int:
    """Largest batch up to ``limit`` whose per-stream decode speed is at least ``min_tokens_per_s``;
    0 if not even one stream reaches it. Step time never falls as the batch grows."""
    batches = np.arange(1, limit + 1)
    ok = 1.0 / decode_step_time(dep, batches, context) >= min_tokens_per_s
    return int(batches[ok].max()) if ok.any() else 0


def serve(
    dep: Deployment,
    input_tokens: float,
    output_tokens: float,
    concurrency: int | None,
    cached_input_tokens: float = 0.0,
    min_tokens_per_s: float | None = None,
) -> Serving:
    """Serve requests of ``input_tokens`` in / ``output_tokens`` out at ``concurrency`` streams
    (None: the largest batch that fits). The batch run is the smallest of the concurrency, what fits
    in the KV cache, and what the service level allows."""
    context = input_tokens + output_tokens
    fits = int(max_sequences(dep, context))
    wanted = fits if concurrency is None else concurrency
    batch, bound = min(wanted, fits), None
    if wanted > fits:
        bound = "kv_capacity"
    met = None
    if min_tokens_per_s is not None and batch >= 1:
        allowed = largest_batch_meeting(dep, input_tokens + output_tokens / 2, batch, min_tokens_per_s)
        met = allowed >= 1
        if met and allowed < batch:
            batch, bound = allowed, "service_level"
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
    mid_context = input_tokens + output_tokens / 2
    prefill = float(prefill_time(dep, input_tokens - cached, cached))
    if batch == 0:
        return Serving(
            0, fits, float("nan"), float("nan"), 0.0, 0.0, float("inf"), float("inf"), prefill, "kv_capacity", met
        )
    step = float(decode_step_time(dep, batch, mid_context))
    lifetime = batch * prefill + output_tokens * step  # one request's time in the batch, others' prefills included
    queue = max(offered / batch - 1.0, 0.0) * lifetime
    chunks = math.ceil(max(input_tokens - cached, 1) / dep.engine.prefill_chunk_tokens)
    busy_prefilling = (batch - 1) * prefill / lifetime
    contention = (chunks - 1) * step * (batch > 1) + busy_prefilling * prefill / 2
    return Serving(
        batch=batch,
        max_batch_fits=fits,
        step_time_s=step,
        mean_itl_s=step + (batch - 1) * prefill / output_tokens,
        decode_tokens_per_s_per_stream=1.0 / step,
        output_tokens_per_s=batch * output_tokens / lifetime,
        ttft_s=queue + prefill + step + contention,
        queue_s=queue,
        prefill_time_s=prefill,
        bound=bound or _bound_of_step(dep, batch, mid_context),
        service_level_met=met,
    )
