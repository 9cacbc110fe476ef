"""Turning one figure into a number: the scenario's own (a number, a range, a distribution, or a
field's default) or a catalog's (with its provenance; est figures drawn within the scenario's
``uncertainty.est_spread``), recorded in the assumptions as it is used and drawn by the ``Draws``."""

from __future__ import annotations

import math
import typing

from pydantic import BaseModel

from breakeven.amounts import Distribution, as_distribution
from breakeven.catalog.schema import Sourced
from breakeven.fx import Rate, rate_for
from breakeven.scenario.assumptions import SCENARIO, Ledger
from breakeven.scenario.draws import Bounds, Draws, Input, PointDraws
from breakeven.scenario.resolved import Num
from breakeven.scenario.schema import DEFAULT_SOURCES, Scenario

NON_NEGATIVE: Bounds = (0.0, None)


def spread(value: float, share: float, bounds: Bounds = NON_NEGATIVE) -> Distribution:
    """An est catalog figure as a distribution: uniform within ``share`` of it, narrowed symmetrically
    where the figure's allowed range is closer (a share of at most 1), so its median stays the figure."""
    lo, hi = bounds
    width = min(
        abs(value) * share, value - lo if lo is not None else math.inf, hi - value if hi is not None else math.inf
    )
    return Distribution(dist="uniform", low=value - width, high=value + width)


class Resolver:
    """Figures to numbers for one scenario, recording each in the ledger and drawing it from ``draws``."""

    def __init__(self, scenario: Scenario, draws: Draws, ledger: Ledger, fx: dict[str, Rate]) -> None:
        self.scenario, self.draws, self.ledger, self._fx = scenario, draws, ledger, fx
        self.est_spread = scenario.uncertainty.est_spread

    @property
    def point_only(self) -> bool:
        """Whether this is the point estimate (figures used only there are resolved only then)."""
        return isinstance(self.draws, PointDraws)

    def number(
        self,
        value,
        key: str,
        name: str,
        unit: str,
        performance: bool = False,
        bounds: Bounds = NON_NEGATIVE,
        source: str = SCENARIO,
        confidence: str = "est",
    ) -> Num:
        """A plain number as it is; a range or a distribution drawn as the input ``key``."""
        dist = as_distribution(value)
        if dist is None:
            return float(value)
        return self.draws(Input(key, name, unit, dist, performance, bounds, source, confidence))

    def given(self, value, path: str, name: str, unit: str, **kw) -> Num | None:
        """A figure the scenario states at ``path`` (None stays None)."""
        if value is None:
            return None
        self.ledger.given(name, value, unit, path)
        return self.number(value, path, name, unit, **kw)

    def field(self, model: BaseModel, attr: str, path: str, name: str, unit: str, **kw) -> Num | None:
        """A scenario field: the user's figure if the file sets it, else its default, listed as est with
        the default's source."""
        value = getattr(model, attr)
        if attr in model.model_fields_set:
            return self.given(value, f"{path}.{attr}", name, unit, **kw)
        if value is None:
            return None
        source = DEFAULT_SOURCES.get((type(model).__name__, attr), "breakeven default")
        self.ledger.add(name, value, unit, source, "est", f"{path}.{attr}")
        return self.number(value, f"{path}.{attr}", name, unit, **kw)

    def figure(
        self,
        entry: Sourced,
        kind: str,
        path: str,
        value,
        name: str,
        unit: str,
        performance: bool = False,
        bounds: Bounds = NON_NEGATIVE,
    ) -> Num:
        """A catalog figure with its own provenance: a published range drawn uniformly, a figure marked
        est drawn within the est spread, a firm figure as it is."""
        prov = entry.provenance_of(path)
        source = f"{prov.source} (checked {prov.checked})"
        self.ledger.add(name, value, unit, source, prov.confidence)
        if as_distribution(value) is None and prov.confidence == "est" and self.est_spread > 0:
            value = spread(float(value), self.est_spread, bounds)
        key = f"catalog:{kind}/{entry.id}.{path}"
        return self.number(value, key, name, unit, performance, bounds, source, prov.confidence)

    def rate(self, currency: str | None) -> Num:
        """Report-currency units per unit of ``currency`` (listed as an assumption where it is not 1; a
        rate marked est is drawn within the est spread, once per currency)."""
        s = self.scenario
        rate = rate_for(currency or s.currency, s.currency, self._fx, s.price_date)
        if rate.rate == 1.0:
            return 1.0
        name, unit, source = (
            f"FX {rate.currency} -> {s.currency}",
            f"{s.currency} per {rate.currency}",
            f"{rate.source} ({rate.date})",
        )
        self.ledger.add(name, f"{rate.rate:.6g}", unit, source, rate.confidence)
        if rate.confidence != "est" or self.est_spread == 0:
            return rate.rate
        dist = spread(rate.rate, self.est_spread)
        return self.draws(Input(f"fx:{rate.currency}->{s.currency}", name, unit, dist, source=source, confidence="est"))


