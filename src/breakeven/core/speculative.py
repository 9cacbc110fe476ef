"""Speculative decoding: a drafter proposes k tokens per sequence, the model verifies them in one step,
and the first rejected draft ends the step.

**Tokens per step.** With each draft accepted with probability a given that all before it were
(independent per-position acceptance, Leviathan et al. 2023, "Fast inference from transformers via
speculative decoding", eq. 1), a step yields

    tokens per step = 1 + a + a^2 + ... + a^k = (1 - a^(k+1)) / (1 - a)

(the verification always yields one token of its own: the correction, or the bonus token after k
accepted drafts): 1 at a = 0, k + 1 at a = 1. Real drafts are accepted less often deeper in the chain
(an MTP layer trained for one token ahead, reused for three), so ``a`` is the per-position rate that
gives the published tokens per step at that k (``acceptance_for``).

**A step's cost**, through the same kernel terms as any step (``performance.step``):

    verification = step of the batch with k + 1 queries per sequence   [k+1 x the flops and routed
                   tokens, the same weight read, each sequence's KV read once]
    drafting     = the drafter's step over the accepted tokens + (k - 1) one-token steps
                   (MTP layers, an EAGLE head or a draft model; nothing for n-gram lookup)
    speculative step = verification + drafting
    time per output token = speculative step / tokens per step
    speed-up = tokens per step x plain step / speculative step

While decode is bandwidth-bound, verification costs about one plain step and the speed-up nears the
tokens per step less the drafting; as the batch grows the k + 1 queries push the step's GEMMs past
their ridge (compute-bound), verification costs up to k + 1 plain steps and speculation stops paying.
A large MoE model stays bandwidth-bound to larger batches (its expert weights dominate the step),
where a small dense model has long crossed its ridge. Engines that can turn speculation off above a
batch (``EngineProfile.speculative_disable_by_batch``) are taken to do so where it stops paying;
the others keep speculating and lose throughput there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from breakeven.core.deployment import Deployment, Speculation
from breakeven.core.drafter import drafter_deployment
from breakeven.core.performance import Step, prefill_time, step


def tokens_per_step(acceptance: ArrayLike, draft_tokens: int) -> np.ndarray:
    """Expected tokens one verification step yields: 1 + a + ... + a^k = (1 - a^(k+1)) / (1 - a),
    per-position acceptance a independent (Leviathan et al. 2023, eq. 1). 1 at a = 0, k + 1 at a = 1."""
    a = np.asarray(acceptance, dtype=float)
    return sum(a**i for i in range(draft_tokens + 1))


def acceptance_for(tokens: float, draft_tokens: int) -> float:
    """The per-position acceptance that gives ``tokens`` tokens per step at ``draft_tokens`` (the
    inverse of ``tokens_per_step``, by bisection): how a published acceptance length is turned into
    the rate this model takes. ``tokens`` within [1, k + 1]."""
    if not 1.0 <= tokens <= draft_tokens + 1:
        raise ValueError(f"tokens per step {tokens} is outside [1, {draft_tokens + 1}]")
    low, high = 0.0, 1.0
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if tokens_per_step(mid, draft_tokens) < tokens else (low, mid)
    return (low + high) / 2


def verification_step(dep: Deployment, batch: ArrayLike, context: ArrayLike) -> Step:
    """The model's step checking k drafts of every sequence: k + 1 queries each."""
    return step(dep, batch, context, queries=dep.speculative.draft_tokens + 1)


def drafting_s(dep: Deployment, batch: ArrayLike, context: ArrayLike) -> np.ndarray:
    """Seconds of drafting per step: the drafter's first pass over the tokens the last step accepted
    (tokens per step of them per sequence, as SGLang's and TensorRT-LLM's MTP and EAGLE workers feed
    it) and k - 1 one-token passes. 0 for n-gram lookup (a table lookup beside the GPU's work)."""
    drafter = drafter_deployment(dep)
    b = np.asarray(batch, dtype=float)
    if drafter is None:
        return np.zeros_like(b * np.asarray(context, dtype=float))
    s = dep.speculative
    first = step(drafter, b, context, queries=tokens_per_step(s.acceptance, s.draft_tokens)).time_s
    return first + (s.draft_tokens - 1) * step(drafter, b, context).time_s


def drafter_prefill_s(dep: Deployment, new_tokens: float, cached_tokens: float = 0.0) -> float:
    """Seconds the drafter takes over a new prompt (its own KV cache of the prompt); 0 without one."""
    drafter = drafter_deployment(dep)
    return 0.0 if drafter is None else float(prefill_time(drafter, new_tokens, cached_tokens))


@dataclass(frozen=True)
class DecodeSteps:
    """Decode at each batch of ``batches``: plain or speculative, whichever the engine runs."""

    plain_s: np.ndarray
    """The step without speculation."""
    speculative_s: np.ndarray
    """Verification + drafting (equal to plain_s without speculation)."""
    tokens_per_step: float
    """Of a speculative step (1 without speculation)."""
    active: np.ndarray
    """Whether the engine speculates at that batch."""

    @property
    def step_s(self) -> np.ndarray:
        """The step the engine runs at each batch."""
        return np.where(self.active, self.speculative_s, self.plain_s)

    @property
    def tokens(self) -> np.ndarray:
        """Output tokens per sequence of the step the engine runs."""
        return np.where(self.active, self.tokens_per_step, 1.0)

    @property
    def token_s(self) -> np.ndarray:
        """Seconds per output token of one stream (the decode part of its inter-token latency)."""
        return self.step_s / self.tokens

    @property
    def speedup(self) -> np.ndarray:
        """Decode tokens/s per stream speculating over not: tokens per step x plain / speculative step."""
        return self.tokens_per_step * self.plain_s / self.speculative_s


def decode_steps(dep: Deployment, batches: ArrayLike, context: ArrayLike) -> DecodeSteps:
    """The decode step at each batch, with and without speculation, and which one the engine runs:

        verification     = step of the batch with k + 1 queries per sequence
        drafting         = the drafter's pass over the accepted tokens + (k - 1) one-token passes
        speculative step = verification + drafting, yielding tokens per step = (1 - a^(k+1)) / (1 - a)
        speed-up         = tokens per step x plain step / speculative step

    The engine speculates where the speed-up exceeds 1, or at every batch if it cannot turn
    speculation off by batch size (``EngineProfile.speculative_disable_by_batch``)."""
    plain = step(dep, batches, context).time_s
    s: Speculation | None = dep.speculative
    if s is None:
        return DecodeSteps(plain, plain, 1.0, np.zeros_like(plain, dtype=bool))
    speculative = verification_step(dep, batches, context).time_s + drafting_s(dep, batches, context)
    tokens = float(tokens_per_step(s.acceptance, s.draft_tokens))
    pays = tokens * plain > speculative
    active = pays if dep.engine.speculative_disable_by_batch else np.ones_like(pays)
    return DecodeSteps(plain, speculative, tokens, active)


def stops_paying_above(dep: Deployment, context: float, limit: int) -> int | None:
    """The largest batch up to ``limit`` at which speculation still pays (0: not even at batch 1);
    None if it pays at every batch up to the limit. Every batch is evaluated (the speed-up need not
    fall steadily: an MoE step's touched experts saturate)."""
    batches = np.arange(1, max(limit, 1) + 1)
    speedup = decode_steps(dep, batches, context).speedup
    losing = np.flatnonzero(speedup <= 1.0)
    return None if losing.size == 0 else int(losing[0])
