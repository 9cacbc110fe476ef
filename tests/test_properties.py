"""Laws of the model, checked with hypothesis over the whole catalog."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from breakeven import catalog
from breakeven.api import deployment
from breakeven.core.performance import decode_step_time, weight_bytes_read
from breakeven.core.sizing import deployment_weight_bytes, kv_bytes_per_sequence

MODELS = [m.id for m in catalog.models()]
MOE_MODELS = [m.id for m in catalog.models() if m.moe]
GPUS = [g.id for g in catalog.gpus()]

models = st.sampled_from(MODELS)
batches = st.integers(min_value=1, max_value=4096)
contexts = st.integers(min_value=1, max_value=131_072)
tps = st.sampled_from([1, 2, 4, 8])


@settings(max_examples=60, deadline=None)
@given(models, st.sampled_from(GPUS), tps, batches, batches, contexts)
def test_more_batch_never_lowers_step_time(model, gpu, gpus, b1, b2, ctx):
    dep = deployment(model, gpu, gpus)
    lo, hi = sorted((b1, b2))
    assert decode_step_time(dep, hi, ctx) >= decode_step_time(dep, lo, ctx)


@settings(max_examples=60, deadline=None)
@given(models, batches, batches, contexts)
def test_more_batch_never_lowers_memory(model, b1, b2, ctx):
    m = catalog.model(model)
    lo, hi = sorted((b1, b2))
    assert hi * kv_bytes_per_sequence(m, "bf16", ctx) >= lo * kv_bytes_per_sequence(m, "bf16", ctx)


@settings(max_examples=60, deadline=None)
@given(models, contexts, contexts)
def test_longer_context_never_lowers_kv(model, c1, c2):
    m = catalog.model(model)
    lo, hi = sorted((c1, c2))
    assert kv_bytes_per_sequence(m, "bf16", hi) >= kv_bytes_per_sequence(m, "bf16", lo)


@settings(max_examples=60, deadline=None)
@given(models, st.sampled_from(GPUS), tps, batches, contexts, st.floats(min_value=1.01, max_value=10))
def test_more_bandwidth_never_slows_decode(model, gpu, gpus, batch, ctx, factor):
    dep = deployment(model, gpu, gpus)
    faster_gpu = dep.gpu.model_copy(update={"bandwidth_tb_per_s": dep.gpu.bandwidth_tb_per_s * factor})
    faster = deployment(model, faster_gpu, gpus)
    assert decode_step_time(faster, batch, ctx) <= decode_step_time(dep, batch, ctx)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(MOE_MODELS), batches, batches)
def test_moe_bytes_read_grow_with_batch_and_are_capped_by_total(model, b1, b2):
    dep = deployment(model, "h200", 8)
    lo, hi = sorted((b1, b2))
    read_lo, read_hi = float(weight_bytes_read(dep, lo)), float(weight_bytes_read(dep, hi))
    assert read_hi >= read_lo
    assert read_hi <= deployment_weight_bytes(dep) * (1 + 1e-12)


def test_step_time_is_vectorized_over_a_grid():
    dep = deployment("llama-3.1-8b", "h100-sxm", 1)
    b, c = np.meshgrid(np.arange(1, 41), np.linspace(128, 65536, 25))
    grid = decode_step_time(dep, b, c)
    assert grid.shape == (25, 40)
    assert np.all(np.diff(grid, axis=1) >= 0) and np.all(np.diff(grid, axis=0) >= 0)


SERVICE_MODELS = [m for m in MODELS if m in ("llama-3.1-8b", "llama-3.1-70b", "qwen3-30b-a3b", "gpt-oss-20b")]


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(SERVICE_MODELS),
    st.integers(min_value=100, max_value=20_000),
    st.integers(min_value=10, max_value=2_000),
    st.floats(min_value=0.05, max_value=5.0),
    st.floats(min_value=5.0, max_value=120.0),
)
def test_a_candidate_meeting_its_service_level_meets_it_in_predict(model, inp, out, max_ttft, min_tps):
    """The scenario's capacity search and `predict` share one definition of TTFT and per-stream speed:
    whatever batch the search reports as meeting the service level meets it when predicted."""
    from breakeven.api import predict
    from breakeven.core.capacity import replica_capacity
    from breakeven.core.serving import ServiceLevel

    dep = deployment(model, "h100-sxm", 4)
    cap = replica_capacity(dep, inp, out, 0, ServiceLevel(min_tps, max_ttft))
    if not cap.service_level_met:
        return
    p = predict(model, "h100-sxm", 4, inp, out, concurrency=cap.concurrency_per_replica)
    assert p.batch == cap.concurrency_per_replica
    assert p.ttft_s <= max_ttft * (1 + 1e-9)
    assert p.decode_tokens_per_s_per_stream >= min_tps * (1 - 1e-9)


@settings(max_examples=60, deadline=None)
@given(models, st.sampled_from(GPUS), tps, batches, contexts, st.integers(min_value=0, max_value=16_384))
def test_a_step_is_never_below_any_single_kernels_roofline(model, gpu, gpus, batch, ctx, prefill):
    """The step adds its kernels; none is hidden under another (docs/performance-model.md)."""
    from breakeven.core.performance import step

    s = step(deployment(model, gpu, gpus), batch, ctx, prefill, ctx)
    total = float(s.time_s)
    assert len(s.terms) >= 3
    for t in s.terms:
        assert float(t.data_s) >= 0 and float(t.compute_s) >= 0 and float(t.fixed_s) >= 0
        assert total >= float(t.roofline_s) * (1 - 1e-12), t.name
