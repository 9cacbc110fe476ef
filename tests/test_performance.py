"""The performance model's mechanics: MoE coverage, roofline, prefill, serving bounds."""

import numpy as np
import pytest

from breakeven import predict
from breakeven.api import deployment
from breakeven.core.params import param_split
from breakeven.core.performance import (
    decode_step_time,
    experts_touched_fraction,
    prefill_time,
    step,
    weight_bytes_read,
)
from breakeven.core.sizing import deployment_weight_bytes
from breakeven.errors import InputError


def test_expert_coverage_formula():
    # E (1 - (1 - k/E)^B) experts of E: k/E at one token, nearly all by B = 64 for DeepSeek-V3's 8 of 256.
    assert experts_touched_fraction(256, 8, 1) == pytest.approx(8 / 256)
    assert experts_touched_fraction(256, 8, 64) == pytest.approx(1 - (1 - 8 / 256) ** 64)
    assert experts_touched_fraction(256, 8, 64) > 0.86
    assert experts_touched_fraction(256, 8, 10_000) == pytest.approx(1.0)


def test_moe_batch1_reads_about_the_active_params():
    dep = deployment("deepseek-v3", "h200", 8)  # fp8: ~1 byte per param
    read = float(weight_bytes_read(dep, 1))
    # 37B active incl. embedding rows (0.9B) that decode does not read in full
    assert read == pytest.approx(37e9, rel=0.06)


def test_moe_at_batch_64_reads_far_more_than_active():
    # design.md: a 743B / 39B-active model moves far more than 39 GB per step at useful batch sizes.
    dep = deployment("glm-5.2", "h200", 8, precision="fp8")
    assert float(weight_bytes_read(dep, 64)) > 500e9
    assert float(weight_bytes_read(dep, 1)) < 60e9


def test_dense_reads_everything_but_the_embedding_table():
    dep = deployment("llama-3.1-8b", "h100-sxm", 1)
    split = param_split(dep.model)
    assert float(weight_bytes_read(dep, 1)) == pytest.approx(deployment_weight_bytes(dep) - split.embedding * 2)


def test_decode_turns_compute_bound_at_large_batch_and_short_context():
    dep = deployment("llama-3.1-8b", "h100-sxm", 1)
    small, large = step(dep, 1, 128).term("dense GEMMs"), step(dep, 4096, 128).term("dense GEMMs")
    assert small.compute_s < small.data_s
    assert large.compute_s > large.data_s


def test_prefill_attention_term_is_quadratic():
    dep = deployment("llama-3.1-8b", "h100-sxm", 1)
    t = prefill_time(dep, np.array([8192, 16384, 32768]))
    linear_part = np.diff(t)
    assert linear_part[1] > 2 * linear_part[0] * 0.99  # superlinear growth


def test_cached_prefix_is_not_recomputed():
    dep = deployment("llama-3.1-8b", "h100-sxm", 1)
    full = float(prefill_time(dep, 50_000))
    cached = float(prefill_time(dep, 5_000, 45_000))
    assert cached < full / 3


def test_tensor_parallel_adds_communication_and_splits_weights():
    one = decode_step_time(deployment("llama-3.1-70b", "h100-sxm", 2), 1, 1000)
    eight = decode_step_time(deployment("llama-3.1-70b", "h100-sxm", 8), 1, 1000)
    assert eight < one  # weights split 4x further
    assert eight > one / 4  # but all-reduces and per-layer overhead do not shrink


def test_predict_bound_is_kv_capacity_when_asking_more_than_fits():
    p = predict("llama-3.1-8b", "h100-sxm", 1, 32_000, 1_000, concurrency=500)
    assert p.bound == "kv_capacity" and p.batch == p.max_batch_fits < 500


def test_predict_max_runs_the_largest_batch_that_fits():
    p = predict("llama-3.1-8b", "h100-sxm", 1, 2_000, 500, concurrency="max")
    assert p.batch == p.max_batch_fits > 100


