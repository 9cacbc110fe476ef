"""Build a Model from a Hugging Face ``config.json`` on disk.

Covers the Llama, Mistral/Mixtral, Qwen2/3 (dense and MoE), Gemma, gpt-oss, DeepSeek-V2/V3 (MLA),
Kimi-K2 and Llama-4 (``text_config``) layouts. Parameter totals are computed from the architecture
and marked est; the architecture fields are firm (they are the file's own values).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pydantic import ValidationError

from breakeven import limits
from breakeven.catalog.schema import Attention, Model, Moe, MtpLayers, Provenance
from breakeven.core.params import architecture_params, mtp_layer_params, param_split
from breakeven.errors import InputError

ARCHITECTURE_BOUNDS: dict[str, tuple[int, int]] = {
    "num_hidden_layers": (1, 10_000),
    "hidden_size": (1, 1_000_000),
    "num_attention_heads": (1, 100_000),
    "num_key_value_heads": (1, 100_000),
    "head_dim": (1, 100_000),
    "intermediate_size": (1, 10_000_000),
    "intermediate_size_mlp": (1, 10_000_000),
    "moe_intermediate_size": (1, 10_000_000),
    "vocab_size": (1, 100_000_000),
    "max_position_embeddings": (1, 100_000_000),
    "n_routed_experts": (1, 1_000_000),
    "num_local_experts": (1, 1_000_000),
    "num_experts": (1, 1_000_000),
    "num_experts_per_tok": (1, 1_000_000),
    "experts_per_token": (1, 1_000_000),
    "n_shared_experts": (0, 1_000_000),
    "first_k_dense_replace": (0, 10_000),
    "num_nextn_predict_layers": (0, 100),
    "interleave_moe_layer_step": (1, 10_000),
    "kv_lora_rank": (1, 1_000_000),
    "q_lora_rank": (1, 1_000_000),
    "qk_rope_head_dim": (1, 100_000),
    "qk_nope_head_dim": (1, 100_000),
    "v_head_dim": (1, 100_000),
    "sliding_window": (1, 100_000_000),
    "attention_chunk_size": (1, 100_000_000),
}
"""Architecture fields of a config.json and the whole numbers they may hold: far above any model
published (the largest have ~100 layers, hidden sizes of ~20,000 and ~400 experts), so that a
mistyped or hostile file is refused by key instead of dividing by zero or sizing a model larger than
the world's memory."""


def _check_architecture(cfg: dict, path: str) -> None:
    for key, (low, high) in ARCHITECTURE_BOUNDS.items():
        value = cfg.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
            raise InputError(
                "model", path, f"a config.json whose {key} is a whole number from {low:,} to {high:,} (got {shown})"
            )


_DTYPES = {"bfloat16": "bf16", "float16": "fp16", "float32": "bf16"}


def _first(cfg: dict, *keys: str, default=None):
    for key in keys:
        if cfg.get(key) is not None:
            return cfg[key]
    return default


def _local_layers(cfg: dict, layers: int) -> tuple[int, int | None, str | None]:
    """(local layer count, window, kind) from layer_types / sliding_window / attention_chunk_size."""
    if cfg.get("attention_chunk_size"):
        # Llama 4: RoPE layers (1 in no_rope_layers) use chunked attention; every 4th is global NoPE.
        flags = cfg.get("no_rope_layers")
        local = sum(1 for x in flags if x) if flags else layers - layers // cfg.get("no_rope_layer_interval", 4)
        return local, int(cfg["attention_chunk_size"]), "chunked"
    window = cfg.get("sliding_window")
    types = cfg.get("layer_types")
    if window and types:
        return sum(1 for t in types if t == "sliding_attention"), int(window), "sliding"
    if window and cfg.get("use_sliding_window", True) and cfg.get("model_type") in ("mistral", "mixtral", "gemma2"):
        local = layers if cfg.get("model_type") != "gemma2" else layers // 2
        return local, int(window), "sliding"
    return 0, None, None


