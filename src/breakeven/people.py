"""People served, as the Python API and ``breakeven capacity`` ask for it: how many users of one kind
(a user-profiles catalog id, or a profile file) one deployment serves, from the performance model or a
measured throughput, and what each costs a month in GPU rent."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pydantic import ValidationError

from breakeven import limits, safe_yaml
from breakeven.amounts import point
from breakeven.api import deployment_fields
from breakeven.catalog.figures import UserProfile
from breakeven.catalog.store import lookup
from breakeven.core.costs import billed_hours
from breakeven.core.sizing import max_sequences
from breakeven.deployments import deployment, require_fit
from breakeven.errors import InputError
from breakeven.results import CapacityResult
from breakeven.scenario.people_side import people_served_by
from breakeven.scenario.resolve_figures import profile_inputs

PROFILE_SUFFIXES = (".yaml", ".yml", ".json")


def catalog_profile(key: str) -> UserProfile:
    """A user-profiles catalog entry (``chat``, ``agentic``); an unknown id names ``profile``."""
    try:
        return lookup("user-profiles", key)  # type: ignore[return-value]
    except InputError as exc:
        raise exc.about("profile") from None


def profile_from(data: object, name: str, source: str, today: dt.date | None = None) -> UserProfile:
    """A user profile from its figures (a profile file's, a request body's); ``source`` becomes its
    provenance (the user's own figures: firm)."""
    if not isinstance(data, dict):
        raise InputError("profile", name, "a mapping of a user profile's fields (min_tokens_per_s_per_stream, ...)")
    stem = re.sub(r"[^a-z0-9.\-]+", "-", name.lower()).strip("-.") or "profile"
    checked = (today or dt.date.today()).isoformat()
    given = {"id": stem, "name": stem, "provenance": {"source": source, "checked": checked, "confidence": "firm"}}
    try:
        return UserProfile.model_validate({**given, **data})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        given = first.get("input") if first["type"] != "missing" else "(missing)"
        raise InputError(f"profile.{where}" if where else "profile", given, first["msg"]) from None


def user_profile(key: str, today: dt.date | None = None) -> UserProfile:
    """A user profile: a user-profiles catalog id (``chat``, ``agentic``), or a YAML/JSON file with the
    same fields (no ``id`` or ``provenance`` needed: the file is their source)."""
    if not key.lower().endswith(PROFILE_SUFFIXES) and "/" not in key:
        return catalog_profile(key)
    text = limits.read_text(key, "profile", "a user profile YAML file")
    try:
        data = safe_yaml.load(text, key)
    except safe_yaml.YamlError as exc:
        raise InputError("profile", key, f"{exc.where}: {exc.reason}") from None
    return profile_from(data, Path(key).stem, f"profile file {key}", today)


def web_profile(value: str | dict) -> UserProfile:
    """A profile as the web API takes it: a catalog id (never a file), or the profile's figures."""
    if isinstance(value, str):
        return catalog_profile(value)
    return profile_from(value, str(value.get("name", "profile"))[: limits.NAME_CHARS], "request body")


def capacity(
    model: str,
    gpu: str,
    gpus: int,
    profile: str | UserProfile = "chat",
    precision: str | None = None,
    kv_precision: str | None = None,
    engine: str = "vllm",
    attention_dp: bool | None = None,
    output_tokens_per_s: float | None = None,
    price_per_gpu_hour: float | None = None,
    currency: str | None = None,
    gpu_offer: str | None = None,
) -> CapacityResult:
    """Users of one kind one replica serves at the kind's speed per stream, and (with a GPU price, or a
    gpu-rent catalog offer) the GPU rent of a 24/7 replica per user a month."""
    p = profile if isinstance(profile, UserProfile) else user_profile(profile)
    dep = deployment(model, gpu, gpus, precision, kv_precision, engine, attention_dp)
    context = p.input_tokens + p.output_tokens
    if context <= dep.model.max_context_tokens and max_sequences(dep, context) < 1:
        require_fit(dep, context)
    if output_tokens_per_s is not None and not (
        limits.TOKENS_PER_S.holds(output_tokens_per_s) and output_tokens_per_s > 0
    ):
        raise InputError(
            "output_tokens_per_s", output_tokens_per_s, f"a number above 0, {limits.TOKENS_PER_S.allowed()}"
        )
    rent, cur = _rent(dep.gpu.id, gpus, price_per_gpu_hour, currency, gpu_offer)
    served = people_served_by(dep, profile_inputs(p), output_tokens_per_s, rent)
    return CapacityResult(**deployment_fields(dep), served=served, gpu_rent_per_month=rent, currency=cur)


def _rent(gpu: str, gpus: int, price: float | None, currency: str | None, offer_id: str | None):
    """(GPU rent of one 24/7 replica a month, its currency), or (None, None) without a price."""
    if price is not None and offer_id is not None:
        raise InputError("gpu_offer", offer_id, "either a gpu-rent offer or price_per_gpu_hour, not both")
    if price is not None:
        if not (limits.MONEY.holds(price) and price > 0):
            raise InputError("price_per_gpu_hour", price, f"a price above 0, {limits.MONEY.allowed()}")
        return price * gpus * billed_hours(None), currency or "USD"
    if offer_id is None:
        return None, None
    offer = lookup("gpu-rent", offer_id)
    if lookup("gpus", offer.gpu).id != lookup("gpus", gpu).id:
        raise InputError("gpu_offer", offer_id, f"an offer for {gpu}; this one rents {offer.gpu}")
    if currency is not None and currency != offer.currency:
        raise InputError("currency", currency, f"{offer.currency}, the offer's currency (or leave it out)")
    units = -(-gpus // offer.gpus)
    hours = 1.0 if offer.unit == "month" else billed_hours(None)
    return point(offer.price) * units * hours, offer.currency
