"""The shipped example scenarios as the page's presets: id, name, what the file says about itself (its
leading comment lines) and the scenario as written (fields as given, defaults left out)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from breakeven.scenario.load import parse

DEFAULT_PRESET = "glm-team"
"""The scenario the page opens with: the full model (staff, production layer, failover, two APIs)."""


def _about(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.removeprefix("#").strip())
    return " ".join(lines)


@cache
def presets() -> tuple[dict, ...]:
    """[{id, name, about, scenario}] for every shipped example, sorted by id."""
    folder = resources.files("breakeven").joinpath("examples")
    out = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".yaml"):
            continue
        text = item.read_text(encoding="utf-8")
        scenario = parse(yaml.safe_load(text), item.name)
        out.append(
            {
                "id": item.name.removesuffix(".yaml"),
                "name": scenario.name,
                "about": _about(text),
                "scenario": scenario.model_dump(mode="json", exclude_unset=True),
            }
        )
    return tuple(out)
