"""Speculative decoding: the tokens-per-step formula, its laws (hypothesis over the catalog), the
drafters' memory, compute-bound versus bandwidth-bound steps, and the published speed-ups."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breakeven import catalog
from breakeven.core.performance import step
from breakeven.core.serving import batch_timings, bound_of, serve
from breakeven.core.sizing import drafter_weight_bytes, max_sequences, memory_budget
from breakeven.core.speculative import acceptance_for, decode_steps, stops_paying_above, tokens_per_step
from breakeven.deployments import deployment
from breakeven.errors import InputError

MTP_MODELS = [m.id for m in catalog.models() if m.mtp]
METHODS = ["mtp", "eagle", "ngram", "draft_model"]
DRAFT_FOR = {"llama-3.1-70b": "llama-3.2-1b", "llama-3.1-8b": "llama-3.2-1b", "llama-3.3-70b": "llama-3.2-1b"}
"""Targets the catalog has a same-vocabulary draft model for."""
SPECULATING = [
    ("llama-3.1-8b", "h100-sxm", 1, "eagle"),
    ("llama-3.1-8b", "h100-sxm", 1, "ngram"),
    ("llama-3.1-70b", "h100-sxm", 4, "draft_model"),
    ("qwen3-30b-a3b", "h100-sxm", 1, "eagle"),
    ("glm-5.2", "h200", 8, "mtp"),
    ("deepseek-v3", "h200", 8, "mtp"),
    ("gpt-oss-120b", "h100-sxm", 2, "eagle"),
]


def speculating(model, gpu, gpus, method, k=3, acceptance=0.7, engine="vllm"):
    spec = {
        "method": method,
        "draft_tokens": k,
        "draft_model": DRAFT_FOR.get(model) if method == "draft_model" else None,
    }
    precision = "fp8" if model in ("glm-5.2", "deepseek-v3") else None
    return deployment(model, gpu, gpus, precision, engine=engine, speculative=spec, acceptance=acceptance)


# ------------------------------------------------------------------------------ the formula


@pytest.mark.parametrize("k", [1, 2, 3, 5, 8])
def test_tokens_per_step_is_the_geometric_sum(k):
    assert tokens_per_step(0.0, k) == 1.0
    assert tokens_per_step(1.0, k) == k + 1
    for a in (0.3, 0.7, 0.9):
        assert tokens_per_step(a, k) == pytest.approx((1 - a ** (k + 1)) / (1 - a))
        assert acceptance_for(float(tokens_per_step(a, k)), k) == pytest.approx(a, abs=1e-9)


def test_published_acceptance_lengths_turn_into_rates():
    # DeepSeek-V3 report: the second token is accepted 85-90% of the time (one draft): 1.85-1.9 tokens.
    assert acceptance_for(1.875, 1) == pytest.approx(0.875)
    with pytest.raises(ValueError, match="outside"):
        acceptance_for(4.5, 3)


# ---------------------------------------------------------------------------------- the laws

cases = st.sampled_from(SPECULATING)
batches = st.integers(min_value=1, max_value=2048)
contexts = st.integers(min_value=16, max_value=65_536)
draft_tokens = st.integers(min_value=1, max_value=8)
rates = st.floats(min_value=0.0, max_value=1.0)


@settings(max_examples=40, deadline=None)
@given(cases, batches, contexts, draft_tokens)
def test_acceptance_zero_gives_no_speedup_only_the_cost(case, batch, context, k):
    dep = speculating(*case, k=k, acceptance=0.0)
    steps = decode_steps(dep, batch, context)
    assert float(steps.tokens_per_step) == 1.0
    assert float(steps.speedup) <= 1.0
    assert float(steps.speculative_s) >= float(steps.plain_s)


@settings(max_examples=40, deadline=None)
@given(cases, batches, contexts, draft_tokens, rates)
def test_speedup_never_exceeds_k_plus_one(case, batch, context, k, a):
    steps = decode_steps(speculating(*case, k=k, acceptance=a), batch, context)
    assert float(steps.speedup) <= k + 1
    assert float(steps.speedup) <= float(steps.tokens_per_step) * (1 + 1e-12)


def compute_bound_share(dep, batch, context) -> float:
    """Share of the plain step's time in kernels whose flops, not bytes, set their roofline."""
    s = step(dataclasses.replace(dep, speculative=None), batch, context)
    return sum(float(t.roofline_s) for t in s.terms if t.compute_s > t.data_s) / float(s.time_s)


@settings(max_examples=40, deadline=None)
@given(cases, batches, contexts, draft_tokens, rates)
def test_compute_bound_kernels_cap_the_speedup(case, batch, context, k, a):
    """Verifying k drafts multiplies the flops of every compute-bound kernel by k + 1 and leaves the
    rest no cheaper, so speed-up <= tokens per step / (1 + k x compute-bound share): a step that is
    all compute-bound never gains."""
    dep = speculating(*case, k=k, acceptance=a)
    steps = decode_steps(dep, batch, context)
    share = compute_bound_share(dep, batch, context)
    assert float(steps.speedup) <= float(steps.tokens_per_step) / (1 + k * share) * (1 + 1e-9)


