"""The one deployment constructor: checkpoint, KV dtype and attention layout chosen as an operator
would, the same for predictions and for the calibration fit, and the scale-out parts of the model
(multi-node, disaggregated prefill)."""

import dataclasses
import datetime as dt

import pytest

from breakeven import catalog, predict
from breakeven.api import deployment
from breakeven.calibration.bundled import deployment_for
from breakeven.catalog.schema import Measurement, Provenance
from breakeven.core.performance import step
from breakeven.core.sizing import deployment_weight_bytes, min_gpus
from breakeven.errors import InputError

PROV = Provenance(source="test point", checked=dt.date(2026, 11, 22), confidence="est")


def _point(model_id: str, gpus: int) -> Measurement:
    m = catalog.model(model_id)
    return Measurement(
        id="p",
        use="fit",
        engine="vllm",
        model=model_id,
        gpu="h200",
        gpus=gpus,
        precision=m.native_precision,
        input_tokens=100,
        output_tokens=10,
        concurrency=1,
        metric="itl_ms",
        value=1.0,
        provenance=PROV,
    )


@pytest.mark.parametrize("model_id", [m.id for m in catalog.models()])
def test_calibrated_and_predicted_deployments_are_the_same(model_id):
    # calibration/bundled.py once built its own Deployment: gpt-oss-20b was calibrated with 12.86 GB of
    # weights (mxfp4 everywhere) and predicted with 13.93 GB (bf16 beside mxfp4 experts).
    fit_side = deployment_for(_point(model_id, 8), catalog.engine("vllm"))
    predicted = deployment(model_id, "h200", 8, engine="vllm")
    assert fit_side == predicted
    assert deployment_weight_bytes(fit_side) == deployment_weight_bytes(predicted)


def test_gpt_oss_20b_keeps_bf16_beside_its_mxfp4_experts():
    dep = deployment_for(_point("gpt-oss-20b", 1), catalog.engine("vllm"))
    assert dep.non_expert_precision == "bf16" and deployment_weight_bytes(dep) == pytest.approx(13.93e9, rel=0.01)


def test_kv_follows_the_checkpoint_where_the_engine_does():
    trt = deployment("llama-3.3-70b", "h100-sxm", 2, precision="fp8", engine="trtllm")
    assert trt.kv_precision == "fp8" and trt.checkpoint == "nvidia/Llama-3.3-70B-Instruct-FP8"
    assert "nvidia/Llama-3.3-70B-Instruct-FP8" in trt.kv_reason and "trtllm" in trt.kv_reason
    sgl = deployment("llama-3.3-70b", "h100-sxm", 2, precision="fp8", engine="sglang")
    assert sgl.kv_precision == "bf16" and "--kv-precision fp8" in sgl.kv_reason
    native = deployment("llama-3.3-70b", "h100-sxm", 2, engine="trtllm")  # bf16 checkpoint ships no KV scheme
    assert native.kv_precision == "bf16"
    asked = deployment("llama-3.3-70b", "h100-sxm", 2, precision="fp8", kv_precision="bf16", engine="trtllm")
    assert asked.kv_precision == "bf16" and asked.kv_reason.startswith("bf16: asked for")


def test_predict_shows_the_kv_dtype_and_why():
    p = predict("llama-3.1-8b", "h100-sxm", 1, 1000, 100, precision="fp8", engine="trtllm")
    assert p.kv_precision == "fp8" and "kv_cache" not in p.kv_precision_reason
    assert "ships a FP8 KV-cache scheme" in p.kv_precision_reason


def test_attention_dp_is_chosen_for_mla_and_kv_copying_moe_models():
    assert deployment("deepseek-v3", "h200", 8).attention_dp  # MLA latent copied under TP
    assert deployment("qwen3-235b-a22b", "h200", 8).attention_dp  # 4 KV heads on 8 GPUs
    assert not deployment("glm-4.6", "h200", 8).attention_dp  # 8 KV heads split 8 ways
    assert not deployment("llama-3.3-70b", "h200", 8).attention_dp  # dense
    assert not deployment("deepseek-v3", "h200", 8, engine="gpt-fast").attention_dp  # engine lacks it
    assert not deployment("deepseek-v3", "h200", 1).attention_dp
    assert not deployment("deepseek-v3", "h200", 8, attention_dp=False).attention_dp  # overridable
    with pytest.raises(InputError, match="attention_dp"):
        deployment("deepseek-v3", "h200", 8, attention_dp="yes")


