"""Serving with continuous batching: the batch actually run, its speed and what bounds it.

A request of I input tokens (P of them a cached prefix) and O output tokens costs the replica its
prompt's prefill plus O decode steps shared with the rest of the batch. The prompt is prefilled in
k = ceil((I - P) / room) chunks, room being the engine's step budget less the other B - 1 running
decodes; each chunk rides one step with them (chunked prefill), so the prefill shares that step's
weight read and costs the batch only what the chunk adds to the step:

    step        = decode step of B sequences                       [the median inter-token latency;
                  speculating: verification + drafting, yielding tokens per step per sequence (core/speculative.py),
                  and O x step below reads O / tokens per step x step]
    mixed       = step of B - 1 decodes + one chunk of (I - P) / k prompt tokens
    prompt cost = k x (mixed - step of the B - 1 decodes alone)   [extra time one prefill adds; under
                  data-parallel attention the rank-local part is shared by the prompts prefilling at
                  once on other ranks: see prompt_cost]
    lifetime    = O x step + B x prompt cost                       [one request's time in the batch]
    total output tok/s = B x O / lifetime
    mean ITL    = step + (B - 1) x prompt cost / O                 [the others' prefills stall it]
    TTFT        = queue + k x mixed + busy x prompt cost / 2,  busy = (B - 1) x prompt cost / lifetime
    queue       = (C / B - 1) x lifetime  when C > B requests are offered (closed loop, Little's law)

At B = 1 the prompt cost is the prompt's prefill alone and TTFT that prefill. With prefill/decode
disaggregation (a prefill pool of its own) the decode pool runs pure decode steps, the prompt's KV
cache crosses the scale-out network, and the slower pool sets the request rate:

    lifetime = max(O x step + prefill + KV transfer,  B x prefill / prefill pool)   TTFT = lifetime - O x step
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from breakeven.core.deployment import Deployment
from breakeven.core.performance import Step, prefill_chunks, prefill_time, step
from breakeven.core.sizing import kv_bytes_per_sequence, max_sequences
from breakeven.core.speculative import DecodeSteps, decode_steps, drafter_prefill_s, verification_step

Bound = Literal["memory_bandwidth", "compute", "kv_capacity", "batch_limit", "service_level"]


@dataclass(frozen=True)
class Serving:
    """How one replica serves a request shape at a concurrency."""

    batch: int
    """Sequences decoded together in each step."""
    max_batch_fits: int
    """Sequences of the full context (input + output) whose KV cache fits."""
    step_time_s: float
    """Decode step the engine runs (drafting and verification when speculating); without speculation
    the median inter-token latency."""
    tokens_per_step: float
    """Output tokens per sequence per step: 1, or the expected accepted drafts + 1 when speculating."""
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
    """The decode step the engine runs at each batch (speculative where it speculates)."""
    tokens_per_step: np.ndarray
    """Output tokens per sequence per step at each batch."""
    lifetime_s: np.ndarray
    """One request's time in the batch: its decode steps plus every request's prefill."""
    ttft_s: np.ndarray
    """Prefill + one step + contention with the running batch (no queue)."""
    mean_itl_s: np.ndarray
    output_tokens_per_s: np.ndarray

    @property
    def token_s(self) -> np.ndarray:
        """Seconds per output token of one stream in decode (step / tokens per step)."""
        return self.step_s / self.tokens_per_step

    def meets(self, level: ServiceLevel) -> np.ndarray:
        """Which batches meet the service level."""
        ok = np.ones_like(self.step_s, dtype=bool)
        if level.min_tokens_per_s is not None:
            ok &= 1.0 / self.token_s >= level.min_tokens_per_s
        if level.max_ttft_s is not None:
            ok &= self.ttft_s <= level.max_ttft_s
        return ok


def bound_of(s: Step) -> Bound:
    """What limits a step: the compute-bound kernels' time against the memory-bound kernels'."""
    compute = sum(float(t.roofline_s) for t in s.terms if t.compute_s > t.data_s)
    memory = sum(float(t.roofline_s) for t in s.terms if t.compute_s <= t.data_s and t.channel == "memory")
    return "compute" if compute > memory else "memory_bandwidth"


def prefill_pool(dep: Deployment) -> Deployment:
    """The prefill pool of a disaggregated deployment as a deployment of its own."""
    return dataclasses.replace(dep, gpus=dep.prefill_gpus, prefill_gpus=0)


def kv_transfer_s(dep: Deployment, context: float) -> float:
    """Seconds to move one prompt's KV cache from the prefill pool to the decode pool over the
    scale-out network (one-way bandwidth at the engine's interconnect efficiency, per GPU of the
    prefill pool) plus one message latency."""
    one_way = dep.gpu.scale_out.bandwidth_gb_per_s * 1e9 / 2 * dep.engine.interconnect_efficiency
    kv = float(kv_bytes_per_sequence(dep.model, dep.kv_precision, context))
    return kv / (one_way * max(dep.prefill_gpus, 1)) + dep.gpu.scale_out.latency_us * 1e-6


def prefill_step(
    dep: Deployment,
    batch: ArrayLike,
    input_tokens: float,
    output_tokens: float,
    cached: float = 0.0,
    queries: ArrayLike = 1,
) -> Step:
    """The step that carries one chunk of a new prompt beside the batch's other running decodes (each
    with ``queries`` tokens: k + 1 where they verify drafts)."""
    others = np.asarray(batch, dtype=float) - 1
    new = input_tokens - cached
    k = prefill_chunks(dep, new, others)
    return step(dep, others, input_tokens + output_tokens / 2, new / k, cached + (new - new / k) / 2, queries)


RANK_LOCAL_TERMS = ("dense GEMMs", "attention")
"""Kernels a prompt's chunk runs on its own rank under data-parallel attention (its attention and
attention projections); the experts and the collectives are shared by all ranks."""


OVERLAP_ITERATIONS = 4
"""Fixed-point passes for the prompts prefilling at once under data-parallel attention (converges
in two or three: the overlap only shortens the lifetime it is computed from)."""


def prompt_cost(
    dep: Deployment,
    batch: np.ndarray,
    chunks: np.ndarray,
    with_chunk: Step,
    without: Step,
    decode_s: float | np.ndarray,
    output_tokens: float,
) -> np.ndarray:
    """Time one prompt's prefill adds to the batch's steps (its k chunks). Under tensor parallelism one
    chunk at a time uses every GPU. Under data-parallel attention each rank prefills its own prompts:
    when m prompts are prefilling at once on different ranks, their rank-local kernels (attention and
    its projections) run side by side, so each pays 1 / m of those, while the shared kernels (experts,
    all-to-alls) add up. m is the prompts a batch of B has in prefill at a time, B x (k x mixed step) /
    lifetime, between 1 and min(B, ranks), found by fixed-point iteration."""
    extra = with_chunk.time_s - without.time_s
    if not dep.attention_dp or dep.gpus == 1:
        return chunks * extra
    local = sum(with_chunk.term(n).time_s - without.term(n).time_s for n in RANK_LOCAL_TERMS)
    ceiling = np.maximum(np.minimum(batch, dep.gpus), 1.0)
    at_once = np.ones_like(extra)
    for _ in range(OVERLAP_ITERATIONS):
        cost = chunks * (extra - local + local / at_once)
        lifetime = output_tokens * decode_s + batch * cost
        at_once = np.clip(batch * chunks * with_chunk.time_s / lifetime, 1.0, ceiling)
    return chunks * (extra - local + local / at_once)


def prefill_gpus_to_feed(
    dep: Deployment, batch: int, input_tokens: float, output_tokens: float, cached: float = 0.0
) -> int:
    """Disaggregated: prefill GPUs (whole pools of ``dep.prefill_gpus``) whose prompts keep the decode
    pool's ``batch`` sequences running: the decode pool's request rate x one prompt's prefill time."""
    decode = float(decode_steps(dep, batch, input_tokens + output_tokens / 2).token_s)
    prefill = pool_prefill_s(dep, input_tokens, cached)
    rate = batch / (output_tokens * decode + prefill + kv_transfer_s(dep, input_tokens))
    return math.ceil(rate * prefill - 1e-9) * dep.prefill_gpus


