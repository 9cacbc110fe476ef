"""Helpers for scenario tests: load shipped examples as data, pick range ends."""

import copy

from conftest import ROOT

from breakeven import safe_yaml
from breakeven.scenario.evaluate import evaluate
from breakeven.scenario.load import parse


def example_data(name: str) -> dict:
    return safe_yaml.load((ROOT / "src/breakeven/examples" / f"{name}.yaml").read_text(), name)


def at_bound(data, which: str):
    """The scenario with every [low, high] range replaced by its low (or high) end."""
    if isinstance(data, list) and len(data) == 2 and all(isinstance(v, (int, float)) for v in data):
        return data[0] if which == "low" else data[1]
    if isinstance(data, dict):
        return {k: at_bound(v, which) for k, v in data.items()}
    if isinstance(data, list):
        return [at_bound(v, which) for v in data]
    return copy.deepcopy(data)


def run(data: dict, curve_points: int = 0):
    return evaluate(parse(data), curve_points=curve_points)


def by_name(result, name: str):
    return next(c for c in result.candidates if c.name == name)
