"""People served by a self-host candidate: users of each kind (the user-profiles catalog) one replica
carries at that kind's speed per stream, from the performance model, or from the candidate's stated
throughput where it gives one (as publication [A] counts), and what each user costs a month."""

from __future__ import annotations

import math

from breakeven.core.capacity import replica_capacity
from breakeven.core.deployment import Deployment
from breakeven.core.people import streams_at_speed, users, whole
from breakeven.core.sizing import max_sequences
from breakeven.outputs.format import human_number
from breakeven.results import PeopleServed
from breakeven.scenario.resolved import ProfileInputs, SelfHostInputs
from breakeven.scenario.selfhost_side import at, deployment_at


def _per_user(cost: float | None, count: float) -> float | None:
    return cost / count if cost is not None and count > 0 and math.isfinite(count) else None


def people_served(host: SelfHostInputs, profile: ProfileInputs, replica_monthly: float) -> PeopleServed:
    """Users of ``profile``'s kind one replica of ``host`` serves; ``replica_monthly``: what one replica
    costs a month with the candidate's fixed costs and standby."""
    measured = at(host.measured_output_tokens_per_s, 0)
    return people_served_by(deployment_at(host, 0), profile, measured, replica_monthly)


def people_served_by(
    dep: Deployment, profile: ProfileInputs, measured: float | None, replica_monthly: float | None
) -> PeopleServed:
    """Users of ``profile``'s kind one replica of ``dep`` serves: at the performance model's capacity, or
    at a ``measured`` output tokens/s; each costs ``replica_monthly`` over them (None: not priced)."""
    s, level = profile.shape, profile.level
    context = s.input_tokens + s.output_tokens
    notes = []
    if context > dep.model.max_context_tokens:
        fits = 0
        notes.append(f"its {context:,.0f}-token requests exceed {dep.model.id}'s context")
    else:
        fits = int(max_sequences(dep, context))
    model_streams, model_speed = 0, 0.0
    if fits:
        cap = replica_capacity(dep, s.input_tokens, s.output_tokens, s.cached_input_tokens, level)
        model_speed = float(cap.tokens_per_s_per_stream)
        model_streams = whole(cap.concurrency_per_replica) if cap.service_level_met else 0
    speed = level.min_tokens_per_s or 0.0
    streams = streams_at_speed(measured, speed, fits) if measured is not None else model_streams
    if measured is not None and model_streams < streams:
        notes.append(
            f"the performance model sustains {model_streams:,} streams at {human_number(speed)} tok/s "
            f"(one stream runs at {human_number(model_speed)} tok/s); the count uses the stated "
            f"{human_number(measured)} output tokens/s"
        )
    elif fits and model_streams == 0:
        notes.append(
            f"not one stream reaches {human_number(speed)} tok/s: the performance model gives "
            f"{human_number(model_speed)} tok/s for one"
        )
    duty, agents = profile.duty_cycle, profile.agents_per_user
    count = users(streams, duty[1], agents[1])
    span = [users(streams, duty[2], agents[2]), users(streams, duty[0], agents[0])]
    return PeopleServed(
        profile=profile.id,
        name=profile.name,
        min_tokens_per_s_per_stream=speed,
        streams=streams,
        users=count,
        users_range=span,
        cost_per_user_per_month=_per_user(replica_monthly, count),
        cost_per_user_range=[_per_user(replica_monthly, span[1]), _per_user(replica_monthly, span[0])],
        basis="measured" if measured is not None else "model",
        model_streams=model_streams,
        model_tokens_per_s_per_stream=model_speed,
        notes=notes,
    )