def test_attention_dp_falls_back_to_tp_when_the_copied_attention_weights_do_not_fit():
    from breakeven.core.sizing import memory_budget

    tight = catalog.gpu("h200").model_copy(update={"memory_gib": 98})  # DeepSeek FP8: TP fits, DP not
    assert not memory_budget(deployment("deepseek-v3", tight, 8, attention_dp=True)).fits
    dep = deployment("deepseek-v3", tight, 8)
    assert not dep.attention_dp and memory_budget(dep).fits and "would not fit" in dep.attention_dp_reason


def test_min_gpus_chooses_the_layout_again_for_each_count():
    fewest = min_gpus(lambda n: deployment("deepseek-v3", "h200", n), context=32_768, batch=64)
    assert fewest == 8


def test_above_one_node_collectives_cross_the_scale_out_network():
    dep = deployment("llama-3.1-405b", "h100-sxm", 16, attention_dp=False)
    assert dep.nodes == 2
    one_domain = dataclasses.replace(dep, gpu=dep.gpu.model_copy(update={"gpus_per_node": 16}))
    across = step(dep, 64, 2000).term("communication").time_s
    within = step(one_domain, 64, 2000).term("communication").time_s
    assert across > 1.2 * within  # InfiniBand at 100 GB/s per GPU against NVLink at 900 GB/s, hierarchical


def test_expert_parallel_moves_routed_tokens_not_the_global_batch():
    ep = deployment("deepseek-v3", "h200", 8)
    tp = deployment("deepseek-v3", "h200", 8, attention_dp=False)
    assert ep.expert_parallel and not tp.expert_parallel
    # all-to-all of each GPU's routed tokens (FP8 out, BF16 back) against two all-reduces per layer
    assert step(ep, 512, 2000).term("communication").data_s < step(tp, 512, 2000).term("communication").data_s


def test_disaggregated_prefill_keeps_decode_steps_clean_and_sizes_the_prefill_pool():
    shared = predict("llama-3.3-70b", "h200", 4, 8000, 500, concurrency=64, precision="fp8")
    split = predict("llama-3.3-70b", "h200", 4, 8000, 500, concurrency=64, precision="fp8", prefill_gpus=2)
    assert split.prefill_gpus == 2 and split.mean_itl_s == pytest.approx(split.step_time_s)
    assert shared.mean_itl_s > shared.step_time_s  # other prompts' chunks stall decode
    assert split.prefill_gpus_needed >= 2 and split.prefill_gpus_needed % 2 == 0
    fed = predict(
        "llama-3.3-70b", "h200", 4, 8000, 500, concurrency=64, precision="fp8", prefill_gpus=split.prefill_gpus_needed
    )
    assert fed.output_tokens_per_s >= split.output_tokens_per_s
    with pytest.raises(InputError, match="prefill_gpus"):
        predict("llama-3.3-70b", "h100-sxm", 4, 1000, 100, prefill_gpus=1)  # 141 GB of bf16 on one GPU


def test_pipeline_stages_split_the_layers_and_send_activations_between_stages():
    args = dict(precision="fp8", engine="trtllm", concurrency="max")
    tp = predict("llama-3.1-405b", "h100-sxm", 16, 2000, 500, **args)
    pp = predict("llama-3.1-405b", "h100-sxm", 16, 2000, 500, pipeline_stages=2, **args)
    assert tp.nodes == pp.nodes == 2 and pp.pipeline_stages == 2
    # TP16 copies the 8 KV heads twice; two stages of TP8 hold each layer's cache once
    assert pp.max_batch_fits > 1.8 * tp.max_batch_fits
    sends = next(k for k in pp.step_kernels if k.term == "pipeline sends")
    assert sends.bound in ("link", "latency") and sends.time_s > 0
    assert "pipeline sends" not in {k.term for k in tp.step_kernels}
    with pytest.raises(InputError, match="pipeline_stages"):
        predict("llama-3.1-405b", "h100-sxm", 16, 2000, 500, pipeline_stages=3)
    with pytest.raises(InputError, match="attention_dp"):
        deployment("deepseek-v3", "h200", 16, attention_dp=True, pipeline_stages=2)
    assert not deployment("deepseek-v3", "h200", 16, pipeline_stages=2).attention_dp
