"""The scenario's workload -> the core's Demand, and the volume axis break-evens run along."""

from __future__ import annotations

from breakeven.amounts import mid
from breakeven.core.demand import BUSINESS_HOURS, FLAT, Demand, RequestShape, rate_demand, users_demand
from breakeven.scenario.assumptions import Ledger
from breakeven.scenario.schema import Users, Workload

AXES = {"users": "monthly_active_users", "traffic": "requests_per_month", "tokens": "tokens_per_month"}


def request_shape(w: Workload, ledger: Ledger | None = None) -> RequestShape:
    r = w.request
    inp = mid(r.input_tokens)
    if ledger:
        ledger.given("input tokens per request", r.input_tokens, "tokens")
        ledger.given("output tokens per request", r.output_tokens, "tokens")
        ledger.field("repeated-prefix share of input", r, "cached_input_share", "share")
        ledger.field("cache-write share of input", r, "cache_write_share", "share")
    return RequestShape(
        input_tokens=inp,
        cached_input_tokens=inp * mid(r.cached_input_share),
        output_tokens=mid(r.output_tokens),
        cache_write_tokens=inp * mid(r.cache_write_share),
    )


def profile_of(spec) -> tuple[float, ...]:
    if spec == "flat":
        return FLAT
    if spec == "business_hours":
        return BUSINESS_HOURS
    return tuple(spec)


def volume_of(w: Workload) -> float:
    """The workload's position on its axis: users, requests or tokens per month."""
    if w.users:
        return mid(w.users.monthly_active)
    if w.traffic:
        return mid(w.traffic.requests_per_month)
    t = w.tokens_per_month
    return mid(t.input) + mid(t.output)


def demand_at(w: Workload, volume: float, ledger: Ledger | None = None) -> Demand:
    """Demand of the workload's shape at ``volume`` on its axis."""
    shape = request_shape(w, ledger)
    if w.users:
        u = w.users
        if ledger:
            ledger.given("monthly active users", u.monthly_active, "users")
            _requests_per_user_assumptions(ledger, u)
            ledger.given("share of users online at peak", u.peak_online_share, "share")
            ledger.given("duty cycle (time with a request in flight)", u.duty_cycle, "share")
        return users_demand(volume, requests_per_user(u), mid(u.peak_online_share), mid(u.duty_cycle), shape)
    if w.traffic:
        if ledger:
            ledger.given("requests per month", w.traffic.requests_per_month, "requests")
            _profile_assumption(ledger, w.traffic.hourly_profile)
        return rate_demand(volume, profile_of(w.traffic.hourly_profile), shape)
    t = w.tokens_per_month
    if ledger:
        ledger.given("input tokens per month", t.input, "tokens")
        ledger.given("output tokens per month", t.output, "tokens")
        _profile_assumption(ledger, t.hourly_profile)
    per_request = shape.input_tokens + shape.output_tokens
    return rate_demand(volume / per_request, profile_of(t.hourly_profile), shape)


def requests_per_user(u: Users) -> float:
    """Requests per user per month: as given, or per day of use x days of use a month ([B])."""
    if u.requests_per_user is not None:
        return mid(u.requests_per_user)
    return mid(u.requests_per_user_per_day) * mid(u.active_days_per_month)


def _requests_per_user_assumptions(ledger: Ledger, u: Users) -> None:
    if u.requests_per_user is not None:
        ledger.given("requests per user", u.requests_per_user, "requests/month")
        return
    ledger.given("requests per user per day of use", u.requests_per_user_per_day, "requests/day")
    ledger.field("days of use per month", u, "active_days_per_month", "days/month")


def _profile_assumption(ledger: Ledger, spec) -> None:
    if spec == "business_hours":
        ledger.add(
            "hourly profile", "business hours: 1 from 08-18, 0.1 otherwise", "weights", "breakeven default", "est"
        )
    else:
        ledger.given("hourly profile", spec if isinstance(spec, str) else "custom 24 weights", "")


def tokens_mode_shape_check(w: Workload) -> list[str]:
    """Notes where token totals and the request shape disagree (cached share)."""
    t = w.tokens_per_month
    if not t or mid(t.input) <= 0:
        return []
    implied = mid(t.cached_input) / mid(t.input)
    stated = mid(w.request.cached_input_share)
    if abs(implied - stated) > 0.01 and mid(t.cached_input) > 0:
        return [
            f"tokens_per_month gives a cached share of {implied:.0%}, request.cached_input_share {stated:.0%}; "
            "the request's share is used"
        ]
    return []
