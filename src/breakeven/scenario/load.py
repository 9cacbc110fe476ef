"""Reading scenario files: YAML (or JSON) text -> a validated Scenario, or an error naming the field."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from breakeven import limits, safe_yaml
from breakeven.errors import InputError
from breakeven.scenario.schema import Scenario


class ScenarioError(InputError):
    """A scenario that cannot be read or validated; ``problems`` lists (field path, message) and
    ``types`` the kind of each (pydantic's error type, e.g. ``missing``; ``value_error`` otherwise)."""

    def __init__(self, source: str, problems: list[tuple[str, str]], types: list[str] | None = None) -> None:
        self.problems = problems
        self.types = types or ["value_error"] * len(problems)
        lines = "; ".join(f"{path}: {msg}" for path, msg in problems)
        super().__init__(problems[0][0] if problems else "scenario", source, lines)

    def __str__(self) -> str:
        return f"{self.value}: {self.allowed}"


KIND_TAGS = frozenset(
    {"api", "selfhost", "hybrid", "rent", "own", "always", "hours", "none", "standby", "api_failover"}
)
"""The ``kind`` values pydantic adds to an error's location for the branch of a tagged union it tried:
right after a candidate's index, or after the union field (pricing, schedule, redundancy)."""
UNION_FIELDS = frozenset({"pricing", "schedule", "redundancy"})
TYPE_BRANCHES = frozenset(
    {
        "float",
        "tuple[float,float]",
        "tuple[float, float]",
        "list[...]",
        "list[constrained-float]",
        "literal['flat','business_hours']",
    }
)
"""Names pydantic adds to an error's location for the branch of a plain union it tried."""


def _branch(p: object, before: object) -> bool:
    """Whether a location part names a union branch rather than a field (``api`` is both: the kind of a
    candidate after its index, a field of ``availability`` or of a hybrid)."""
    if p in KIND_TAGS:
        return isinstance(before, int) or before in UNION_FIELDS
    return p in TYPE_BRANCHES or str(p).startswith(("function-after[", "constrained-"))


def _path(loc: tuple) -> str:
    parts: list[str] = []
    for i, p in enumerate(loc):
        if isinstance(p, int):
            parts.append(f"[{p}]")
        elif _branch(p, loc[i - 1] if i else None):
            continue  # discriminator / union branch names pydantic adds
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts) or "scenario"


SHOWN_CHARS = 80
"""Longest rendering of a value in an error message (a 100 kB string is cut, not echoed)."""


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 3] + "..."


OWN_PATH = re.compile(r"^((?:[a-z_]+(?:\[\d+\])?)(?:\.[a-z_]+(?:\[\d+\])?)*): (.+)$", re.DOTALL)
"""A check across fields (a name that must match another candidate's) names its field at the start of
its message: ``candidates[2].selfhost: 'x' names no selfhost candidate``."""


def problem_details(exc: ValidationError) -> list[tuple[str, str, str]]:
    """(field path, message, error type) per validation error, with the value given where it helps."""
    seen, out = set(), []
    for err in exc.errors():
        path = _path(tuple(err["loc"]))
        msg = err["msg"].removeprefix("Value error, ")
        own = OWN_PATH.match(msg) if path == "scenario" else None
        if own:
            path, msg = own[1], own[2]
        if (
            err["type"] not in ("missing", "extra_forbidden")
            and not isinstance(err.get("input"), (dict, list))
            and "got " not in msg
        ):
            msg += f" (got {_shown(err.get('input'))})"
        if (path, msg) not in seen:
            seen.add((path, msg))
            out.append((path, msg, err["type"]))
    return out


def problems_of(exc: ValidationError) -> list[tuple[str, str]]:
    """(field path, message) per validation error, with the value given where it helps."""
    return [(path, msg) for path, msg, _ in problem_details(exc)]


def refused(source: str, exc: ValidationError) -> ScenarioError:
    """The ScenarioError for a validation error, with every problem's path and type."""
    details = problem_details(exc)
    return ScenarioError(source, [(p, m) for p, m, _ in details], [t for _, _, t in details])


def parse(data: object, source: str = "scenario") -> Scenario:
    """A Scenario from parsed YAML/JSON data."""
    if not isinstance(data, dict):
        raise ScenarioError(source, [("scenario", "a mapping of fields (name, currency, workload, candidates)")])
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise refused(source, exc) from None


def parse_json(body: bytes | str, source: str = "scenario") -> Scenario:
    """A Scenario from JSON text, validated strictly: a number must be a JSON number (YAML files are
    read leniently, so that ``6.17e9`` written unquoted is a number there too)."""
    try:
        return Scenario.model_validate_json(body, strict=True)
    except ValidationError as exc:
        raise refused(source, exc) from None


def parse_text(text: str, source: str) -> Scenario:
    """A Scenario from YAML (or JSON) text, read by the safe loader."""
    try:
        data = safe_yaml.load(text, source)
    except safe_yaml.YamlError as exc:
        raise ScenarioError(source, [(exc.where, exc.reason)]) from None
    return parse(data, source)


def load(path: str | Path) -> Scenario:
    """Read and validate a scenario file."""
    return parse_text(limits.read_text(path, "file", "a scenario YAML file"), str(path))


def load_calibrations(scenario: Scenario, base_dir: str | Path) -> dict:
    """The calibration files a scenario's self-host candidates name, paths relative to ``base_dir``."""
    from breakeven.calibration.file import load as load_file

    out = {}
    for c in scenario.candidates:
        if c.kind == "selfhost" and c.calibration is not None:
            path = Path(c.calibration)
            out[c.name] = load_file(path if path.is_absolute() else Path(base_dir) / path)
    return out
