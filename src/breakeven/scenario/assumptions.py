"""Collecting every value an evaluation uses, with unit, source and firm/est."""

from __future__ import annotations

from breakeven.amounts import show
from breakeven.results import Assumption

SCENARIO = "scenario file"

Sources = dict[str, tuple[str, str]]
"""{scenario field path: (source, confidence)}: where a caller that wrote the scenario (``compare``) got
a field's value, replacing "scenario file" in the assumptions."""


class Ledger:
    """Assumptions in the order first used; a name is recorded once. ``sources`` gives the origin of
    fields the scenario's author filled in on someone else's behalf, by field path."""

    def __init__(self, sources: Sources | None = None) -> None:
        self._items: dict[str, Assumption] = {}
        self._sources = sources or {}

    def add(self, name: str, value: object, unit: str, source: str, confidence: str, field: str | None = None) -> None:
        if name in self._items:
            return
        if field in self._sources:
            source, confidence = self._sources[field]
        text = value if isinstance(value, str) else show(value)  # type: ignore[arg-type]
        self._items[name] = Assumption(
            name=name, value=text, unit=unit, source=source, confidence=confidence, field=field
        )

    def given(self, name: str, value: object, unit: str, field: str | None = None) -> None:
        """A value the scenario states: firm as far as breakeven is concerned (the user's own figure),
        est where the user gave a range or a distribution."""
        if value is not None:
            self.add(name, value, unit, SCENARIO, "firm" if isinstance(value, (int, float, str)) else "est", field)

    def items(self) -> list[Assumption]:
        return list(self._items.values())
