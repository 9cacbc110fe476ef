"""Numbers that may be uncertain.

Catalogs hold an ``Amount``: a number or a published ``[low, high]`` range. Scenarios hold a
``Quantity``: a number, a range, or a ``Distribution`` (``{dist: triangular, low, mode, high}``,
``{dist: normal, low, high}``, ``{dist: lognormal, low, high}``). A range is uniform on ``[low, high]``;
for the normal and the lognormal, ``low`` and ``high`` are the 5th and 95th percentiles (90% of the
draws fall between them), so every shape is written as the range a person would name. The point
estimate of any of them is its median (the midpoint of a range).
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Annotated, Literal, Union

import numpy as np
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError, WrapValidator, model_validator

from breakeven.outputs.format import number

Z_95 = 1.6448536269514722
"""The standard normal's 95th percentile: low and high of a normal or lognormal sit this many standard
deviations (of the value, or of its logarithm) from the median."""


class Distribution(BaseModel):
    """A probability distribution for one uncertain figure, written as the range a person would name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dist: Literal["uniform", "triangular", "normal", "lognormal"]
    low: float
    high: float
    mode: float | None = None
    """The most likely value (triangular only)."""

    @model_validator(mode="after")
    def _consistent(self) -> Distribution:
        values = [self.low, self.high] + ([] if self.mode is None else [self.mode])
        if not all(math.isfinite(v) for v in values):
            raise ValueError(f"low, high and mode must be finite numbers; got {values}")
        if self.low > self.high:
            raise ValueError(f"low must not exceed high; got low {self.low}, high {self.high}")
        if (self.dist == "triangular") != (self.mode is not None):
            raise ValueError("mode is given for a triangular distribution, and only for it")
        if self.mode is not None and not self.low <= self.mode <= self.high:
            raise ValueError(f"mode must lie between low and high; got {self.mode}")
        if self.dist == "lognormal" and self.low <= 0:
            raise ValueError(f"a lognormal needs low above 0; got {self.low}")
        return self

    def median(self) -> float:
        lo, hi = self.low, self.high
        if self.dist == "lognormal":
            return math.sqrt(lo * hi)
        if self.dist == "triangular" and hi > lo:
            m = self.mode
            if m >= (lo + hi) / 2:
                return lo + math.sqrt((hi - lo) * (m - lo) / 2)
            return hi - math.sqrt((hi - lo) * (hi - m) / 2)
        return (lo + hi) / 2

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` independent draws."""
        lo, hi = self.low, self.high
        if hi == lo:
            return np.full(n, lo)
        if self.dist == "uniform":
            return rng.uniform(lo, hi, n)
        if self.dist == "triangular":
            return rng.triangular(lo, self.mode, hi, n)
        if self.dist == "normal":
            return rng.normal((lo + hi) / 2, (hi - lo) / (2 * Z_95), n)
        mu, sigma = (math.log(lo) + math.log(hi)) / 2, (math.log(hi) - math.log(lo)) / (2 * Z_95)
        return rng.lognormal(mu, sigma, n)

    def quantile(self, q: np.ndarray) -> np.ndarray:
        """The values below which shares ``q`` (in (0, 1)) of the draws fall: the inverse of the CDF."""
        q = np.asarray(q, dtype=float)
        lo, hi = self.low, self.high
        if hi == lo:
            return np.full(q.shape, lo)
        if self.dist == "uniform":
            return lo + q * (hi - lo)
        if self.dist == "triangular":
            split = (self.mode - lo) / (hi - lo)
            rising = lo + np.sqrt(q * (hi - lo) * (self.mode - lo))
            falling = hi - np.sqrt((1 - q) * (hi - lo) * (hi - self.mode))
            return np.where(q < split, rising, falling)
        z = np.array([NormalDist().inv_cdf(float(v)) for v in np.ravel(q)]).reshape(q.shape)
        if self.dist == "normal":
            return (lo + hi) / 2 + z * (hi - lo) / (2 * Z_95)
        mu, sigma = (math.log(lo) + math.log(hi)) / 2, (math.log(hi) - math.log(lo)) / (2 * Z_95)
        return np.exp(mu + z * sigma)

    def describe(self) -> str:
        """As people read it: ``uniform 1,500–6,000``, ``lognormal, 90% in 1,500–6,000``."""
        span = f"{number(self.low)}–{number(self.high)}"
        if self.dist == "triangular":
            return f"triangular {span}, mode {number(self.mode)}"
        if self.dist in ("normal", "lognormal"):
            return f"{self.dist}, 90% in {span}"
        return f"uniform {span}"


def _check(value):
    if isinstance(value, Distribution):
        values = (value.low, value.high)
    else:
        values = value if isinstance(value, tuple) else (value,)
    if any(v < 0 or v != v or v == float("inf") for v in values):
        shown = list(values) if len(values) > 1 else values[0]
        raise ValueError(f"must be a finite number of at least 0; got {shown}")
    if isinstance(value, tuple) and value[0] > value[1]:
        raise ValueError(f"a range is [low, high]; got [{value[0]}, {value[1]}]")
    return value


def _check_finite(value):
    values = (
        (value.low, value.high) if isinstance(value, Distribution) else value if isinstance(value, tuple) else (value,)
    )
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"must be a finite number; got {value}")
    if isinstance(value, tuple) and value[0] > value[1]:
        raise ValueError(f"a range is [low, high]; got [{value[0]}, {value[1]}]")
    return value


QUANTITY_FORMS = (
    "a number, a [low, high] range, or a distribution {dist: uniform|normal|lognormal, low, high} "
    "or {dist: triangular, low, mode, high}"
)


def _one_error(value, handler):
    """One clear message where a figure fits none of its forms (instead of one per form tried)."""
    try:
        return handler(value)
    except ValidationError as exc:
        errors = exc.errors()
        own = [e for e in errors if e["type"] == "value_error"]
        if own:
            raise ValueError(own[0]["msg"].removeprefix("Value error, ")) from None
        if isinstance(value, dict):
            fields = [e for e in errors if "Distribution" in str(e["loc"][0]) and len(e["loc"]) > 1]
            if fields:
                raise ValueError("; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in fields)) from None
        raise ValueError(f"must be {QUANTITY_FORMS}") from None


Amount = Annotated[Union[float, tuple[float, float]], AfterValidator(_check)]
"""A finite, non-negative number or a [low, high] range of them (prices, counts, shares, hours)."""
Quantity = Annotated[Union[float, tuple[float, float], Distribution], AfterValidator(_check), WrapValidator(_one_error)]
"""A scenario's figure: a finite non-negative number, a [low, high] range (uniform), or a Distribution."""
SignedQuantity = Annotated[
    Union[float, tuple[float, float], Distribution], AfterValidator(_check_finite), WrapValidator(_one_error)
]
"""A Quantity that may be negative (a yearly price change of -0.3 is a 30% fall)."""


def as_distribution(value: float | tuple[float, float] | Distribution) -> Distribution | None:
    """The distribution a figure stands for: None for a plain number, uniform for a range."""
    if isinstance(value, Distribution):
        return value
    if isinstance(value, tuple):
        return Distribution(dist="uniform", low=value[0], high=value[1])
    return None


def point(value: float | tuple[float, float] | Distribution) -> float:
    """The point estimate: the number itself, or the median (the midpoint of a range)."""
    dist = as_distribution(value)
    return float(value) if dist is None else dist.median()


def show(value: float | tuple[float, float] | Distribution) -> str:
    """A figure as people write it: ``3,750``, ``1,500–6,000``, ``triangular 1,500–6,000, mode 3,000``."""
    if isinstance(value, Distribution):
        return value.describe()
    if isinstance(value, tuple):
        return f"{number(value[0])}–{number(value[1])}"
    return number(float(value))


def count(n: int, thing: str) -> str:
    """``1 GPU``, ``8 GPUs``."""
    return f"{n:,} {thing}" + ("" if n == 1 else "s")
