"""Hostile and careless input, each a reproducer that once crashed, hung or exhausted breakeven:
now a clear error naming the field or line, exit code 2, quickly."""

import json

import pytest
import yaml
from scenario_helpers import example_data

from breakeven import limits, safe_yaml
from breakeven.safe_yaml import YamlError
from breakeven.scenario.load import ScenarioError, parse

LONG_ID = "a" * 300


def _scenario_yaml(data: dict) -> str:
    return yaml.safe_dump(json.loads(json.dumps(data, default=str)), sort_keys=False)


# ------------------------------------------------------------------------------ safe YAML


def test_deep_nesting_is_refused_with_its_line():
    text = "name: x\nworkload:\n  request: " + "[" * 500 + "]" * 500 + "\n"
    with pytest.raises(YamlError) as err:
        safe_yaml.load(text, "deep.yaml")
    assert err.value.line == 3 and f"more than {limits.YAML_DEPTH} levels" in str(err.value)


def test_a_4301_digit_integer_is_refused():
    with pytest.raises(YamlError, match=r"line 2: a number of 4,301 characters; at most 64"):
        safe_yaml.load("name: x\ncount: " + "7" * 4301 + "\n", "big.yaml")


def test_huge_scalars_are_refused():
    with pytest.raises(YamlError, match="a value of 200,001 characters"):
        safe_yaml.load("description: " + "x" * 200_001, "long.yaml")