def pool_prefill_s(dep: Deployment, input_tokens: float, cached: float) -> float:
    """Disaggregated: seconds the prefill pool takes over one prompt (its drafter's pass included)."""
    pool = prefill_pool(dep)
    new = input_tokens - cached
    return float(prefill_time(pool, new, cached)) + drafter_prefill_s(pool, new, cached)


def batch_timings(
    dep: Deployment, batches: np.ndarray, input_tokens: float, output_tokens: float, cached: float = 0.0
) -> BatchTimings:
    """Step, TTFT, mean ITL and throughput at each batch size (see the module docstring): the one
    definition of TTFT that both ``serve`` and the service-level search use. Where the engine
    speculates, decode takes a speculative step per tokens-per-step output tokens
    (core/speculative.py), the other running sequences verify their drafts in the step that carries a
    prompt's chunk, and the drafter prefills each prompt too."""
    b = np.asarray(batches, dtype=float)
    new = input_tokens - cached
    context = input_tokens + output_tokens / 2
    decode = decode_steps(dep, b, context)
    if dep.prefill_gpus:
        return _disaggregated(dep, b, decode, input_tokens, output_tokens, cached)
    others = b - 1
    k = prefill_chunks(dep, new, others)
    queries = np.where(decode.active, dep.speculative.draft_tokens + 1, 1) if dep.speculative else 1
    with_chunk = prefill_step(dep, b, input_tokens, output_tokens, cached, queries)
    without = step(dep, others, context, queries=queries)
    draft = np.where(decode.active, drafter_prefill_s(dep, new, cached), 0.0)
    token_s = decode.token_s
    cost = prompt_cost(dep, b, k, with_chunk, without, token_s, output_tokens) + draft
    lifetime = output_tokens * token_s + b * cost
    busy = others * cost / lifetime
    return BatchTimings(
        batches=b,
        prefill_s=float(prefill_time(dep, new, cached)) + float(np.max(draft, initial=0.0)),
        step_s=decode.step_s,
        tokens_per_step=decode.tokens,
        lifetime_s=lifetime,
        ttft_s=k * with_chunk.time_s + draft + busy * cost / 2,
        mean_itl_s=token_s + others * cost / output_tokens,
        output_tokens_per_s=b * output_tokens / lifetime,
    )


