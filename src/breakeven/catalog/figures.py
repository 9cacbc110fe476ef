"""Strict models for sourced figures that are neither hardware nor prices: availability (a single
node's, an API's SLA), what downtime costs, the emissions of a grid's electricity, and the kinds of
users a deployment serves (publication [A]'s classic chat and agentic users)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from breakeven.amounts import Amount
from breakeven.catalog.offers import Currency, Id
from breakeven.catalog.schema import Sourced


def _share(value):
    ends = value if isinstance(value, tuple) else (value,)
    if not all(0 <= v <= 1 for v in ends):
        raise ValueError(f"a share is between 0 and 1; got {value}")
    return value


ShareAmount = Annotated[Amount, AfterValidator(_share)]
"""A share (0 to 1), or a published [low, high] range of one."""


class AvailabilityFigure(Sourced):
    """The share of the time something is up: a single self-hosted node, a multi-region deployment, an
    API's published SLA."""

    id: Id
    name: str
    applies_to: Literal["node", "multi_region", "api"]
    availability: ShareAmount


class DowntimeCost(Sourced):
    """What an hour of downtime costs a business, in ``currency``."""

    id: Id
    name: str
    cost_per_hour: Amount
    currency: Currency


class GridIntensity(Sourced):
    """Emissions per kWh of a grid's electricity (generation; a year's average)."""

    id: Id
    name: str
    region: str
    year: Annotated[int, Field(ge=1990, le=2100)]
    kg_co2e_per_kwh: Amount = Field(description="kg CO2-equivalent per kWh (CO2 alone where the note says so)")


class UserProfile(Sourced):
    """A kind of user and what serving one takes: the speed each stream needs, the share of the time a
    user has a request in flight, agents per person, and the request (publication [A]'s classic and
    agentic developers). A profile file for ``breakeven capacity --profile FILE`` has the same fields."""

    id: Id
    name: str
    min_tokens_per_s_per_stream: Amount = Field(description="Decode tokens/s every stream needs")
    max_ttft_s: Amount | None = Field(None, description="Longest acceptable time to first token, s")
    duty_cycle: ShareAmount = Field(description="Share of a user's time with a request in flight")
    agents_per_user: Amount = Field(1.0, description="Streams one person keeps busy (agents running at once)")
    input_tokens: Annotated[int, Field(ge=1, le=10_000_000)]
    output_tokens: Annotated[int, Field(ge=1, le=10_000_000)]
    cached_input_share: Annotated[float, Field(ge=0, lt=1)] = 0.0
