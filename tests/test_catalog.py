"""The catalogs: required entries, provenance on every figure, strict schema, exported JSON Schema."""

import datetime as dt
import json

import pytest
import yaml
from conftest import ROOT
from pydantic import ValidationError

from breakeven import catalog
from breakeven.catalog.schema import Gpu, Model
from breakeven.catalog.store import KINDS

REQUIRED_GPUS = [
    "a100-40gb",
    "a100-80gb",
    "h100-sxm",
    "h100-pcie",
    "h200",
    "b200",
    "l40s",
    "rtx-3090",
    "rtx-4090",
    "rtx-5090",
    "mi300x",
]
REQUIRED_MODELS = [
    "llama-2-7b",
    "llama-2-70b",
    "llama-3.1-8b",
    "llama-3.1-70b",
    "llama-3.3-70b",
    "llama-3.1-405b",
    "llama-4-scout",
    "llama-4-maverick",
    "mixtral-8x7b",
    "qwen3-8b",
    "qwen3-32b",
    "qwen3-30b-a3b",
    "qwen3-235b-a22b",
    "deepseek-v3",
    "deepseek-v4-pro",
    "deepseek-v4-flash",
    "glm-4.6",
    "glm-5.2",
    "gemma-4-31b",
    "gpt-oss-20b",
    "gpt-oss-120b",
    "kimi-k2",
    "mistral-large-2",
]


def test_required_gpus_present():
    assert sorted(REQUIRED_GPUS) == sorted(set(REQUIRED_GPUS) & {g.id for g in catalog.gpus()})


def test_required_models_present():
    assert sorted(REQUIRED_MODELS) == sorted(set(REQUIRED_MODELS) & {m.id for m in catalog.models()})


def test_deepseek_r1_is_an_alias_of_v3():
    assert catalog.model("deepseek-r1").id == "deepseek-v3"


def _raw_entries():
    for kind, (name, _) in KINDS.items():
        text = (ROOT / "src/breakeven/catalog/data" / name).read_text()
        for raw in yaml.safe_load(text)[kind]:
            yield kind, raw


@pytest.mark.parametrize("kind,raw", list(_raw_entries()), ids=lambda x: x if isinstance(x, str) else x.get("id"))
def test_every_entry_has_source_checked_confidence(kind, raw):
    prov = raw.get("provenance") or {}
    assert {"source", "checked", "confidence"} <= set(prov), f"{raw['id']} lacks provenance fields"
    assert prov["confidence"] in ("firm", "est")
    assert isinstance(prov["checked"], dt.date)
    for path, fig in (raw.get("figures") or {}).items():
        assert {"source", "checked", "confidence"} <= set(fig), f"{raw['id']}.{path} lacks provenance fields"


def test_every_measurement_has_provenance():
    text = (ROOT / "src/breakeven/catalog/data/measurements.yaml").read_text()
    for raw in yaml.safe_load(text)["measurements"]:
        assert {"source", "checked", "confidence"} <= set(raw["provenance"]), raw["id"]


def test_figure_override_must_name_a_real_field():
    raw = yaml.safe_load((ROOT / "src/breakeven/catalog/data/gpus.yaml").read_text())["gpus"][0]
    raw = {**raw, "figures": {"memory_gb": raw["provenance"]}}
    with pytest.raises(ValidationError, match="names no field"):
        Gpu.model_validate(raw)


def test_unknown_keys_are_rejected():
    raw = yaml.safe_load((ROOT / "src/breakeven/catalog/data/models.yaml").read_text())["models"][0]
    with pytest.raises(ValidationError, match="extra"):
        Model.model_validate({**raw, "hidden": 4096})
    with pytest.raises(ValidationError, match="extra"):
        Model.model_validate({**raw, "attention": {**raw["attention"], "kv_head": 8}})


def test_ids_and_aliases_are_unique_across_entries():
    for kind in KINDS:
        keys = [k.lower() for e in catalog.all_entries(kind) for k in [e[1].id, *getattr(e[1], "aliases", [])]]
        assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1]


def test_gpu_figures_are_dense_not_sparse():
    # H100 SXM: 989 dense bf16 TFLOP/s; the datasheet's 1,979 is with 2:4 sparsity.
    assert catalog.gpu("h100-sxm").dense_tflops.bf16 == pytest.approx(989.4, rel=0.01)
    for g in catalog.gpus():
        # bandwidth-to-compute sanity: no GPU in the catalog exceeds 2.5 PFLOP/s dense bf16 (B200: 2.25)
        assert g.dense_tflops.bf16 <= 2500, g.id


def test_model_architecture_matches_published_total():
    from breakeven.core.params import architecture_params

    for m in catalog.models():
        est = architecture_params(m) / 1e9
        assert est == pytest.approx(m.params_total_b, rel=0.05), m.id


def test_unknown_id_lists_close_matches():
    from breakeven.errors import UnknownIdError

    with pytest.raises(UnknownIdError) as info:
        catalog.model("llama-3.1-7b")
    assert "llama-3.1-70b" in info.value.close or "llama-3.1-8b" in info.value.close


@pytest.mark.parametrize("kind", list(KINDS))
def test_committed_json_schema_matches_the_models(kind):
    committed = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text())
    assert committed == catalog.json_schema(kind), "run: breakeven catalog schema KIND > schemas/KIND.schema.json"


def test_stale_lists_old_figures():
    assert catalog.stale(30, dt.date(2026, 12, 1), kind="gpus") == []
    old = catalog.stale(30, dt.date(2027, 6, 1), kind="gpus")
    assert {f.id for f in old} == {g.id for g in catalog.gpus()}


def test_staleness_is_about_the_figure_not_only_the_check():
    # An FX rate dated 199 days ago is stale even though it was checked yesterday.
    rate = catalog.StaleFigure("fx", "eur-usd-ecb-2026-05-08", "(entry)", dt.date(2026, 5, 8), "dated")
    found = catalog.stale(180, dt.date(2026, 11, 23), kind="fx")
    assert rate in found
    assert all(f.by == "dated" for f in found)  # every fx entry was checked recently
    assert rate not in catalog.stale(200, dt.date(2026, 11, 23), kind="fx")
    # a price published for July 2026 ([B]) counts from July, not from when it was looked at
    scaleway = [f for f in catalog.stale(120, dt.date(2026, 11, 23), kind="api-offers") if f.id.startswith("scaleway")]
    assert [f.date for f in scaleway] == [dt.date(2026, 7, 1)]
