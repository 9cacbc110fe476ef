"""Numbers that may be uncertain, and their bounds.

Catalogs hold an ``Amount``: a number or a published ``[low, high]`` range. Scenarios hold quantities
made by ``amount(low, high)``: a number, a range, or a ``Distribution`` (``{dist: triangular, low, mode,
high}``, ``{dist: normal, low, high}``, ``{dist: lognormal, low, high}``). A range is uniform on
``[low, high]``; for the normal and the lognormal, ``low`` and ``high`` are the 5th and 95th percentiles
(90% of the draws fall between them), so every shape is written as the range a person would name. The
point estimate of any of them is its median (the midpoint of a range).

Every figure is bounded (breakeven.limits): NaN, infinities and numbers past what the world holds are
refused with the bound and its reason, and the JSON Schema states the bounds.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Annotated, Any, Literal, Union

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    ValidationError,
    WithJsonSchema,
    WrapValidator,
    model_validator,
)

from breakeven import limits
from breakeven.limits import Limit
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


def _ends(value) -> tuple[float, ...]:
    if isinstance(value, Distribution):
        return (value.low, value.high) + (() if value.mode is None else (value.mode,))
    return value if isinstance(value, tuple) else (value,)


def _checker(low: float, high: Limit):
    """A validator: every end (and mode) of the figure a finite number in [low, high], ranges ordered."""

    def check(value):
        ends = _ends(value)
        if not all(high.holds(v, low) for v in ends):
            shown = number(ends[0]) if len(ends) == 1 else "[" + ", ".join(number(v) for v in ends) + "]"
            raise ValueError(f"must be a finite number {high.allowed(low)}; got {shown}")
        if isinstance(value, tuple) and value[0] > value[1]:
            raise ValueError(f"a range is [low, high]; got [{number(value[0])}, {number(value[1])}]")
        return value

    return check


def _schema(low: float, high: Limit, distributions: bool) -> dict[str, Any]:
    one = {"type": "number", "minimum": low, "maximum": high.high}
    pair = {"type": "array", "prefixItems": [one, one], "minItems": 2, "maxItems": 2}
    forms = [one, pair]
    if distributions:
        forms.append(
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["dist", "low", "high"],
                "properties": {
                    "dist": {"enum": ["uniform", "triangular", "normal", "lognormal"]},
                    "low": one,
                    "high": one,
                    "mode": {"anyOf": [one, {"type": "null"}]},
                },
            }
        )
    what = QUANTITY_FORMS if distributions else "a number or a [low, high] range"
    return {"anyOf": forms, "description": f"{what}, {high.allowed(low)}"}


QUANTITY_FORMS = (
    "a number, a [low, high] range, or a distribution {dist: uniform|normal|lognormal, low, high} "
    "or {dist: triangular, low, mode, high}"
)


def _one_error(value, handler):
    """One clear message where a figure fits none of its forms (instead of one per form tried). A
    JSON array is a range (JSON has no tuple; a wrap validator sees it as a list even in strict mode)."""
    if isinstance(value, list):
        value = tuple(value)
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


def amount(low: float = 0.0, high: Limit = limits.FIGURE) -> Any:
    """The type of a scenario figure: a finite number in [low, high.high], a [low, high] range of them
    (uniform), or a Distribution whose ends lie there."""
    return Annotated[
        Union[float, tuple[float, float], Distribution],
        AfterValidator(_checker(low, high)),
        WrapValidator(_one_error),
        WithJsonSchema(_schema(low, high, distributions=True)),
    ]


Amount = Annotated[
    Union[float, tuple[float, float]],
    AfterValidator(_checker(0.0, limits.FIGURE)),
    WithJsonSchema(_schema(0.0, limits.FIGURE, distributions=False)),
]
"""A catalog figure: a finite, non-negative number or a published [low, high] range of them."""
Quantity = amount()
"""A scenario figure at most limits.FIGURE: a number, a [low, high] range (uniform), or a Distribution."""
Money = amount(0.0, limits.MONEY)
"""A price or a sum of money (or a range, or a distribution), in its block's currency."""
Share = amount(0.0, limits.SHARE)
"""A share of a whole, 0 to 1 (or a range, or a distribution)."""
SignedQuantity = amount(-limits.FIGURE.high, limits.FIGURE)
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
