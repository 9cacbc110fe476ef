"""Models built from real Hugging Face config.json files agree with the catalog entries."""

import json

import pytest
from conftest import HF_CONFIGS, TODAY

from breakeven import catalog
from breakeven.catalog.hf_config import load_config, model_from_config
from breakeven.core.sizing import kv_bytes_per_sequence, kv_bytes_per_token
from breakeven.errors import InputError


@pytest.mark.parametrize("name", ["llama-3.1-8b", "qwen3-30b-a3b", "deepseek-v3", "gpt-oss-20b"])
def test_config_matches_catalog_entry(name):
    loaded, entry = load_config(HF_CONFIGS / f"{name}.json", TODAY), catalog.model(name)
    assert loaded.layers == entry.layers and loaded.hidden_size == entry.hidden_size
    assert loaded.attention == entry.attention
    assert loaded.moe == entry.moe
    assert kv_bytes_per_token(loaded, "bf16") == kv_bytes_per_token(entry, "bf16")
    assert kv_bytes_per_sequence(loaded, "bf16", 50_000) == kv_bytes_per_sequence(entry, "bf16", 50_000)
    assert loaded.params_total_b == pytest.approx(entry.params_total_b, rel=0.02)
    assert loaded.native_precision == entry.native_precision


def test_loaded_params_are_marked_estimates():
    m = load_config(HF_CONFIGS / "llama-3.1-8b.json", TODAY)
    assert m.provenance_of("params_total_b").confidence == "est"
    assert m.provenance.confidence == "firm"


def test_llama4_style_text_config_and_chunked_layers():
    cfg = {
        "model_type": "llama4",
        "text_config": {
            "model_type": "llama4_text",
            "num_hidden_layers": 48,
            "hidden_size": 5120,
            "num_attention_heads": 40,
            "num_key_value_heads": 8,
            "head_dim": 128,
            "vocab_size": 202048,
            "intermediate_size": 8192,
            "intermediate_size_mlp": 16384,
            "num_local_experts": 128,
            "num_experts_per_tok": 1,
            "interleave_moe_layer_step": 2,
            "attention_chunk_size": 8192,
            "max_position_embeddings": 1048576,
        },
    }
    m = model_from_config(cfg, "maverick", TODAY)
    entry = catalog.model("llama-4-maverick")
    assert m.moe.moe_layers == 24 and m.moe.shared_experts == 1
    assert m.attention.local_layers == 36 and m.attention.window_tokens == 8192
    assert m.params_total_b == pytest.approx(entry.params_total_b, rel=0.02)


def test_broken_config_gives_input_error(tmp_path):
    bad = tmp_path / "config.json"
    bad.write_text(json.dumps({"hidden_size": 10}))
    with pytest.raises(InputError, match="num_hidden_layers"):
        load_config(bad, TODAY)
    bad.write_text("{not json")
    with pytest.raises(InputError, match="JSON"):
        load_config(bad, TODAY)
