"""Collecting every value an evaluation uses, with unit, source and firm/est."""

from __future__ import annotations

from breakeven.amounts import show
from breakeven.catalog.schema import Provenance, Sourced
from breakeven.results import Assumption

SCENARIO = "scenario file"


class Ledger:
    """Assumptions in the order first used; a name is recorded once."""

    def __init__(self) -> None:
        self._items: dict[str, Assumption] = {}

    def add(self, name: str, value: object, unit: str, source: str, confidence: str) -> None:
        if name not in self._items:
            text = value if isinstance(value, str) else show(value)  # type: ignore[arg-type]
            self._items[name] = Assumption(name=name, value=text, unit=unit, source=source, confidence=confidence)

    def given(self, name: str, value: object, unit: str) -> None:
        """A value the scenario states: firm as far as breakeven is concerned (the user's own figure)."""
        if value is not None:
            self.add(name, value, unit, SCENARIO, "est" if isinstance(value, tuple) else "firm")

    def field(self, name: str, model, attr: str, unit: str) -> None:
        """A scenario field: the user's value if the file sets it, else its default with the default's source."""
        from breakeven.scenario.schema import DEFAULT_SOURCES

        value = getattr(model, attr)
        if attr in model.model_fields_set:
            self.given(name, value, unit)
        elif value is not None:
            self.add(name, value, unit, DEFAULT_SOURCES.get((type(model).__name__, attr), "breakeven default"), "est")

    def figure(self, name: str, entry: Sourced, path: str, value: object, unit: str) -> None:
        """A catalog figure, with its own provenance."""
        prov: Provenance = entry.provenance_of(path)
        self.add(name, value, unit, f"{prov.source} (checked {prov.checked})", prov.confidence)

    def items(self) -> list[Assumption]:
        return list(self._items.values())