def _merge_bomb(levels: int) -> str:
    lines = ["b0: &b0 {x: 1, y: 2}"]
    lines += [f"b{i}: &b{i} {{<<: [*b{i - 1}, *b{i - 1}]}}" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_merge_key_bomb_is_refused_before_it_expands():
    text = _merge_bomb(40)
    assert len(text) < 1200
    with pytest.raises(YamlError, match="more than 200,000 values once aliases and merge keys are expanded"):
        safe_yaml.load(text, "bomb.yaml")


def test_billion_laughs_is_refused():
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    with pytest.raises(YamlError, match="alias or merge-key bomb"):
        safe_yaml.load("\n".join(lines), "laughs.yaml")


def test_small_aliases_and_merge_keys_still_work():
    text = "base: &b {x: 1, y: 2}\nother: {<<: *b, y: 3}\nlist: [*b, *b]\n"
    assert safe_yaml.load(text) == {
        "base": {"x": 1, "y": 2},
        "other": {"x": 1, "y": 3},
        "list": [{"x": 1, "y": 2}, {"x": 1, "y": 2}],
    }


@pytest.mark.parametrize(
    "text,line,key",
    [
        ("name: a\ncurrency: EUR\nname: b\n", 3, "name"),
        ("w:\n  users: {monthly_active: 1, monthly_active: 2}\n", 2, "monthly_active"),
        ("on: 1\nyes: 2\n", 2, "yes"),  # both are the boolean true in YAML 1.1
    ],
)
def test_duplicate_keys_are_refused_with_both_lines(text, line, key):
    with pytest.raises(YamlError) as err:
        safe_yaml.load(text, "dup.yaml")
    assert err.value.line == line and f"key {key!r} repeated" in err.value.reason


def test_lines_are_recorded_by_path():
    data, lines = safe_yaml.load_with_lines("points:\n  - {a: 1}\n  - a: 2\n    b: 3\n", "t.yaml", depth=3)
    assert data["points"][1] == {"a": 2, "b": 3}
    assert lines[("points", 0)] == 2 and lines[("points", 1)] == 3 and lines[("points", 1, "b")] == 4


def test_scenario_files_go_through_the_safe_loader(cli, tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_merge_bomb(40))
    code, _, err = cli("evaluate", str(bomb))
    assert code == 2 and "bomb.yaml: line" in err and "merge-key bomb" in err and "Traceback" not in err
    dup = tmp_path / "dup.yaml"
    dup.write_text(_scenario_yaml(example_data("b-crossover")) + "name: again\n")
    code, _, err = cli("evaluate", str(dup))
    assert code == 2 and "key 'name' repeated (first on line" in err


def test_calibration_files_go_through_the_safe_loader(cli, tmp_path):
    bad = tmp_path / "cal.yaml"
    bad.write_text("kind: breakeven-calibration\nkind: again\n")
    code, _, err = cli(
        "predict", "--model", "llama-3.1-8b", "--gpu", "h100", "--gpus", "1", "--input-tokens", "100",
        "--output-tokens", "10", "--calibration", str(bad),
    )  # fmt: skip
    assert code == 2 and "line 2: key 'kind' repeated" in err


def test_files_larger_than_the_limit_are_not_read(cli, tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * limits.SCENARIO_BYTES)
    code, _, err = cli("evaluate", str(big))
    assert code == 2 and "at most 1,000,000 bytes" in err


# ------------------------------------------------------------------------ ids, never paths


@pytest.mark.parametrize(
    "argv",
    [
        ["size", "--model", LONG_ID, "--gpu", "h100"],
        ["predict", "--model", LONG_ID, "--gpu", "h100", "--gpus", "1", "--input-tokens", "1", "--output-tokens", "1"],
        ["compare", "--model", LONG_ID, "--volume", "1B/month"],
        ["size", "--model", "llama-3.1-8b", "--gpu", LONG_ID],
    ],
)
def test_a_256_character_id_is_an_unknown_id_not_a_file_name(cli, argv):
    code, _, err = cli(*argv)
    assert code == 2 and "an id of at most 200 characters" in err and "Traceback" not in err


def test_a_long_model_id_in_a_scenario(cli, tmp_path):
    data = example_data("b-crossover")
    data["candidates"][1]["model"] = LONG_ID
    path = tmp_path / "s.yaml"
    path.write_text(_scenario_yaml(data))
    code, _, err = cli("evaluate", str(path))
    assert code == 2 and "an id of at most 200 characters" in err and "Traceback" not in err


def test_an_id_that_names_an_existing_file_is_still_an_id(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "llama-3.1-8b").write_text("{}")  # a file named like the id, no .json, no slash
    code, out, _ = cli("size", "--model", "llama-3.1-8b", "--gpu", "h100", "--json")
    assert code == 0 and json.loads(out)["model"] == "llama-3.1-8b"


# --------------------------------------------------------------------------- huge numbers


def test_two_to_the_64_gpus(cli):
    code, _, err = cli(
        "predict", "--model", "llama-3.1-8b", "--gpu", "h100", "--gpus", str(2**64), "--input-tokens", "100",
        "--output-tokens", "100",
    )  # fmt: skip
    assert code == 2 and err.startswith("error: --gpus: 18446744073709551616 is not allowed")
    assert "between 1 and 1,024 GPUs per replica" in err


def test_volume_of_1e308_tokens_a_month(cli):
    code, out, err = cli("compare", "--model", "glm-5.2", "--volume", "1e308 tokens/month", "--gpu", "h200")
    assert code == 2 and "at most 1e+18 tokens/month" in err and "Google" in err and not out


@pytest.mark.parametrize(
    "where,value,field",
    [
        (("workload", "users", "monthly_active"), 1e308, "workload.users.monthly_active"),
        (("workload", "users", "requests_per_user"), 1e9, "workload.users.requests_per_user"),
        (("workload", "users", "duty_cycle"), float("nan"), "workload.users.duty_cycle"),
        (("workload", "request", "input_tokens"), float("inf"), "workload.request.input_tokens"),
    ],
)
def test_users_mode_bounds(where, value, field):
    data = example_data("glm-team")
    data[where[0]][where[1]][where[2]] = value
    with pytest.raises(ScenarioError) as err:
        parse(data)
    assert field in [p for p, _ in err.value.problems]


def test_tokens_per_month_of_1e308_with_a_self_host_candidate(cli, tmp_path):
    data = example_data("b-crossover")
    data["workload"] = {
        "tokens_per_month": {"input": 1e308, "output": 1e308},
        "request": {"input_tokens": 1000, "output_tokens": 100},
    }
    path = tmp_path / "huge.yaml"
    path.write_text(_scenario_yaml(data))
    code, out, err = cli("evaluate", str(path))
    assert code == 2 and "workload.tokens_per_month.input" in err and "and 1e+18 tokens/month" in err
    assert "nan" not in out.lower() and "Traceback" not in err


def test_a_capacity_that_needs_more_replicas_than_numbers_count_is_refused(cli, tmp_path):
    # found by the scenario-document fuzzer: 1e-300 tokens/s a replica needs 6e302 replicas, which crashed
    # the hybrid plan's list of alternatives (numpy cannot hold the count)
    data = example_data("c-utilization")
    index = next(i for i, c in enumerate(data["candidates"]) if "capacity" in c)
    data["candidates"][index]["capacity"]["output_tokens_per_s_per_replica"] = 1e-300
    path = tmp_path / "slow.yaml"
    path.write_text(_scenario_yaml(data))
    code, _, err = cli("evaluate", str(path), "--json")
    assert code == 2 and f"candidates[{index}]: needs" in err and "at most 1,000,000,000,000 serving replicas" in err
    data["candidates"][index]["capacity"]["output_tokens_per_s_per_replica"] = 1e-3  # slow, but countable
    path.write_text(_scenario_yaml(data))
    assert cli("evaluate", str(path), "--json")[0] == 0


def test_users_times_requests_beyond_the_world_is_refused():
    data = example_data("glm-team")
    data["workload"]["users"].update(monthly_active=8e9, requests_per_user=1e7)
    with pytest.raises(ScenarioError) as err:
        parse(data)
    assert any("monthly_active x requests_per_user x tokens per request" in m for _, m in err.value.problems)


def test_zero_amortization_months_is_refused_not_divided_by():
    data = example_data("glm-team")
    data["candidates"][2]["production_layer"]["amortize_months"] = 0
    with pytest.raises(ScenarioError) as err:
        parse(data)
    assert "candidates[2].production_layer.amortize_months" in [p for p, _ in err.value.problems]


def test_too_many_candidates():
    data = example_data("b-crossover")
    api = data["candidates"][0]
    data["candidates"] = [dict(api, name=f"api {i}") for i in range(int(limits.CANDIDATES.high) + 1)]
    with pytest.raises(ScenarioError) as err:
        parse(data)
    assert "candidates" in [p for p, _ in err.value.problems]


def test_the_schema_states_the_bounds():
    from breakeven.scenario.schema import Scenario

    text = json.dumps(Scenario.model_json_schema())
    assert '"maximum": 1e+18' in text and '"maximum": 1024' in text and '"maxItems": 20' in text


@pytest.mark.parametrize("key,value", [("num_attention_heads", 0), ("num_hidden_layers", 10**18), ("vocab_size", -1)])
def test_config_json_architecture_fields_are_bounded(cli, tmp_path, key, value):
    from conftest import HF_CONFIGS

    cfg = json.loads((HF_CONFIGS / "llama-3.1-8b.json").read_text())
    cfg[key] = value
    path = tmp_path / "config.json"
    path.write_text(json.dumps(cfg))
    code, _, err = cli("size", "--model", str(path), "--gpu", "h100")
    assert code == 2 and f"whose {key} is a whole number" in err and "Traceback" not in err


def test_config_json_that_is_not_json_or_too_deep(cli, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    code, _, err = cli("size", "--model", str(deep), "--gpu", "h100")
    assert code == 2 and "a JSON config.json" in err


def test_a_request_longer_than_the_models_context_names_the_request():
    from scenario_helpers import run

    data = example_data("b-crossover")
    data["workload"]["request"]["output_tokens"] = 5_000_000
    with pytest.raises(ScenarioError) as err:
        run(data)
    ((path, msg),) = err.value.problems
    assert path == "workload.request" and "whose context holds at most" in msg