def _disaggregated(
    dep: Deployment, b: np.ndarray, decode: DecodeSteps, input_tokens: float, output_tokens: float, cached: float
) -> BatchTimings:
    prefill = pool_prefill_s(dep, input_tokens, cached)
    first = prefill + kv_transfer_s(dep, input_tokens)
    token_s = decode.token_s
    lifetime = np.maximum(output_tokens * token_s + first, b * prefill)
    return BatchTimings(
        batches=b,
        prefill_s=prefill,
        step_s=decode.step_s,
        tokens_per_step=decode.tokens,
        lifetime_s=lifetime,
        ttft_s=lifetime - output_tokens * token_s,
        mean_itl_s=token_s,
        output_tokens_per_s=b * output_tokens / lifetime,
    )


SEARCH_POINTS = 64
"""Batches tried at once per round of the service-level search: each round narrows the bracket
65-fold in one vectorized evaluation, so a limit of 8,192 is settled in three rounds at most."""


def largest_batch_meeting(
    dep: Deployment, input_tokens: float, output_tokens: float, cached: float, level: ServiceLevel, limit: int
) -> int:
    """Largest batch up to ``limit`` that meets the service level; 0 if not even one stream does.
    Step time and TTFT never fall as the batch grows, so the batches that meet it are 1..answer:
    found by a search that tries SEARCH_POINTS batches per round between the largest batch known to
    meet it and the smallest known not to (the answer of a bisection, in a few evaluations)."""

    def ok(batches: np.ndarray) -> np.ndarray:
        return batch_timings(dep, batches, input_tokens, output_tokens, cached).meets(level)

    if limit < 1:
        return 0
    ends = ok(np.array([1, limit]))
    if not ends[0]:
        return 0
    if ends[1]:
        return limit
    good, bad = 1, limit  # ok(good) holds, ok(bad) does not
    while bad - good > 1:
        trial = np.unique(np.linspace(good, bad, SEARCH_POINTS + 2).round().astype(int))
        trial = trial[(trial > good) & (trial < bad)]
        met = ok(trial)
        passing = int(np.argmin(met)) if not met.all() else trial.size  # the batches that meet it come first
        good = int(trial[passing - 1]) if passing > 0 else good
        bad = int(trial[passing]) if passing < trial.size else bad
    return good