def test_service_level_caps_the_batch():
    free = predict("llama-3.1-8b", "h100-sxm", 1, 2_000, 500, concurrency=128)
    capped = predict("llama-3.1-8b", "h100-sxm", 1, 2_000, 500, concurrency=128, min_tokens_per_s=80)
    assert free.decode_tokens_per_s_per_stream < 80
    assert capped.bound == "service_level" and capped.batch < 128
    assert capped.decode_tokens_per_s_per_stream >= 80 and capped.service_level_met


def test_unreachable_service_level_is_reported_not_hidden():
    p = predict("llama-3.1-70b", "a100-80gb", 2, 1_000, 200, concurrency=1, min_tokens_per_s=500)
    assert p.service_level_met is False


def test_throughput_formula_accounts_for_prefill():
    # lifetime = O x step + B x prompt cost, and mean ITL = step + (B - 1) x prompt cost / O
    p = predict("llama-3.1-8b", "h100-sxm", 1, 20_000, 2_000, concurrency=8)
    prompt_cost = (p.mean_itl_s - p.step_time_s) * 2_000 / 7
    assert 0 < prompt_cost < p.prefill_time_s  # riding the running batch shares its weight read
    expected = 8 * 2_000 / (8 * prompt_cost + 2_000 * p.step_time_s)
    assert p.output_tokens_per_s == pytest.approx(expected)
    assert p.output_tokens_per_s < 8 * p.decode_tokens_per_s_per_stream


@pytest.mark.parametrize(
    "kwargs,field",
    [
        (dict(gpus=0), "gpus"),
        (dict(input_tokens=-5), "input_tokens"),
        (dict(output_tokens=0), "output_tokens"),
        (dict(concurrency=0), "concurrency"),
        (dict(input_tokens=200_000), "input_tokens + output_tokens"),
        (dict(cached_input_tokens=5_000), "cached_input_tokens"),
        (dict(precision="fp7"), "precision"),
        (dict(kv_precision="int2"), "kv_precision"),
    ],
)
def test_impossible_inputs_raise_clear_errors(kwargs, field):
    args = dict(model="llama-3.1-8b", gpu="h100-sxm", gpus=1, input_tokens=1_000, output_tokens=100)
    with pytest.raises(InputError) as info:
        predict(**{**args, **kwargs})
    assert info.value.field == field


def test_model_that_does_not_fit_names_the_gpus_it_needs():
    with pytest.raises(InputError, match="at least 16 x h100-sxm"):
        predict("llama-3.1-405b", "h100-sxm", 4, 1_000, 100)


def test_service_level_search_uses_the_ttft_predict_reports():
    # Reproducer: llama-3.1-70b on 4x H100, 16k in / 200 out, max TTFT 1.23 s once gave batch 19 with
    # a predicted TTFT of 1.72 s and "service level met" (the search left out chunked-prefill contention).
    alone = predict("llama-3.1-70b", "h100-sxm", 4, 16_000, 200, concurrency=1).ttft_s
    level = 1.4 * alone  # a TTFT a few concurrent prompts can share
    p = predict("llama-3.1-70b", "h100-sxm", 4, 16_000, 200, concurrency="max", max_ttft_s=level)
    assert p.service_level_met and p.ttft_s <= level and p.batch > 1
    at = predict("llama-3.1-70b", "h100-sxm", 4, 16_000, 200, concurrency=p.batch)
    assert at.ttft_s == pytest.approx(p.ttft_s)
    one_more = predict("llama-3.1-70b", "h100-sxm", 4, 16_000, 200, concurrency=p.batch + 1)
    assert one_more.ttft_s > level


def test_service_level_search_agrees_with_brute_force():
    from breakeven.core.serving import ServiceLevel, batch_timings, largest_batch_meeting

    dep = deployment("llama-3.1-8b", "h100-sxm", 1)
    for inp, out, ttft, tps in [(500, 50, 0.1, 10), (4000, 500, 0.5, 40), (16000, 500, 2.0, 90), (2000, 200, 9, 1)]:
        level = ServiceLevel(tps, ttft)
        t = batch_timings(dep, np.arange(1, 301), inp, out)
        ok = t.meets(level)
        brute = int(t.batches[ok].max()) if ok.any() else 0
        assert largest_batch_meeting(dep, inp, out, 0, level, 300) == brute
