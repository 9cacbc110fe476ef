"""The speculative-decoding rows of ``predict``'s table: what drafts, tokens per step, the speed-up and
where speculation stops paying."""

from __future__ import annotations

from breakeven.outputs.format import human_bytes, human_number, number
from breakeven.results import Prediction, SpeculationResult


def _acceptance(s: SpeculationResult) -> str:
    span = f" (range {number(s.acceptance_range[0])}–{number(s.acceptance_range[1])})" if s.acceptance_range else ""
    origin = "given" if s.acceptance_source == "given" else "method's published range, est"
    return f"acceptance {number(s.acceptance)} per position{span}, {origin}"


def _speedup(r: Prediction, s: SpeculationResult) -> str:
    span = f" ({s.speedup_range[0]:.2f}–{s.speedup_range[1]:.2f} over the range)" if s.speedup_range else ""
    state = "" if s.active else f"; {r.engine} turns speculation off at this batch"
    return f"x{s.speedup:.2f} per stream at batch {max(r.batch, 1):,}{span}{state}"


def _stops(r: Prediction, s: SpeculationResult) -> str:
    if s.stops_paying_above_batch is None:
        return f"pays at every batch up to {r.engine}'s limit of {s.batch_limit:,} (at this request's context)"
    where = (
        "does not pay even at batch 1"
        if s.stops_paying_above_batch == 0
        else f"stops paying above batch {s.stops_paying_above_batch:,}"
    )
    above = (
        f"{r.engine} turns it off there"
        if s.above_break_even == "turned_off"
        else f"{r.engine} keeps speculating there and loses throughput"
    )
    beyond = (
        f"; beyond the {r.max_batch_fits:,} sequences whose KV cache fits, so it pays at every batch this request runs"
        if s.stops_paying_above_batch > r.max_batch_fits
        else ""
    )
    return f"{where} (at this request's context): {above}{beyond}"


def speculation_rows(r: Prediction) -> list[tuple[str, str]]:
    """Rows for a prediction with speculative decoding; none without."""
    s = r.speculative
    if s is None:
        return []
    memory = (
        f"; adds {human_bytes(s.drafter_weight_bytes)} of weights and {s.drafter_kv_bytes_per_token:,.0f} B of KV "
        "per token (all GPUs)"
        if s.drafter_weight_bytes
        else ""
    )
    return [
        ("speculative", f"{s.method}, {s.draft_tokens} draft tokens, {_acceptance(s)}"),
        ("drafter", f"{s.drafter}{memory}"),
        ("tokens per step", f"{s.tokens_per_step:.2f} = (1 - a^(k+1)) / (1 - a), a = acceptance, k = draft tokens"),
        ("speed-up", _speedup(r, s)),
        (
            "without speculation",
            f"{human_number(s.decode_tokens_per_s_per_stream_without)} tok/s per stream, "
            f"{human_number(s.output_tokens_per_s_without)} tok/s total output",
        ),
        ("where it stops", _stops(r, s)),
    ]