@pytest.mark.parametrize("model", ["llama-3.1-8b", "qwen3-8b", "llama-3.2-1b"])
@pytest.mark.parametrize("method", ["eagle", "ngram"])
def test_a_small_dense_model_at_its_largest_batch_never_gains(model, method):
    """Compute-bound: at the engine's largest batch of short requests, verification costs more than the
    tokens it accepts, at every draft length and every acceptance up to the top of the method's
    published range (test_compute_bound_kernels_cap_the_speedup bounds it at any acceptance)."""
    top = catalog.speculation_method(method).acceptance[1]
    for k in (1, 2, 3, 5):
        for a in (0.1, top / 2, top):
            dep = speculating(model, "h100-sxm", 1, method, k=k, acceptance=a)
            batch = min(int(max_sequences(dep, 256)), dep.engine.max_batch_sequences)
            assert bound_of(step(dep, batch, 192)) == "compute"
            assert float(decode_steps(dep, batch, 192).speedup) < 1.0, (k, a)


def test_a_bandwidth_bound_moe_step_at_large_batch_still_gains():
    """GLM-5.2 on 8 H200 at batch 512 of short requests: the step reads every expert whatever the batch
    (bandwidth-bound), so verifying 3 drafts per sequence costs far less than 3 steps and speculation
    still pays; Llama 3.1 8B at the same batch is compute-bound and loses."""
    dep = speculating("glm-5.2", "h200", 8, "mtp", k=3, acceptance=0.7)
    assert bound_of(step(dep, 512, 256)) == "memory_bandwidth"
    assert float(decode_steps(dep, 512, 256).speedup) > 1.5
    dense = speculating("llama-3.1-8b", "h100-sxm", 1, "eagle", k=3, acceptance=0.7)
    assert bound_of(step(dense, 512, 256)) == "compute"
    assert float(decode_steps(dense, 512, 256).speedup) < 1.0


def test_the_engine_turns_speculation_off_where_it_loses_or_keeps_it_and_loses_throughput():
    shape = (128, 128)
    on_off = speculating("llama-3.1-8b", "h100-sxm", 1, "eagle", engine="vllm")
    kept = speculating("llama-3.1-8b", "h100-sxm", 1, "eagle", engine="sglang")
    above = stops_paying_above(on_off, 192, 1024)
    assert above is not None and 1 < above < 1024
    batch = np.array([min(above * 2, 1024)])
    for dep, turns_off in ((on_off, True), (kept, False)):
        plain = dataclasses.replace(dep, speculative=None)
        with_spec = batch_timings(dep, batch, *shape).output_tokens_per_s[0]
        without = batch_timings(plain, batch, *shape).output_tokens_per_s[0]
        assert bool(decode_steps(dep, batch, 192).active[0]) is not turns_off
        if turns_off:
            assert with_spec == pytest.approx(without)
        else:
            assert with_spec < without
    low = np.array([1])
    assert bool(decode_steps(on_off, low, 192).active[0]) and bool(decode_steps(kept, low, 192).active[0])


# ------------------------------------------------------------------------------ drafters, memory


@pytest.mark.parametrize("model", MTP_MODELS)
def test_mtp_layers_are_held_once_and_cost_their_own_parameters(model):
    from breakeven.precision import WEIGHT_BYTES

    m = catalog.model(model)
    gpus = 16 if m.params_total_b > 1000 else 8
    plain = deployment(model, "h200", gpus, "fp8")
    dep = deployment(model, "h200", gpus, "fp8", speculative={"method": "mtp"})
    held = drafter_weight_bytes(dep)
    assert held == pytest.approx(m.mtp.params_b * 1e9 * WEIGHT_BYTES["fp8"], rel=0.02)
    assert memory_budget(dep).weights > memory_budget(plain).weights
    assert max_sequences(dep, 8192) < max_sequences(plain, 8192)


def test_mtp_layers_match_the_models_own_layer_arithmetic():
    from breakeven.core.params import mtp_layer_params

    for m in catalog.models():
        if m.mtp is not None:
            assert m.mtp.layers * mtp_layer_params(m) / 1e9 == pytest.approx(m.mtp.params_b, rel=0.05), m.id


def test_a_config_json_with_mtp_layers_gives_a_model_that_can_speculate():
    from conftest import HF_CONFIGS

    m = catalog.model(str(HF_CONFIGS / "deepseek-v3.json"))
    assert m.mtp.layers == 1 and m.mtp.params_b == pytest.approx(catalog.model("deepseek-v3").mtp.params_b, rel=0.02)
    assert m.provenance_of("mtp.params_b").confidence == "est"
    dep = deployment(m, "h200", 8, "fp8", speculative={"method": "mtp"})
    assert float(decode_steps(dep, 1, 2048).speedup) > 1.5
    assert catalog.model(str(HF_CONFIGS / "llama-3.1-8b.json")).mtp is None


