"""Sizing against published formulas and checkpoint sizes."""

import pytest

from breakeven import catalog, size
from breakeven.api import deployment
from breakeven.core.sizing import (
    kv_bytes_per_sequence,
    kv_bytes_per_token,
    max_sequences,
    memory_budget,
    min_gpus,
    weight_bytes,
)
from breakeven.precision import WEIGHT_BYTES

GB = 1e9


@pytest.mark.parametrize(
    "model,kv,expected",
    [
        # GQA: 2 x layers x kv_heads x head_dim x bytes
        ("llama-3.1-8b", "bf16", 2 * 32 * 8 * 128 * 2),  # 131,072 B
        ("llama-3.1-8b", "fp8", 2 * 32 * 8 * 128 * 1),
        ("llama-3.1-70b", "bf16", 2 * 80 * 8 * 128 * 2),  # 327,680 B
        ("llama-2-7b", "fp16", 2 * 32 * 32 * 128 * 2),  # MHA: 524,288 B
        ("qwen3-30b-a3b", "bf16", 2 * 48 * 4 * 128 * 2),
        # MLA: layers x (kv_lora_rank + qk_rope_head_dim) x bytes, no factor 2
        ("deepseek-v3", "bf16", 61 * (512 + 64) * 2),  # 70,272 B
    ],
)
def test_kv_bytes_per_token_match_published_formulas(model, kv, expected):
    assert kv_bytes_per_token(catalog.model(model), kv) == expected


def test_published_kv_examples_exactly():
    assert kv_bytes_per_token(catalog.model("llama-3.1-8b"), "bf16") == 131_072
    assert kv_bytes_per_token(catalog.model("deepseek-v3"), "bf16") == 70_272


def test_sliding_window_layers_hold_at_most_the_window():
    m = catalog.model("gpt-oss-120b")  # 18 sliding (128) + 18 full layers, 8 KV heads x 64
    per_layer = 2 * 8 * 64 * 2
    assert kv_bytes_per_sequence(m, "bf16", 100) == 36 * 100 * per_layer
    assert kv_bytes_per_sequence(m, "bf16", 10_000) == (18 * 10_000 + 18 * 128) * per_layer


def test_hybrid_global_layers_use_their_own_geometry():
    m = catalog.model("gemma-4-31b")  # 50 local (16 KV heads x 256), 10 global (4 x 512), window 1024
    local, glob = 2 * 16 * 256 * 2, 2 * 4 * 512 * 2
    assert kv_bytes_per_sequence(m, "bf16", 32_768) == 50 * 1024 * local + 10 * 32_768 * glob


def test_gqa_heads_split_then_replicate_past_kv_heads():
    m = catalog.model("qwen3-30b-a3b")  # 4 KV heads
    whole = kv_bytes_per_token(m, "bf16")
    assert kv_bytes_per_token(m, "bf16", gpus=2) == whole / 2
    assert kv_bytes_per_token(m, "bf16", gpus=4) == whole / 4
    assert kv_bytes_per_token(m, "bf16", gpus=8) == whole / 4  # one head per GPU, replicated


def test_mla_latent_is_replicated_on_every_rank():
    m = catalog.model("deepseek-v3")
    assert kv_bytes_per_token(m, "bf16", gpus=8) == kv_bytes_per_token(m, "bf16")


def test_precision_bytes_include_scales():
    assert WEIGHT_BYTES["nvfp4"] == 0.5625
    assert WEIGHT_BYTES["mxfp4"] == 0.53125
    assert WEIGHT_BYTES["bf16"] == 2.0
    assert 0.5 < WEIGHT_BYTES["awq"] < 0.53


def _firm_checkpoints():
    for m in catalog.models():
        for i, c in enumerate(m.checkpoints):
            if c.size_gb is not None and m.provenance_of(f"checkpoints.{i}.size_gb").confidence == "firm":
                yield pytest.param(m, c, id=f"{m.id}-{c.precision}")


