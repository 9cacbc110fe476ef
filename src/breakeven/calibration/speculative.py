"""Speculative decoding against published speed-ups (catalog/data/speculative_measurements.yaml):
each point is predicted with the deployment, engine profile and serving model ``predict`` uses,
speculating at every batch as the runs did. No engine constant is fitted here; where a source gives
no acceptance, one acceptance per sweep is fitted on the sweep's ``use: fit`` points (the rules are at
the top of the YAML file). ``bench/validate_speculative.py`` prints the tables of docs/calibration.md."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from importlib import resources

import numpy as np
import yaml
from scipy.optimize import minimize_scalar

from breakeven.catalog import engine
from breakeven.catalog.schema import SpeculativeMeasurement
from breakeven.catalog.store import FAST_LOADER
from breakeven.core.deployment import Deployment
from breakeven.core.serving import batch_timings
from breakeven.core.speculative import acceptance_for, decode_steps
from breakeven.deployments import deployment


@functools.cache
def speculative_measurements() -> tuple[SpeculativeMeasurement, ...]:
    text = resources.files("breakeven.catalog").joinpath("data", "speculative_measurements.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=FAST_LOADER)["speculative_measurements"]
    return tuple(SpeculativeMeasurement.model_validate(m) for m in raw)


def deployment_for(point: SpeculativeMeasurement, acceptance: float) -> Deployment:
    """The point's deployment, speculating at ``acceptance`` at every batch (as the runs did)."""
    profile = engine(point.engine).model_copy(update={"speculative_disable_by_batch": False})
    spec = {"method": point.method, "draft_tokens": point.draft_tokens, "draft_model": point.draft_model}
    return deployment(
        point.model,
        point.gpu,
        point.gpus,
        point.precision,
        point.kv_precision,
        profile,
        point.attention_dp,
        point.prefill_gpus,
        speculative=spec,
        acceptance=acceptance,
    )


def predicted(point: SpeculativeMeasurement, acceptance: float) -> float:
    """The point's metric (with / without speculation) at ``acceptance``."""
    dep = deployment_for(point, acceptance)
    plain = dataclasses.replace(dep, speculative=None)
    batch = np.array([point.concurrency])
    if point.metric == "decode_speedup":
        return float(decode_steps(dep, batch, point.input_tokens + point.output_tokens / 2).speedup[0])
    shape = (point.input_tokens, point.output_tokens)
    return float(
        batch_timings(dep, batch, *shape).output_tokens_per_s[0]
        / batch_timings(plain, batch, *shape).output_tokens_per_s[0]
    )


def fitted_acceptance(sweep: str) -> float:
    """The acceptance of a sweep without a published one: least squares of the relative errors of its
    ``use: fit`` points (bounded to [0, 1])."""
    points = [p for p in speculative_measurements() if p.sweep == sweep and p.use == "fit"]

    def loss(a: float) -> float:
        return sum((predicted(p, a) / p.value - 1.0) ** 2 for p in points)

    return float(minimize_scalar(loss, bounds=(0.0, 1.0), method="bounded", options={"xatol": 1e-6}).x)


def acceptance_of(point: SpeculativeMeasurement) -> float:
    """The per-position acceptance a point is predicted at: from its published acceptance length, or
    its sweep's fitted acceptance."""
    if point.acceptance_length is not None:
        return acceptance_for(point.acceptance_length, point.draft_tokens)
    return fitted_acceptance(point.sweep)


@dataclass(frozen=True)
class SpeculativeRow:
    point: SpeculativeMeasurement
    acceptance: float
    predicted: float

    @property
    def error(self) -> float:
        return self.predicted / self.point.value - 1.0


def rows() -> list[SpeculativeRow]:
    """Every point with the acceptance it is predicted at and the prediction, in file order."""
    acceptance = {s: fitted_acceptance(s) for s in {p.sweep for p in speculative_measurements() if p.sweep}}
    out = []
    for p in speculative_measurements():
        a = acceptance[p.sweep] if p.sweep else acceptance_for(p.acceptance_length, p.draft_tokens)
        out.append(SpeculativeRow(p, a, predicted(p, a)))
    return out
