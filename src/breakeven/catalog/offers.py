"""Strict models for price catalogs: GPU rent offers, GPU purchase offers, API offers, FX rates.

Prices may be ranges (``[2.0, 3.0]``); the point estimate is the midpoint. Currencies are ISO codes.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from breakeven.amounts import Amount
from breakeven.catalog.schema import Sourced

Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")]


class GpuRentOffer(Sourced):
    """A provider's price for renting GPUs. ``unit`` says what ``price`` is for: one GPU for an hour,
    a node of ``gpus`` GPUs for an hour, or a server of ``gpus`` GPUs for a month (billed whole)."""

    id: Id
    name: str
    provider: str
    gpu: str = Field(description="GPU catalog id")
    gpus: Annotated[int, Field(gt=0)] = Field(1, description="GPUs in one billed unit")
    price: Amount
    unit: Literal["gpu_hour", "node_hour", "month"]
    currency: Currency
    term: Literal["on_demand", "reserved", "spot", "monthly"]
    region: str | None = None


class GpuOwnOffer(Sourced):
    """A price for buying GPUs: a card (gpus: 1) or a node of ``gpus`` cards."""

    id: Id
    name: str
    gpu: str
    gpus: Annotated[int, Field(gt=0)] = 1
    purchase_price: Amount = Field(description="Price of one unit (card or node), in currency")
    currency: Currency
    power_w: Amount | None = Field(None, description="Draw of one unit under load, W (default: board power x gpus)")
    condition: Literal["new", "used"] = "new"


class ApiOffer(Sourced):
    """Per-million-token prices for one model at one provider, where the price library lacks it.
    ``cached_input_per_m`` null means the provider has no prompt caching: repeats bill in full."""

    id: Id
    name: str
    provider: str
    model: str | None = Field(None, description="Model catalog id, where the model is in the catalog")
    input_per_m: Amount
    cached_input_per_m: Amount | None = None
    cache_write_per_m: Amount | None = None
    output_per_m: Amount
    currency: Currency


class FxRate(Sourced):
    """Units of ``quote`` per one unit of ``base`` on ``date``."""

    id: Id
    base: Currency
    quote: Currency
    rate: Annotated[float, Field(gt=0)]
    date: dt.date

    @model_validator(mode="after")
    def _distinct(self) -> FxRate:
        if self.base == self.quote:
            raise ValueError("base and quote must differ")
        return self