@pytest.mark.parametrize("model,ckpt", list(_firm_checkpoints()))
def test_weight_bytes_within_2pct_of_published_checkpoints(model, ckpt):
    files = weight_bytes(model, ckpt.precision, ckpt.non_expert_precision)
    files += ckpt.excludes_params_b * 1e9 * WEIGHT_BYTES[ckpt.precision]  # e.g. DeepSeek-V3's MTP module
    assert files == pytest.approx(ckpt.size_gb * GB, rel=0.02)


def test_at_least_eight_firm_checkpoints_are_checked():
    assert len(list(_firm_checkpoints())) >= 8


def test_quantized_weights_keep_embeddings_16_bit():
    m = catalog.model("llama-3.1-8b")
    embed = 2 * 128_256 * 4096 * 2  # input embedding + untied head, bytes
    rest = 8.03e9 - 2 * 128_256 * 4096
    assert weight_bytes(m, "fp8") == pytest.approx(embed + rest * WEIGHT_BYTES["fp8"])


def test_glm52_fp8_on_8x_h200_leaves_room_for_kv():
    # [A]: 8x H200 (1,128 GB); after ~744 GB FP8 weights, over 350 GB for KV cache (before runtime reserve).
    dep = deployment("glm-5.2", "h200", 8, precision="fp8", attention_dp=False)  # weights split 8 ways
    b = memory_budget(dep)
    assert b.weights * 8 == pytest.approx(744e9, rel=0.02)
    assert (b.total - b.weights) * 8 > 350e9
    assert b.fits


def test_deepseek_fp8_does_not_fit_8x_h100_but_int4_does():
    # [C] ran the 671B-class MoE on 8x H100 at 4 bit; FP8 weights (~673 GB) exceed 8 x 80 GiB x 0.9.
    assert not memory_budget(deployment("deepseek-v3", "h100-sxm", 8)).fits
    assert memory_budget(deployment("deepseek-v3", "h100-sxm", 8, precision="int4")).fits


@pytest.mark.parametrize(
    "model,gpu,precision,expected",
    [
        ("llama-3.3-70b", "a100-80gb", "int4", 1),  # [D]: needs at least 1x A100 80GB ...
        ("llama-3.3-70b", "rtx-4090", "int4", 2),  # ... or 2x RTX 4090
        ("llama-3.1-70b", "h100-sxm", "bf16", 2),  # 141 GB of weights
        ("llama-3.1-8b", "h100-sxm", "bf16", 1),
    ],
)
def test_min_gpus_matches_published_claims(model, gpu, precision, expected):
    dep = deployment(model, gpu, 1, precision=precision)
    assert min_gpus(dep, context=4096) == expected


def test_gemma4_31b_on_two_rtx_3090_at_4_bit():
    # [D]: Gemma 4 31B runs on 2x RTX 3090 (24 GB each) at 4-bit; not at bf16 (62 GB of weights).
    assert max_sequences(deployment("gemma-4-31b", "rtx-3090", 2, precision="int4"), 32_768) >= 4
    assert not memory_budget(deployment("gemma-4-31b", "rtx-3090", 2, precision="bf16")).fits


def test_max_sequences_falls_with_context():
    dep = deployment("llama-3.1-8b", "h100-sxm", 1)
    assert max_sequences(dep, 1024) > max_sequences(dep, 8192) > max_sequences(dep, 65536) >= 1


def test_size_without_gpus_reports_the_fewest():
    r = size("llama-3.1-70b", "h100-sxm", context=8192)
    assert r.gpus == r.min_gpus == 2 and r.fits


def test_size_reports_fits_false_when_weights_do_not_fit():
    r = size("llama-3.1-405b", "h100-sxm", gpus=2)
    assert r.fits is False and r.max_sequences == 0 and r.min_gpus == 16


def test_attention_data_parallel_splits_mla_cache_and_replicates_attention_weights():
    tp = deployment("deepseek-v3", "h200", 8, attention_dp=False)
    dp = deployment("deepseek-v3", "h200", 8, attention_dp=True)
    assert memory_budget(dp).weights > memory_budget(tp).weights  # attention weights on every GPU
    assert max_sequences(dp, 32_768) > 5 * max_sequences(tp, 32_768)  # latent no longer replicated
    r = size("deepseek-v3", "h200", gpus=8, attention_dp=True)
    assert r.kv_bytes_per_token_per_gpu == pytest.approx(70_272 / 8)
