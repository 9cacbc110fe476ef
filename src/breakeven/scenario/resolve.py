"""The one resolve step: a validated Scenario -> numbers-only inputs (``Resolved``) plus the ledger of
every assumption used.

This is the only place where ranges and distributions, catalog offers, currencies and defaults
become numbers: at their medians (``PointDraws``), as N seeded samples (``SampleDraws``) or as chosen
values (``DesignDraws``, the tornado). Everything after it computes.
"""

from __future__ import annotations

import datetime as dt

from breakeven import prices as price_lib
from breakeven.amounts import point
from breakeven.catalog.offers import GpuRentOffer
from breakeven.core.demand import BUSINESS_HOURS, FLAT, RequestShape
from breakeven.core.serving import ServiceLevel
from breakeven.errors import InputError
from breakeven.fx import Rate, catalog_rate
from breakeven.scenario.assumptions import SCENARIO, Ledger, Sources
from breakeven.scenario.draws import Draws
from breakeven.scenario.load import ScenarioError
from breakeven.scenario.resolve_api import resolve_api
from breakeven.scenario.resolve_figures import resolve_availability, resolve_profiles, resolve_task
from breakeven.scenario.resolve_host import resolve_host
from breakeven.scenario.resolve_hybrid import derived_plans, resolve_hybrid
from breakeven.scenario.resolved import DemandInputs, HorizonInputs, Num, Resolved
from breakeven.scenario.resolver import Resolver
from breakeven.scenario.schema import Horizon, Scenario, Workload

AXES = {"users": "monthly_active_users", "traffic": "requests_per_month", "tokens": "tokens_per_month"}
PROFILE_KIND = {24: "hours of the day", 168: "hours of the week, Monday 00:00 first"}
SHARE = (0.0, 1.0)
REQUEST = "workload.request"


def scenario_rates(s: Scenario) -> dict[str, Rate]:
    """The FX rates the scenario states, dated."""
    rates = {}
    for cur, given in s.fx.items():
        if isinstance(given, float):
            rates[cur] = Rate(cur, given, s.price_date, f"{SCENARIO} (dated {s.price_date})", "firm")
        else:
            rates[cur] = Rate(cur, given.rate, given.date, given.source or SCENARIO, "firm")
    return rates


def _shape(r: Resolver, w: Workload) -> RequestShape:
    q = w.request
    whole = (1.0, None)
    inp = r.given(
        q.input_tokens, f"{REQUEST}.input_tokens", "input tokens per request", "tokens", performance=True, bounds=whole
    )
    out = r.given(
        q.output_tokens,
        f"{REQUEST}.output_tokens",
        "output tokens per request",
        "tokens",
        performance=True,
        bounds=whole,
    )
    cached = r.field(
        q, "cached_input_share", REQUEST, "repeated-prefix share of input", "share", performance=True, bounds=SHARE
    )
    writes = r.field(q, "cache_write_share", REQUEST, "cache-write share of input", "share", bounds=SHARE)
    return RequestShape(
        input_tokens=inp, cached_input_tokens=inp * cached, output_tokens=out, cache_write_tokens=inp * writes
    )


def _profile(r: Resolver, spec, path: str) -> tuple[float, ...]:
    if spec == "business_hours":
        text = "business hours: 1 from 08-18, 0.1 otherwise"
        r.ledger.add("hourly profile", text, "weights", "breakeven default", "est", path)
        return BUSINESS_HOURS
    shown = spec if isinstance(spec, str) else f"{len(spec)} weights ({PROFILE_KIND[len(spec)]})"
    r.ledger.given("hourly profile", shown, "", path)
    return FLAT if spec == "flat" else tuple(spec)


def _users_profile(r: Resolver, u, plans: bool) -> tuple[float, ...]:
    """Users mode's hourly profile: it shapes only hybrid plans, so it is listed only where there are some."""
    if plans:
        return _profile(r, u.hourly_profile, "workload.users.hourly_profile")
    spec = u.hourly_profile
    return BUSINESS_HOURS if spec == "business_hours" else FLAT if spec == "flat" else tuple(spec)


