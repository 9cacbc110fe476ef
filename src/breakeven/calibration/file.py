"""The calibration file `breakeven calibrate --out` writes, and reading it back (no fitting here)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError

from breakeven import limits, safe_yaml
from breakeven.catalog.schema import EngineProfile, Strict
from breakeven.errors import InputError


class CalibrationDeployment(Strict):
    model: str
    gpu: str
    gpus: int
    precision: str
    kv_precision: str
    engine: str


class CalibrationPoint(Strict):
    id: str
    metric: str
    concurrency: int
    input_tokens: int
    output_tokens: int
    measured: float
    predicted_before: float
    predicted_after: float


class FitQuality(Strict):
    fitted: list[str]
    points: int
    rms_relative_error_before: float
    rms_relative_error_after: float
    max_relative_error_after: float
    objective: str = "rms relative error, (predicted - measured) / measured, over every point"
    kept_start: bool = False
    """True when no fitted values did better than the starting profile, which was kept."""
    unidentified: list[list[str]] = Field(default_factory=list)
    """Groups of fitted fields the points cannot separate: their values are one of many that fit."""

    def warnings(self) -> list[str]:
        """What a user should know about this fit, in words."""
        out = [
            f"the points cannot determine {group[0]}; it keeps its starting value"
            if len(group) == 1
            else f"the points cannot separate {', '.join(group)}: one keeps its starting value, the others' "
            "fitted values are one of many that fit as well, not measurements of the hardware"
            for group in self.unidentified
        ]
        if self.kept_start:
            out.append("no fitted values did better than the starting profile on these points; it is kept unchanged")
        return out


class CalibrationFile(Strict):
    """What `breakeven calibrate --out` writes."""

    kind: Literal["breakeven-calibration"] = "breakeven-calibration"
    version: Literal[2] = Field(
        2, description="2: profile fields of the sum-of-kernels model (version 1 files predate it: recalibrate)"
    )
    created: dt.date
    deployment: CalibrationDeployment
    sources: list[str]
    profile: EngineProfile
    fit: FitQuality
    points: list[CalibrationPoint] = Field(default_factory=list)


def write(file: CalibrationFile, path: str | Path) -> None:
    Path(path).write_text(yaml.safe_dump(file.model_dump(mode="json"), sort_keys=False), encoding="utf-8")


def load(path: str | Path) -> CalibrationFile:
    """Read a calibration file; bad files give an InputError naming what is wrong."""
    text = limits.read_text(path, "calibration", "a calibration file")
    try:
        data = safe_yaml.load(text, str(path))
    except safe_yaml.YamlError as exc:
        what = f"a YAML calibration file written by breakeven calibrate ({exc.where}: {exc.reason})"
        raise InputError("calibration", str(path), what) from None
    try:
        return CalibrationFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError("calibration", str(path), f"a breakeven calibration file ({where}: {first['msg']})") from None
