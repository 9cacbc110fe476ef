"""The `size` and `predict` commands."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table

from breakeven.api import predict as predict_api
from breakeven.api import size as size_api
from breakeven.core.performance import KernelTime
from breakeven.errors import InputError
from breakeven.outputs.format import human_bytes, human_number
from breakeven.outputs.json_text import to_json
from breakeven.outputs.people_text import capacity_rows
from breakeven.outputs.speculation_text import speculation_rows
from breakeven.outputs.tables import console, key_value_table
from breakeven.people import capacity as capacity_api
from breakeven.results import DeploymentResult, Prediction

ModelOpt = Annotated[str, typer.Option("--model", "-m", help="Catalog id/alias, or a Hugging Face config.json path")]
GpuOpt = Annotated[str, typer.Option("--gpu", "-g", help="GPU id or alias (breakeven catalog list --kind gpus)")]
PrecisionOpt = Annotated[
    Optional[str],
    typer.Option(help="Weight precision: bf16 fp16 fp8 int8 int4 awq gptq nvfp4 mxfp4 (default: the model's native)"),
]
KvOpt = Annotated[
    Optional[str],
    typer.Option(
        "--kv-precision",
        help="KV-cache precision: bf16 fp16 fp8 (default: the checkpoint's KV scheme where the engine follows it, "
        "else the model's dtype; predict says which and why)",
    ),
]
EngineOpt = Annotated[str, typer.Option(help="Engine profile: vllm sglang trtllm gpt-fast")]
DpOpt = Annotated[
    Optional[bool],
    typer.Option(
        "--attention-dp/--tp-attention",
        help="Data-parallel attention with expert parallelism (KV cache split by sequence, attention weights on every "
        "GPU, tokens sent to their experts), or tensor-parallel attention. Default: chosen for the model and engine "
        "(data-parallel where tensor parallelism would copy the KV cache: MLA, or MoE with fewer KV heads than GPUs)",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (a stable contract) instead of a table")]
StagesOpt = Annotated[
    int, typer.Option("--pipeline-stages", help="Pipeline stages (tensor parallel within each stage); 1: none")
]


def _deployment_line(r: DeploymentResult) -> str:
    dp = ", data-parallel attention + expert parallelism" if r.attention_dp else ""
    nodes = f" ({r.nodes} nodes)" if r.nodes > 1 else ""
    pool = f", + {r.prefill_gpus} GPUs for prefill" if r.prefill_gpus else ""
    pool += f", {r.pipeline_stages} pipeline stages" if r.pipeline_stages > 1 else ""
    return f"{r.model} on {r.gpus} x {r.gpu}{nodes}{pool}, weights {r.precision}, KV {r.kv_precision}, {r.engine}{dp}"


def _choices_rows(r: DeploymentResult) -> list[tuple[str, str]]:
    """Why the deployment's open choices were made (checkpoint, KV dtype, attention layout)."""
    return [
        ("checkpoint", r.checkpoint or "none listed at this precision (quantized on load)"),
        ("KV cache", r.kv_precision_reason),
        ("attention", r.attention_dp_reason),
    ]


def size(
    model: ModelOpt,
    gpu: GpuOpt,
    gpus: Annotated[Optional[int], typer.Option(help="GPUs per replica (default: the fewest that fit)")] = None,
    precision: PrecisionOpt = None,
    kv_precision: KvOpt = None,
    context: Annotated[
        Optional[int], typer.Option(help="Tokens per sequence (default 8192, capped at the model's maximum)")
    ] = None,
    batch: Annotated[int, typer.Option(help="Sequences that must fit at that context, for min_gpus")] = 1,
    engine: EngineOpt = "vllm",
    attention_dp: DpOpt = None,
    pipeline_stages: StagesOpt = 1,
    json_out: JsonOpt = False,
) -> None:
    """Memory sizing: weights, KV cache per token, capacity, and the fewest GPUs that fit."""
    r = size_api(model, gpu, gpus, precision, kv_precision, context, engine, batch, attention_dp, pipeline_stages)
    if json_out:
        print(to_json(r))
        return
    rows = [
        ("deployment", _deployment_line(r)),
        *_choices_rows(r),
        ("weights", f"{human_bytes(r.weights_bytes)} ({human_bytes(r.weights_bytes_per_gpu)} per GPU)"),
        ("KV cache per token", f"{r.kv_bytes_per_token:,.0f} B ({r.kv_bytes_per_token_per_gpu:,.0f} B per GPU)"),
        (f"KV per {r.context_tokens:,}-token sequence", human_bytes(r.kv_bytes_per_sequence)),
        ("KV space per GPU", human_bytes(r.kv_space_bytes_per_gpu)),
        ("KV capacity", f"{r.kv_capacity_tokens:,} tokens"),
        (f"sequences of {r.context_tokens:,} tokens", f"{r.max_sequences:,}"),
        ("fits", "yes" if r.fits else "no"),
        ("fewest GPUs", str(r.min_gpus) if r.min_gpus else "more than 64"),
        *[("note", n) for n in r.notes],
    ]
    console().print(key_value_table("breakeven size", rows))


