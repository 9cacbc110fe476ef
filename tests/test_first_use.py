"""What a new user meets first: the headline command's money, its errors and its output, each a
reproducer of something that once was wrong."""

import json

import pytest

from breakeven.amounts import show
from breakeven.scenario.compare import compare

HEADLINE = dict(model="glm-5.2", volume="2B tokens/month", gpu="h200", precision="fp8")


def _assumption(result, name_part):
    return next(a for a in result.assumptions if name_part in a.name)


def test_report_currency_converts_money_and_nothing_else():
    # Reproducer: staff hours showed as 23.52-47.04 h/month in USD (the EUR defaults were converted
    # hours and all), so staff came to USD 4,668 instead of about 3,969.
    eur, usd = compare(currency="EUR", **HEADLINE), compare(currency="USD", **HEADLINE)
    rate = float(_assumption(usd, "FX EUR -> USD").value)
    assert _assumption(usd, "staff hours").value == _assumption(eur, "staff hours").value == "20–40"
    for e, u in zip(eur.candidates, usd.candidates):
        assert u.monthly_cost == pytest.approx(e.monthly_cost * rate, rel=1e-9)
        assert (u.replicas, u.utilization, u.service_level_met) == (e.replicas, e.utilization, e.service_level_met)
        for part, value in e.breakdown.items():
            assert u.breakdown[part] == pytest.approx(value * rate, rel=1e-9)
    host = next(c for c in usd.candidates if c.kind == "selfhost")
    assert host.breakdown["staff"] == pytest.approx(30 * 112.5 * rate)  # 20-40 h at EUR 75-150, midpoints
    for e, u in zip(eur.break_even, usd.break_even):
        assert u.selfhost_cheaper_above == pytest.approx(e.selfhost_cheaper_above, rel=1e-9)
    non_money = {a.name: a.value for a in eur.assumptions if "EUR" not in a.unit and "FX" not in a.name}
    assert {"self-hosted 8x h200: staff hours", "service level: min tokens/s per stream"} <= set(non_money)
    assert non_money == {a.name: a.value for a in usd.assumptions if a.name in non_money}


@pytest.mark.parametrize("currency", ["GBP", "eur"])
def test_a_bad_currency_is_blamed_on_the_currency(cli, currency):
    code, _out, err = cli("compare", "--model", "glm-5.2", "--volume", "1B", "--currency", currency)
    assert code == 2 and err.startswith("error: --currency:") and "--gpu" not in err


def test_compare_errors_name_the_option_typed_not_internal_fields(cli):
    code, _out, err = cli(
        "compare", "--model", "glm-5.2", "--volume", "1B", "--gpu", "h100", "--gpu-offer", "nebius-h200-reserved"
    )
    assert code == 2 and err.startswith("error: --gpu-offer:") and "pricing.offer" not in err


def test_errors_inside_a_candidate_keep_their_path(cli, tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "name: t\nworkload:\n  tokens_per_month: {input: 1.0e9, output: 1.0e8}\n"
        "  request: {input_tokens: 2000, output_tokens: 200}\ncandidates:\n"
        "  - {name: api, kind: api, prices: {input_per_m: 1, output_per_m: 2}}\n"
        "  - {name: host, kind: selfhost, model: glm-5.2, gpu: h100, gpus_per_replica: 8, precision: bf16,\n"
        "     pricing: {kind: rent, price_per_gpu_hour: 2}}\n"
    )
    code, _out, err = cli("evaluate", str(scenario))
    assert code == 2 and "candidates[1].gpus_per_replica: 8" in err and "needs at least" in err


def test_a_usage_error_is_one_line_not_a_box(cli):
    code, out, err = cli("predict", "--model", "llama-3.1-8b", "--gpu", "h100", "--gpus", "1")
    assert code == 2 and not out
    assert err.count("\n") == 1 and "--input-tokens" in err and "╭" not in err


def test_a_value_is_not_printed_twice(cli, tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "name: t\nworkload:\n  tokens_per_month: {input: .nan, output: 1.0e8}\n"
        "  request: {input_tokens: 2000, output_tokens: 200}\ncandidates:\n"
        "  - {name: api, kind: api, prices: {input_per_m: 1, output_per_m: 2}}\n"
    )
    code, _out, err = cli("evaluate", str(scenario))
    assert code == 2 and err.count("nan") == 1


def test_boolean_flags_do_not_show_as_bool(cli):
    for command in ("predict", "evaluate", "compare", "size"):
        code, out, _ = cli(command, "--help")
        assert code == 0 and "<bool>" not in out and "--json" in out


def test_ids_are_never_cut(cli):
    code, out, _ = cli("catalog", "list")
    assert code == 0 and "…" not in out
    from breakeven import catalog

    for _kind, entry in catalog.all_entries():
        assert f" {entry.id} " in out, entry.id


def test_numbers_read_one_way():
    # Reproducer: `7,057-2.823e+04` and `(1 GPUs)` in the same table.
    assert show((7057, 28230)) == "7,057–28,230"
    assert "e+" not in show(1.5e9) and show(0.0125) == "0.0125"


def test_compare_title_does_not_repeat_and_assumptions_can_be_left_out(cli):
    code, out, _ = cli(
        "compare",
        "--model",
        "glm-5.2",
        "--volume",
        "2B tokens/month",
        "--gpu",
        "h200",
        "--precision",
        "fp8",
        "--no-assumptions",
    )
    first = out.splitlines()[0]
    assert code == 0 and first.count("2B tokens/month") == 1
    assert "assumptions" not in out and "GPUs)" not in out


def test_never_is_explained_in_money_and_the_users_units(cli):
    # Reproducer: `each replica costs 1.46e+04 and serves 20 units, 730 per unit, at least the API's 95.59`
    code, out, _ = cli(
        "compare",
        "--model",
        "glm-5.2",
        "--volume",
        "1M requests/month",
        "--gpu",
        "h200",
        "--precision",
        "fp8",
        "--api-offer",
        "zai-glm-5.2",
        "--input-share",
        "0.5",
        "--output-tokens",
        "50",
        "--json",
    )
    assert code == 0
    pair = json.loads(out)["break_even"][0]
    reason = pair["reason"]
    assert "USD" in reason and "e+" not in reason and "units" not in reason
    assert "requests" in reason
