"""A measured workload in the scenario schema: a ``workload:`` block (traffic or tokens mode, the
measured hourly profile, 168 hours of the week or 24 of the day, and the mean request shape) and a
full scenario with the APIs the logs used as candidates, which ``breakeven evaluate`` reads unchanged."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import yaml

from breakeven.errors import InputError
from breakeven.ingest.usage.pricing import CURRENCY
from breakeven.ingest.usage.report import UsageReport
from breakeven.scenario.schema import ApiCandidate, Request, Scenario, TokensPerMonth, Traffic, Workload

MAX_CANDIDATES = 5
"""API candidates a scenario gets: the models with the most tokens that could be priced."""
PROFILE_DIGITS = 4


WEEKS_FOR_WEEKLY_PROFILE = 4
"""Weeks of logs before the scenario takes the 168 hours of the week instead of the 24 of the day: each
hour of the week then averages at least four occurrences (one week's would carry one day's accidents)."""


def _profile(report: UsageReport) -> list[float] | str:
    """The measured profile: 168 hours of the week (Monday 00:00 first) where the logs cover four weeks
    or more, so quiet weekends and busy weekday peaks size the replicas and the hybrid plans; else the
    24 hours of the day; flat without hourly data."""
    weekly = report.hour_of_week_profile
    if weekly is not None and report.period.days >= 7 * WEEKS_FOR_WEEKLY_PROFILE:
        return [round(w, PROFILE_DIGITS) for w in weekly]
    if report.hourly_profile is None:
        return "flat"
    return [round(w, PROFILE_DIGITS) for w in report.hourly_profile]


def request_shape(report: UsageReport) -> Request:
    """The mean request: input and output tokens per request, shares of input cached and written."""
    t, n = report.tokens, report.requests
    if n <= 0:
        raise InputError("source", "logs", "records with requests (cost lines alone have no request shape)")
    mean_in, mean_out = t.input / n, t.output / n
    if mean_in < 1 or mean_out < 1:
        raise InputError(
            "request", f"{mean_in:.3g} in / {mean_out:.3g} out", "at least 1 input and 1 output token per request"
        )
    share = (lambda x: round(x / t.input, PROFILE_DIGITS)) if t.input else (lambda x: 0.0)
    return Request(
        input_tokens=round(mean_in, 1),
        output_tokens=round(mean_out, 1),
        cached_input_share=share(t.cached_input),
        cache_write_share=share(t.cache_write),
    )


def workload(report: UsageReport, mode: Literal["traffic", "tokens"] = "traffic") -> Workload:
    """The measured workload: requests per month (traffic) or tokens per month (tokens)."""
    if mode == "traffic":
        return Workload(
            traffic=Traffic(requests_per_month=round(report.requests_per_month, 1), hourly_profile=_profile(report)),
            request=request_shape(report),
        )
    if mode != "tokens":
        raise InputError("mode", mode, "traffic or tokens")
    tpm = report.tokens_per_month
    return Workload(
        tokens_per_month=TokensPerMonth(
            input=round(tpm.input),
            output=round(tpm.output),
            cached_input=round(tpm.cached_input),
            hourly_profile=_profile(report),
        ),
        request=request_shape(report),
    )


def api_candidates(report: UsageReport) -> list[ApiCandidate]:
    """The APIs the logs used, priced by the price library or the api-offers catalog, most tokens first."""
    out = []
    for m in report.by_model:
        if m.priced_as and m.requests > 0 and len(out) < MAX_CANDIDATES:
            provider, model = m.priced_as.split("/", 1)
            out.append(
                ApiCandidate(name=f"{m.model} ({provider}, as used)", kind="api", provider=provider, model=model)
            )
    return out


def _source_names(report: UsageReport) -> str:
    return ", ".join(s.name for s in report.sources)


def scenario(
    report: UsageReport, mode: Literal["traffic", "tokens"] = "traffic", price_date: dt.date | None = None
) -> Scenario:
    """A scenario of the measured workload with the APIs actually used as candidates, in USD, with API
    prices as of the period's last day unless ``price_date`` is given."""
    candidates = api_candidates(report)
    if not candidates:
        raise InputError(
            "scenario",
            _source_names(report),
            "logs of at least one model the price library or api-offers catalog prices",
        )
    end = dt.datetime.fromisoformat(report.period.end).date()
    return Scenario(
        name=f"measured usage of {_source_names(report)}"[:200],
        description=_description(report),
        currency=CURRENCY,
        price_date=price_date or end,
        workload=workload(report, mode),
        candidates=candidates,
    )


def _description(report: UsageReport) -> str:
    p = report.period
    return (
        f"Measured by breakeven ingest from {report.rows_used:,} of {report.rows_read:,} records, "
        f"{p.start[:10]} to {p.end[:10]} ({p.days:.1f} days), hourly profile in {report.time_zone}. "
        "Add self-hosted candidates to find the break-even."
    )


class _Dumper(yaml.SafeDumper):
    """Lists of numbers (the profile weights) on one line; whole floats as integers."""


def _numbers(dumper, values):
    flow = all(isinstance(v, (int, float)) for v in values)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", values, flow_style=flow)


def _float(dumper, value):
    if value.is_integer() and abs(value) < 1e15:
        return dumper.represent_int(int(value))
    return dumper.represent_float(value)


_Dumper.add_representer(list, _numbers)
_Dumper.add_representer(float, _float)


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, width=200, allow_unicode=True)


def workload_yaml(report: UsageReport, mode: Literal["traffic", "tokens"] = "traffic") -> str:
    """``workload:`` as YAML, with a comment saying where it was measured."""
    block = {"workload": workload(report, mode).model_dump(mode="json", exclude_defaults=True)}
    return f"# {_description(report)}\n" + _dump(block)


def scenario_yaml(s: Scenario) -> str:
    return _dump(s.model_dump(mode="json", exclude_defaults=True))