def _attention(cfg: dict, heads: int, hidden: int, layers: int) -> Attention:
    local, window, local_kind = _local_layers(cfg, layers)
    if cfg.get("kv_lora_rank"):
        nope, rope = cfg["qk_nope_head_dim"], cfg["qk_rope_head_dim"]
        return Attention(
            kind="mla",
            heads=heads,
            kv_heads=heads,
            head_dim=nope + rope,
            q_lora_rank=cfg.get("q_lora_rank"),
            kv_lora_rank=cfg["kv_lora_rank"],
            qk_rope_head_dim=rope,
            qk_nope_head_dim=nope,
            v_head_dim=cfg.get("v_head_dim"),
            local_layers=local,
            window_tokens=window,
            local_kind=local_kind,
        )
    return Attention(
        kind="gqa",
        heads=heads,
        kv_heads=_first(cfg, "num_key_value_heads", default=heads),
        head_dim=_first(cfg, "head_dim", default=hidden // heads),
        local_layers=local,
        window_tokens=window,
        local_kind=local_kind,
    )


def _moe(cfg: dict, layers: int) -> Moe | None:
    experts = _first(cfg, "n_routed_experts", "num_local_experts", "num_experts")
    if not experts:
        return None
    k = _first(cfg, "num_experts_per_tok", "experts_per_token")
    width = _first(cfg, "moe_intermediate_size", "intermediate_size")
    if cfg.get("first_k_dense_replace") is not None:
        moe_layers = layers - int(cfg["first_k_dense_replace"])
    elif cfg.get("interleave_moe_layer_step"):
        moe_layers = layers // int(cfg["interleave_moe_layer_step"])
    else:
        moe_layers = layers - len(cfg.get("mlp_only_layers") or [])
    shared = _first(cfg, "n_shared_experts", default=1 if cfg.get("model_type") == "llama4_text" else 0)
    return Moe(
        routed_experts=experts,
        experts_per_token=k,
        shared_experts=shared,
        expert_intermediate_size=width,
        moe_layers=moe_layers,
    )


def _precision(cfg: dict, root: dict) -> tuple[str, str | None]:
    quant = (root.get("quantization_config") or cfg.get("quantization_config") or {}).get("quant_method")
    if quant == "mxfp4":
        return "mxfp4", "bf16"
    if quant == "fp8":
        return "fp8", None
    dtype = _first(root, "torch_dtype", "dtype", default=_first(cfg, "torch_dtype", "dtype", default="bfloat16"))
    return _DTYPES.get(str(dtype), "bf16"), None


def model_from_config(root: dict, name: str, today: dt.date) -> Model:
    """A Model from a parsed config.json. ``name`` becomes the id (``hf:name``)."""
    cfg = root.get("text_config") or root
    layers, hidden, heads = cfg["num_hidden_layers"], cfg["hidden_size"], cfg["num_attention_heads"]
    moe = _moe(cfg, layers)
    dense_width = _first(cfg, "intermediate_size_mlp", "intermediate_size") if moe else cfg.get("intermediate_size")
    precision, non_expert = _precision(cfg, root)
    draft = dict(
        id="hf-" + "".join(ch if ch.isalnum() or ch in ".-" else "-" for ch in name.lower()).strip("-"),
        name=name,
        layers=layers,
        hidden_size=hidden,
        intermediate_size=dense_width,
        attention=_attention(cfg, heads, hidden, layers),
        moe=moe,
        vocab_size=cfg["vocab_size"],
        tie_word_embeddings=bool(_first(cfg, "tie_word_embeddings", default=root.get("tie_word_embeddings", False))),
        max_context_tokens=_first(cfg, "max_position_embeddings", default=4096),
        native_precision=precision,
        native_non_expert_precision=non_expert,
        params_total_b=1.0,
        params_active_b=1.0,
        provenance=Provenance(source=f"config.json ({name})", checked=today, confidence="firm"),
    )
    sketch = Model.model_validate(draft)
    total = architecture_params(sketch)
    split = param_split(sketch.model_copy(update={"params_total_b": total / 1e9}))
    active = total - split.routed_experts * (1 - (split.experts_per_token / split.experts_per_layer if moe else 1))
    est = Provenance(
        source="computed from the config's architecture (norms and biases left out)", checked=today, confidence="est"
    )
    figures = {"params_total_b": est, "params_active_b": est}
    mtp = None
    if cfg.get("num_nextn_predict_layers"):
        layers = int(cfg["num_nextn_predict_layers"])
        mtp = MtpLayers(layers=layers, params_b=layers * mtp_layer_params(sketch) / 1e9)
        figures["mtp.params_b"] = est
    return sketch.model_copy(
        update={"params_total_b": total / 1e9, "params_active_b": active / 1e9, "mtp": mtp, "figures": figures}
    )


def load_config(path: str | Path, today: dt.date) -> Model:
    """Read a config.json file into a Model; bad files give an InputError naming what is wrong."""
    p = Path(path)
    text = limits.read_text(path, "model", "a catalog id or a config.json file")
    try:
        root = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InputError("model", str(path), f"a JSON config.json ({str(exc)[:200]})") from None
    if not isinstance(root, dict):
        raise InputError("model", str(path), "a config.json holding a JSON object")
    for cfg in (root, root.get("text_config")):
        if isinstance(cfg, dict):
            _check_architecture(cfg, str(path))
    name = p.parent.name if p.stem == "config" else p.stem
    try:
        return model_from_config(root, name, today)
    except KeyError as exc:
        raise InputError("model", str(path), f"a config.json with the field {exc.args[0]}") from None
    except (ValidationError, TypeError, ValueError, ZeroDivisionError, AttributeError) as exc:
        raise InputError("model", str(path), f"a config.json describing a decoder-only transformer ({exc})") from None