def _demand(r: Resolver, w: Workload, plans: bool = False) -> DemandInputs:
    shape = _shape(r, w)
    mode = w.mode
    if w.users:
        u, at = w.users, "workload.users"
        volume = r.given(u.monthly_active, f"{at}.monthly_active", "monthly active users", "users")
        return DemandInputs(
            mode,
            AXES[mode],
            volume,
            shape,
            profile=_users_profile(r, u, plans),
            requests_per_user=_requests_per_user(r, w),
            requests_field="requests_per_user" if u.requests_per_user is not None else "requests_per_user_per_day",
            peak_online_share=r.given(
                u.peak_online_share, f"{at}.peak_online_share", "share of users online at peak", "share", bounds=SHARE
            ),
            duty_cycle=r.given(
                u.duty_cycle, f"{at}.duty_cycle", "duty cycle (time with a request in flight)", "share", bounds=SHARE
            ),
        )
    if w.traffic:
        at = "workload.traffic"
        volume = r.given(w.traffic.requests_per_month, f"{at}.requests_per_month", "requests per month", "requests")
        return DemandInputs(
            mode, AXES[mode], volume, shape, profile=_profile(r, w.traffic.hourly_profile, f"{at}.hourly_profile")
        )
    t, at = w.tokens_per_month, "workload.tokens_per_month"
    inp = r.given(t.input, f"{at}.input", "input tokens per month", "tokens")
    out = r.given(t.output, f"{at}.output", "output tokens per month", "tokens")
    profile = _profile(r, t.hourly_profile, f"{at}.hourly_profile")
    return DemandInputs(mode, AXES[mode], inp + out, shape, profile=profile)


def _requests_per_user(r: Resolver, w: Workload) -> Num:
    """Requests per user per month: as given, or per day of use x days of use a month ([B])."""
    u, at = w.users, "workload.users"
    if u.requests_per_user is not None:
        return r.given(u.requests_per_user, f"{at}.requests_per_user", "requests per user", "requests/month")
    per_day = r.given(
        u.requests_per_user_per_day,
        f"{at}.requests_per_user_per_day",
        "requests per user per day of use",
        "requests/day",
    )
    days = r.field(u, "active_days_per_month", at, "days of use per month", "days/month", bounds=(0.0, 31.0))
    return per_day * days


def _service_level(r: Resolver, w: Workload) -> ServiceLevel:
    sl, at = w.service_level, "workload.service_level"
    return ServiceLevel(
        r.given(
            sl.min_tokens_per_s_per_stream,
            f"{at}.min_tokens_per_s_per_stream",
            "service level: min tokens/s per stream",
            "tokens/s",
            performance=True,
        ),
        r.given(sl.max_ttft_s, f"{at}.max_ttft_s", "service level: max time to first token", "s", performance=True),
    )


def _api_trends(r: Resolver, shape: RequestShape) -> dict[str, Num]:
    """Each API candidate's yearly price change where the horizon leaves it unset: the price library's
    trend for the candidate's model family where it has one (est, with its source), else no change."""
    s = r.scenario
    share = shape.input_tokens / (shape.input_tokens + shape.output_tokens)
    out = {}
    for c in s.candidates:
        if c.kind != "api":
            continue
        entry = None if c.prices is not None else price_lib.catalog_entry(c.provider, c.model, c.offer)
        model = c.model or (entry.model if entry is not None else None)
        trend = price_lib.price_trend(price_lib.model_family(model), s.price_date, round(share, 3)) if model else None
        value, source = trend or (0.0, NO_TREND)
        r.ledger.add(
            f"{c.name}: price change per year", value, "share/year", source, "est", "horizon.api_price_change_per_year"
        )
        out[c.name] = value
    return out


NO_TREND = (
    "breakeven default (est): held at today's price; the price library has no price history of at least "
    f"{price_lib.MIN_TREND_DAYS} days for this model family"
)


def _horizon(r: Resolver, h: Horizon, shape: RequestShape) -> HorizonInputs:
    """The horizon's figures; an unset API price change takes each candidate's library trend."""
    at, change = "horizon", (-0.99, 10.0)
    r.field(h, "months", at, "horizon", "months", bounds=(1.0, None))
    if h.api_price_change_per_year is None:
        api = _api_trends(r, shape)
    else:
        given = r.given(
            h.api_price_change_per_year,
            f"{at}.api_price_change_per_year",
            "API price change per year",
            "share/year",
            bounds=change,
        )
        api = {c.name: given for c in r.scenario.candidates if c.kind == "api"}
    return HorizonInputs(
        months=h.months,
        api_price_change_per_year=api,
        gpu_rent_change_per_year=r.field(
            h, "gpu_rent_change_per_year", at, "GPU price change per year", "share/year", bounds=change
        ),
        demand_growth_per_month=r.field(
            h, "demand_growth_per_month", at, "demand growth per month", "share/month", bounds=change
        ),
        discount_rate=r.field(h, "discount_rate", at, "discount rate", "per year", bounds=SHARE),
    )


def rent_per_gpu_hour(offer: GpuRentOffer, currency: str, on: dt.date) -> float | None:
    """An hourly rent offer's point price per GPU-hour in ``currency`` at the fx catalog's rate nearest
    ``on`` (None where the catalog has no rate)."""
    rate = 1.0 if offer.currency == currency else catalog_rate(offer.currency, currency, on)
    if rate is None:
        return None
    return point(offer.price) / offer.gpus * (rate if isinstance(rate, float) else rate.rate)