def test_a_draft_model_holds_all_its_weights_and_its_own_kv_cache():
    plain = deployment("llama-3.1-70b", "h100-sxm", 4)
    dep = speculating("llama-3.1-70b", "h100-sxm", 4, "draft_model")
    assert drafter_weight_bytes(dep) == pytest.approx(1.24e9 * 2, rel=0.02)
    assert max_sequences(dep, 8192) < max_sequences(plain, 8192)


def test_ngram_holds_nothing_and_costs_only_the_verification():
    plain = deployment("llama-3.1-8b", "h100-sxm", 1)
    dep = speculating("llama-3.1-8b", "h100-sxm", 1, "ngram")
    assert drafter_weight_bytes(dep) == 0 and max_sequences(dep, 4096) == max_sequences(plain, 4096)
    steps = decode_steps(dep, 8, 1024)
    assert float(steps.speculative_s) == pytest.approx(float(step(plain, 8, 1024, queries=4).time_s))


def test_verification_reads_the_weights_once_and_the_kv_once():
    dep = deployment("llama-3.1-8b", "h100-sxm", 1)
    one, four = step(dep, 16, 4096), step(dep, 16, 4096, queries=4)
    assert float(four.term("dense GEMMs").data_s) == float(one.term("dense GEMMs").data_s)
    assert float(four.term("attention").data_s) == float(one.term("attention").data_s)
    assert float(four.term("dense GEMMs").compute_s) == pytest.approx(4 * float(one.term("dense GEMMs").compute_s))


@pytest.mark.parametrize(
    "spec,field",
    [
        ({"method": "mtp"}, "speculative.method"),
        ({"method": "draft_model"}, "speculative.draft_model"),
        ({"method": "draft_model", "draft_model": "qwen3-8b"}, "speculative.draft_model"),
        ({"method": "draft_model", "draft_model": "llama-3.1-70b"}, "speculative.draft_model"),
        ({"method": "eagle", "draft_model": "llama-3.2-1b"}, "speculative.draft_model"),
        ({"method": "eagle", "acceptance": 1.5}, "speculative.acceptance"),
        ({"method": "eagle", "draft_tokens": 0}, "speculative.draft_tokens"),
        ({"method": "eagle", "draft_tokens": 33}, "speculative.draft_tokens"),
        ({"method": "medusa"}, "speculative.method"),
        ({"method": "eagle", "tokens": 3}, "speculative.tokens"),
    ],
)
def test_bad_speculative_options_name_their_field(spec, field):
    with pytest.raises(InputError) as info:
        deployment("llama-3.1-8b", "h100-sxm", 1, speculative=spec)
    assert info.value.field == field


def test_serving_reports_tokens_per_step_and_meets_the_service_level_with_them():
    dep = speculating("glm-5.2", "h200", 8, "mtp", acceptance=0.7)
    plain = dataclasses.replace(dep, speculative=None)
    s, p = serve(dep, 4000, 1000, 1), serve(plain, 4000, 1000, 1)
    assert s.tokens_per_step == pytest.approx(float(tokens_per_step(0.7, 3)))
    assert s.decode_tokens_per_s_per_stream == pytest.approx(s.tokens_per_step / s.step_time_s)
    assert s.decode_tokens_per_s_per_stream > 1.5 * p.decode_tokens_per_s_per_stream
    from breakeven.core.serving import ServiceLevel

    level = ServiceLevel(min_tokens_per_s=100)
    assert serve(plain, 4000, 1000, None, level=level).service_level_met is False
    assert serve(dep, 4000, 1000, None, level=level).service_level_met is True


# ------------------------------------------------------------------------- published speed-ups


def test_published_acceptance_points_are_reproduced_without_fitting_anything():
    """TensorRT-LLM's DeepSeek-R1 MTP table (acceptance length published, no constant fitted to it):
    the predicted speed-up at 1 to 5 MTP drafts within 10%, and the best draft count is 2 or 3."""
    from breakeven.calibration.speculative import rows

    mtp = [r for r in rows() if r.point.id.startswith("trtllm-b200x8-deepseek-r1-mtp")]
    assert len(mtp) == 5 and all(abs(r.error) <= 0.10 for r in mtp)
    best = max(mtp, key=lambda r: r.predicted)
    assert best.point.draft_tokens in (2, 3)


def test_split_fits_only_the_acceptance_of_sweeps_that_published_none():
    from breakeven.calibration.speculative import speculative_measurements

    points = speculative_measurements()
    fit = [p for p in points if p.use == "fit"]
    assert fit and all(p.sweep and p.acceptance_length is None for p in fit)
    for sweep in {p.sweep for p in fit}:
        members = [p for p in points if p.sweep == sweep]
        smallest = min(members, key=lambda p: p.concurrency)
        assert [p.id for p in members if p.use == "fit"] == [smallest.id]
        assert sum(p.use == "validate" for p in members) >= 5
    assert sum(p.use == "validate" for p in points) >= 20


def test_docs_speculative_tables_are_current():
    from conftest import ROOT

    from breakeven.calibration.speculative_report import generated_block

    assert generated_block() in (ROOT / "docs" / "calibration.md").read_text(), (
        "regenerate with: python bench/validate_speculative.py"
    )