def _concurrency(value: str) -> int | str:
    if value.strip().lower() == "max":
        return "max"
    try:
        return int(value)
    except ValueError:
        raise InputError("concurrency", value, "a whole number of at least 1, or 'max'") from None


def predict(
    model: ModelOpt,
    gpu: GpuOpt,
    gpus: Annotated[int, typer.Option(help="GPUs per replica (tensor parallel)")],
    input_tokens: Annotated[int, typer.Option("--input-tokens", help="Prompt tokens per request")],
    output_tokens: Annotated[int, typer.Option("--output-tokens", help="Generated tokens per request")],
    concurrency: Annotated[
        str, typer.Option(help="Concurrent requests, or 'max' for the largest batch that fits")
    ] = "1",
    precision: PrecisionOpt = None,
    kv_precision: KvOpt = None,
    engine: EngineOpt = "vllm",
    cached_input_tokens: Annotated[int, typer.Option(help="Prompt tokens served from the prefix cache")] = 0,
    min_tokens_per_s: Annotated[Optional[float], typer.Option(help="Service level: decode tokens/s per stream")] = None,
    max_ttft_s: Annotated[Optional[float], typer.Option(help="Service level: seconds to the first token")] = None,
    attention_dp: DpOpt = None,
    prefill_gpus: Annotated[
        int, typer.Option(help="GPUs of a separate prefill pool (prefill/decode disaggregation); 0: none")
    ] = 0,
    pipeline_stages: StagesOpt = 1,
    calibration: Annotated[
        Optional[str], typer.Option(help="A calibration file from `breakeven calibrate --out`")
    ] = None,
    speculative: Annotated[
        Optional[str],
        typer.Option(
            help="Speculative decoding: mtp (the model's MTP layers), eagle (an EAGLE-3 head), draft_model, ngram"
        ),
    ] = None,
    draft_tokens: Annotated[
        Optional[int], typer.Option(help="Draft tokens per step (default: the method's, breakeven catalog show mtp)")
    ] = None,
    acceptance: Annotated[
        Optional[str],
        typer.Option(help="Per-position acceptance, a share (0.7) or a range LOW,HIGH (default: the method's range)"),
    ] = None,
    draft_model: Annotated[
        Optional[str], typer.Option(help="Catalog id of the draft model (--speculative draft_model)")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show each step's time as its kernels (term, time, bound)")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Serving speed of one replica: per-stream and total tokens/s, TTFT, the batch and its bound;
    with --speculative, tokens per step, the speed-up and the batch above which it stops paying."""
    cal = None
    if calibration is not None:
        from breakeven.calibration.file import load as load_calibration

        cal = load_calibration(calibration)
    spec = _speculative(speculative, draft_tokens, acceptance, draft_model)
    try:
        r = predict_api(
            model,
            gpu,
            gpus,
            input_tokens,
            output_tokens,
            _concurrency(concurrency),
            precision,
            kv_precision,
            engine,
            cached_input_tokens,
            min_tokens_per_s,
            attention_dp,
            cal,
            max_ttft_s,
            prefill_gpus,
            pipeline_stages,
            spec,
        )
    except InputError as exc:
        raise exc.about(SPECULATIVE_OPTIONS[exc.field]) if exc.field in SPECULATIVE_OPTIONS else exc from None
    if json_out:
        print(to_json(r))
        return
    _show_prediction(r, explain)


SPECULATIVE_OPTIONS = {
    "speculative": "speculative",
    "speculative.method": "speculative",
    "speculative.draft_tokens": "draft_tokens",
    "speculative.acceptance": "acceptance",
    "speculative.draft_model": "draft_model",
}
"""The predict option behind each field of the speculative block (the CLI names the option typed)."""


def _acceptance(text: str) -> float | list[float]:
    """``0.7`` or ``0.6,0.8``."""
    parts = [p.strip() for p in text.split(",")]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise InputError("acceptance", text, "a share such as 0.7, or a range LOW,HIGH such as 0.6,0.8") from None
    if len(values) > 2:
        raise InputError("acceptance", text, "one share, or two (LOW,HIGH)")
    return values[0] if len(values) == 1 else values


def _speculative(method: str | None, draft_tokens: int | None, acceptance: str | None, draft_model: str | None):
    if method is None:
        given = [
            n
            for n, v in (("draft_tokens", draft_tokens), ("acceptance", acceptance), ("draft_model", draft_model))
            if v is not None
        ]
        if given:
            raise InputError(given[0], locals()[given[0]], "only with --speculative METHOD")
        return None
    spec: dict = {"method": method, "draft_tokens": draft_tokens, "draft_model": draft_model}
    if acceptance is not None:
        spec["acceptance"] = _acceptance(acceptance)
    return spec


def _show_prediction(r: Prediction, explain: bool) -> None:
    steps = f", {r.tokens_per_step:.3g} tokens per step" if r.tokens_per_step > 1 else ""
    rows = [
        ("deployment", _deployment_line(r)),
        *_choices_rows(r),
        ("request", f"{r.input_tokens:,} in ({r.cached_input_tokens:,} cached) / {r.output_tokens:,} out"),
        (
            "batch run",
            f"{r.batch:,} (the most that fit)"
            if r.concurrency == "max"
            else f"{r.batch:,} of {r.concurrency:,} asked; {r.max_batch_fits:,} fit",
        ),
        ("bound by", r.bound.replace("_", " ")),
        (
            "decode step",
            f"{r.step_time_s * 1e3:.3g} ms{steps} (mean ITL with prefill stalls {r.mean_itl_s * 1e3:.3g} ms)",
        ),
        ("per stream", f"{human_number(r.decode_tokens_per_s_per_stream)} tok/s"),
        ("total output", f"{human_number(r.output_tokens_per_s)} tok/s"),
        ("time to first token", f"{r.ttft_s * 1e3:,.0f} ms" + (f" ({r.queue_s:,.1f} s queued)" if r.queue_s else "")),
        (
            "bytes read per step",
            f"weights {human_bytes(r.weight_bytes_read_per_step)}, KV {human_bytes(r.kv_bytes_read_per_step)}",
        ),
        (
            "calibration",
            f"{r.calibration.engine} profile ({r.calibration.confidence}): "
            f"{len(r.calibration.fitted_on)} fitted points",
        ),
    ]
    if r.service_level_met is not None:
        rows.append(("service level met", "yes" if r.service_level_met else "no"))
    if r.prefill_gpus_needed is not None:
        rows.append(("prefill GPUs needed", f"{r.prefill_gpus_needed} (to keep the decode pool's batch fed)"))
    rows.extend(speculation_rows(r))
    out = console()
    out.print(key_value_table("breakeven predict", rows))
    if explain:
        plain = " without speculation" if r.speculative else ""
        out.print(kernel_table(f"decode step{plain} at batch {r.batch:,} (one GPU)", r.step_kernels))
        if r.speculative:
            k = r.speculative.draft_tokens
            out.print(
                kernel_table(f"verification step: {k + 1} queries per sequence", r.speculative.verification_kernels)
            )
            if r.speculative.drafting_kernels:
                out.print(kernel_table(f"one drafter pass (of {k} per step)", r.speculative.drafting_kernels))
        title = "prefill pool: one prompt" if r.prefill_gpus else "a step carrying one chunk of a new prompt"
        out.print(kernel_table(title, r.prefill_kernels))


def kernel_table(title: str, rows: list[KernelTime]) -> Table:
    """A step's kernels: term, time, share of the step, what bounds it."""
    total = sum(k.time_s for k in rows)
    table = Table(title=f"{title}: {total * 1e3:.3g} ms", title_justify="left")
    for name, justify in (("term", "left"), ("time", "right"), ("share", "right"), ("bound", "left")):
        table.add_column(name, justify=justify)
    for k in rows:
        share = k.time_s / total if total > 0 else 0.0
        table.add_row(k.term, f"{k.time_s * 1e3:.3g} ms", f"{share:.0%}", k.bound)
    return table


ProfileOpt = Annotated[
    str,
    typer.Option(help="Kind of user: chat, agentic (breakeven catalog list --kind user-profiles), or a profile file"),
]


def capacity(
    model: ModelOpt,
    gpu: GpuOpt,
    gpus: Annotated[int, typer.Option(help="GPUs per replica")],
    profile: ProfileOpt = "chat",
    precision: PrecisionOpt = None,
    kv_precision: KvOpt = None,
    engine: EngineOpt = "vllm",
    attention_dp: DpOpt = None,
    output_tokens_per_s: Annotated[
        Optional[float],
        typer.Option(help="A measured (or planned) output tokens/s of one replica, instead of the model's"),
    ] = None,
    price_per_gpu_hour: Annotated[
        Optional[float], typer.Option(help="GPU rent per GPU-hour, for the cost per user")
    ] = None,
    gpu_offer: Annotated[Optional[str], typer.Option(help="A gpu-rent catalog offer, for the cost per user")] = None,
    currency: Annotated[Optional[str], typer.Option(help="Currency of --price-per-gpu-hour (default USD)")] = None,
    json_out: JsonOpt = False,
) -> None:
    """People served: how many users of a kind one replica serves at that kind's speed per stream."""
    r = capacity_api(
        model,
        gpu,
        gpus,
        profile,
        precision,
        kv_precision,
        engine,
        attention_dp,
        output_tokens_per_s,
        price_per_gpu_hour,
        currency,
        gpu_offer,
    )
    if json_out:
        print(to_json(r))
        return
    console().print(key_value_table("breakeven capacity", capacity_rows(r)))