def _point_shape(w: Workload) -> RequestShape:
    """The request shape at the point estimate (tiered library prices are looked up at it)."""
    q = w.request
    inp = point(q.input_tokens)
    return RequestShape(
        inp, inp * point(q.cached_input_share), point(q.output_tokens), inp * point(q.cache_write_share)
    )


def tokens_mode_shape_check(w: Workload, shape: RequestShape) -> list[str]:
    """Notes where token totals and the request shape disagree (cached share); at the point estimate."""
    t = w.tokens_per_month
    if not t or point(t.input) <= 0 or point(t.cached_input) <= 0:
        return []
    implied = point(t.cached_input) / point(t.input)
    stated = float(shape.cached_input_tokens / shape.input_tokens)
    if abs(implied - stated) > 0.01:
        return [
            f"tokens_per_month gives a cached share of {implied:.0%}, request.cached_input_share {stated:.0%}; "
            "the request's share is used"
        ]
    return []


CANDIDATE_FIELDS = {
    "gpus": "gpus_per_replica",
    "candidate": "",
    "api-offers": "offer",
    "gpu-rent": "pricing.offer",
    "gpu-own": "pricing.offer",
}
"""Scenario field of a candidate behind what a library error names (``gpus`` is the candidate's
``gpus_per_replica``, an unknown ``gpu-rent`` id its ``pricing.offer``); the rest are named alike."""
REQUEST_FIELDS = ("context", "input_tokens", "output_tokens", "cached_input_tokens", "input_tokens + output_tokens")


def in_candidate(index: int, name: str, fn, *args):
    """Run ``fn`` for one candidate; an error about one of its fields becomes a ScenarioError at the
    field's path in the scenario (``candidates[1].gpus_per_replica``), as the user wrote it."""
    try:
        return fn(*args)
    except ScenarioError:
        raise
    except InputError as exc:
        own = exc.field.split(".", 1)[-1] if exc.field.split(".", 1)[0] == name else exc.field
        key = CANDIDATE_FIELDS.get(own, own)
        text = str(exc)
        message = text.split(": ", 1)[1] if text.startswith(f"{exc.field}: ") else text
        if exc.field in REQUEST_FIELDS:
            path = f"workload.request (for candidates[{index}])"
        else:
            path = "fx" if key == "fx" else f"candidates[{index}]" + (f".{key}" if key else "")
        raise ScenarioError("scenario", [(path, message)]) from None


def resolve(
    s: Scenario,
    draws: Draws,
    calibrations: dict | None = None,
    sources: Sources | None = None,
    horizon: bool = False,
) -> tuple[Resolved, Ledger]:
    """The scenario's inputs as numbers drawn by ``draws``, and the assumptions used. ``calibrations``
    maps self-host candidates to their loaded calibration files; ``sources`` names where a caller got
    fields it filled in (by field path); ``horizon``: resolve the scenario's horizon too (its
    figures and the price library's trends join the assumptions)."""
    calibrations = calibrations or {}
    ledger = Ledger(sources)
    r = Resolver(s, draws, ledger, scenario_rates(s))
    kinds = {c.kind for c in s.candidates}
    plans = "hybrid" in kinds or (r.point_only and {"api", "selfhost"} <= kinds)
    demand = _demand(r, s.workload, plans)
    point_shape = _point_shape(s.workload)
    level, apis, hosts, hybrids = None, {}, {}, {}
    for i, c in enumerate(s.candidates):
        if c.kind == "api":
            apis[c.name] = in_candidate(i, c.name, resolve_api, r, c, i, point_shape)
        elif c.kind == "selfhost":
            level = level or _service_level(r, s.workload)
            hosts[c.name] = in_candidate(i, c.name, resolve_host, r, c, i, demand.shape, calibrations.get(c.name))
        else:
            hybrids[c.name] = resolve_hybrid(r, c, i, len(demand.profile))
    over_time = _horizon(r, s.horizon, point_shape) if horizon and s.horizon is not None else None
    point_only = r.point_only
    resolved = Resolved(
        name=s.name,
        currency=s.currency,
        demand=demand,
        service_level=level or ServiceLevel(),
        apis=apis,
        hosts=hosts,
        order=tuple(c.name for c in s.candidates),
        horizon=over_time,
        notes=tuple(tokens_mode_shape_check(s.workload, point_shape)),
        size=draws.size,
        performance_index=draws.performance_index,
        hybrids=hybrids,
        derived=derived_plans(r, s, len(demand.profile)) if point_only else {},
        availability=resolve_availability(r, s) if point_only and hosts else None,
        task=resolve_task(r, s) if point_only else None,
        profiles=resolve_profiles(r) if point_only and hosts else (),
    )
    return resolved, ledger