def batch_limit(dep: Deployment, max_batch: int | None = None) -> int:
    """Most sequences the engine runs at once: ``max_batch`` if the run set it, else the engine's
    default per rank (every GPU is a rank under data-parallel attention)."""
    if max_batch is not None:
        return max_batch
    return dep.engine.max_batch_sequences * (dep.gpus if dep.attention_dp else 1)


def serve(
    dep: Deployment,
    input_tokens: float,
    output_tokens: float,
    concurrency: int | None,
    cached_input_tokens: float = 0.0,
    level: ServiceLevel | None = None,
    max_batch: int | None = None,
) -> Serving:
    """Serve requests of ``input_tokens`` in / ``output_tokens`` out at ``concurrency`` streams
    (None: the largest batch that fits). The batch run is the smallest of the concurrency, what fits
    in the KV cache, the engine's batch limit and what the service level allows; if no batch meets
    it, one stream runs and the service level is reported as not met."""
    fits = int(max_sequences(dep, input_tokens + output_tokens))
    limit = batch_limit(dep, max_batch)
    wanted = min(fits, limit) if concurrency is None else concurrency
    batch, bound, met = min(wanted, fits, limit), None, None
    if wanted > fits:
        bound = "kv_capacity"
    elif wanted > limit:
        bound = "batch_limit"
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
        return Serving(0, fits, nan, 1.0, nan, 0.0, 0.0, inf, inf, prefill, "kv_capacity", met)
    t = batch_timings(dep, np.array([batch]), input_tokens, output_tokens, cached)
    lifetime = float(t.lifetime_s[0])
    queue = max(offered / batch - 1.0, 0.0) * lifetime
    return Serving(
        batch=batch,
        max_batch_fits=fits,
        step_time_s=float(t.step_s[0]),
        tokens_per_step=float(t.tokens_per_step[0]),
        mean_itl_s=float(t.mean_itl_s[0]),
        decode_tokens_per_s_per_stream=1.0 / float(t.token_s[0]),
        output_tokens_per_s=float(t.output_tokens_per_s[0]),
        ttft_s=queue + float(t.ttft_s[0]),
        queue_s=queue,
        prefill_time_s=t.prefill_s,
        bound=bound or bound_of(decode_step(dep, batch, input_tokens + output_tokens / 2)),
        service_level_met=met,
    )


def decode_step(dep: Deployment, batch: int, context: float) -> Step:
    """The decode step the engine runs at this batch, as kernels: the verification step where it
    speculates (its drafting is ``speculative.drafting_s``), else the plain step."""
    if dep.speculative is not None and bool(decode_steps(dep, batch, context).active):
        return verification_step(dep, batch, context)
    return step(dep, batch, context)