UNIT_OF_SUFFIX = {
    "_gib": "GiB",
    "_tb_per_s": "TB/s",
    "_gb_per_s": "GB/s",
    "_w": "W",
    "_us": "us",
    "_ns": "ns",
    "_tokens": "tokens",
}
"""Units of GPU and engine figures by the suffix of their field name (dense_tflops.* are TFLOP/s);
figures without one are shares."""


def unit_of(path: str) -> str:
    if path.startswith("dense_tflops."):
        return "TFLOP/s"
    field = path.rsplit(".", 1)[-1]
    return next((unit for suffix, unit in UNIT_OF_SUFFIX.items() if field.endswith(suffix)), "share")


def _bounds_of(field) -> Bounds:
    """The lowest and highest value a pydantic field allows (its Gt/Ge/Lt/Le constraints)."""
    metadata = list(field.metadata)
    for arg in typing.get_args(field.annotation):
        metadata += list(getattr(arg, "__metadata__", ()))
        for inner in getattr(arg, "__metadata__", ()):
            metadata += list(getattr(inner, "metadata", ()))
    lo, hi = None, None
    for m in metadata:
        lo = getattr(m, "ge", getattr(m, "gt", lo))
        hi = getattr(m, "le", getattr(m, "lt", hi))
    return (0.0 if lo is None else float(lo), None if hi is None else float(hi))


def float_fields(model: BaseModel, prefix: str = "") -> list[tuple[str, float, Bounds]]:
    """(dotted path, value, bounds) of every float field of a catalog entry, nested models included."""
    out = []
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            out += float_fields(value, f"{prefix}{name}.")
        elif isinstance(value, float):
            out.append((f"{prefix}{name}", value, _bounds_of(field)))
    return out


FIGURE_NAMES = {"memory_gib": "memory", "bandwidth_tb_per_s": "memory bandwidth"}
"""How the assumptions name a few GPU figures; the others are named by their field."""


UNIT_SUFFIXES = ("_gib", "_us", "_w", "_tb_per_s", "_gb_per_s")
"""Unit suffixes of field names, left out of the names (the unit is listed beside the value)."""


def figure_name(entry: Sourced, path: str) -> str:
    """``h200 memory bandwidth``, ``vllm weight bandwidth efficiency``, ``b200 dense tflops fp8``."""
    if path in FIGURE_NAMES:
        return f"{entry.id} {FIGURE_NAMES[path]}"
    for suffix in UNIT_SUFFIXES:
        path = path.removesuffix(suffix)
    return f"{entry.id} {path.replace('.', ' ').replace('_', ' ')}"


def performance_figures(
    r: Resolver, entry: Sourced, kind: str, target: str, listed: tuple[str, ...] = ()
) -> dict[str, Num]:
    """Every float figure of a GPU or engine profile marked est, drawn as a performance input:
    ``{target.path: value}`` (the path as in the entry, e.g. ``gpu.dense_tflops.fp8``). The figures in
    ``listed`` go into the assumptions whether est or firm."""
    out = {}
    for path, value, bounds in float_fields(entry):
        est = entry.provenance_of(path).confidence == "est"
        if not (est or path in listed):
            continue
        unit = unit_of(path)
        drawn = r.figure(entry, kind, path, value, figure_name(entry, path), unit, performance=True, bounds=bounds)
        if est:
            out[f"{target}.{path}"] = drawn
    return out
