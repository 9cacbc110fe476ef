"""The knobs of the page: which scenario field each one edits, its unit, the slider's range, and the
bounds a typed entry must stay within, each bound with its reason. The page draws its form from this
list (GET /api/knobs); it holds no numbers of its own.

Paths are dotted scenario paths relative to the knob's scope: ``scenario`` (the file's top level),
``api`` or ``host`` (the API or self-host candidate the knobs edit). ``when`` / ``unless`` name paths
(``path`` or ``path=value``) that must, or must not, be in the scenario for the knob to be shown; a
path starting with ``/`` is the scenario's, whatever the knob's scope.
Bounds refuse typos and impossible values, never a plausible plan; a scenario file read from disk is
evaluated as written, within the scenario schema's own bounds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from breakeven.core.demand import HOURS_PER_MONTH
from breakeven.limits import DRAFT_TOKENS
from breakeven.outputs.format import number, percent

Scope = Literal["scenario", "api", "host"]


@dataclass(frozen=True)
class Knob:
    id: str
    """Its element id and its key in the page's URL."""
    group: str
    label: str
    scope: Scope
    path: str
    unit: str = ""
    """Unit shown after the value; ``{cur}`` stands for the report currency."""
    kind: Literal["number", "share", "select"] = "number"
    low: float = 0.0
    high: float | None = None
    why: str = ""
    """Why ``high`` is where it is."""
    slider: tuple[float, float] | None = None
    """The slider's span (the typed entry takes anything within low..high)."""
    log: bool = False
    integer: bool = False
    optional: str | None = None
    """What an empty entry means (the field is left out), or None if a value is needed."""
    absent: float | str | None = None
    """Value shown when the scenario leaves the field out (its default, or what leaving it out means)."""
    together: tuple[str, ...] = ()
    """Knobs whose fields must be written with this one (a staff block needs hours and a rate)."""
    options: tuple[tuple[str, str], ...] = ()
    """(value, text) of a select; empty for selects the page fills from the catalogs."""
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    hint: str = ""


# ----------------------------------------------------------------------------- reasons of the bounds

USERS_WHY = (
    "a billion monthly users, the scale of the largest AI assistant "
    "(ChatGPT: 800 million weekly users, OpenAI, October 2025)"
)
TOKENS_WHY = (
    "over 7 times the 1.3 quadrillion tokens a month all of Google's AI products processed (Google, October 2025)"
)
CONTEXT_WHY = "the longest published context window, Llama 4 Scout's 10 million tokens (Meta, April 2025)"
PRICE_PER_M_WHY = (
    "over 16 times the dearest published per-token price, USD 600 per M output tokens (OpenAI o1-pro, 2025)"
)
GPU_HOUR_WHY = "over 100 times an H100's rent at a hyperscaler, USD 2-8 per GPU-hour ([C], 2026)"
REPLICA_HOUR_WHY = "a thousand GPUs at 100 per GPU-hour, over 10 times the dearest published GPU rent"
PURCHASE_WHY = "over 25 times an H100's price, USD 25,000-35,000 ([C], [D], 2026)"
STAFF_RATE_WHY = "over 13 times the top of [A]'s EUR 75-150 per hour for DevOps/MLOps work"
MONTHLY_WHY = "over 20,000 times [A]'s EUR 200-500 a month for storage, network and model upkeep"
ONE_OFF_WHY = "over 400 times the top of [A]'s EUR 6,000-24,000 for a production layer"
SHARE_WHY = "a share of the whole"
PROFILES = (("flat", "flat: the same every hour"), ("business_hours", "business hours 08-18"))
SPEED_WHY = "far beyond any published single-stream decode speed"


def _success_rate_knob(key: str, group: str, whose: str, scope: Scope, hint: str = "") -> Knob:
    """A candidate's ``success_rate`` (shown only where the scenario defines a task)."""
    return Knob(
        key,
        group,
        f"Share of tasks {whose} model completes acceptably",
        scope,
        "success_rate",
        kind="share",
        high=1,
        why=SHARE_WHY,
        slider=(0, 1),
        optional="every task accepted",
        absent=1.0,
        when=("/workload.task",),
        hint=hint,
    )


KNOBS: list[Knob] = [
    # ------------------------------------------------------------------ the demand
    Knob(
        "mode",
        "demand",
        "Measure demand in",
        "scenario",
        "workload",
        kind="select",
        options=(
            ("users", "users (monthly active users)"),
            ("traffic", "requests per month"),
            ("tokens", "tokens per month"),
        ),
    ),
    Knob(
        "mau",
        "demand",
        "Monthly active users",
        "scenario",
        "workload.users.monthly_active",
        "users",
        high=1e9,
        why=USERS_WHY,
        slider=(10, 1e7),
        log=True,
        when=("workload.users",),
    ),
    Knob(
        "rpu",
        "demand",
        "Requests per user per month",
        "scenario",
        "workload.users.requests_per_user",
        "requests",
        high=1e5,
        why="over 130 requests an hour, every hour of the month, per user",
        slider=(1, 1e4),
        log=True,
        when=("workload.users",),
        unless=("workload.users.requests_per_user_per_day",),
    ),
    Knob(
        "rpd",
        "demand",
        "Requests (turns) per user per day of use",
        "scenario",
        "workload.users.requests_per_user_per_day",
        "requests",
        high=5000,
        why="a request every 17 seconds, day and night",
        slider=(0.1, 1000),
        log=True,
        when=("workload.users.requests_per_user_per_day",),
        together=("days",),
    ),
    Knob(
        "days",
        "demand",
        "Days of use per month",
        "scenario",
        "workload.users.active_days_per_month",
        "days",
        high=31,
        why="the longest month has 31 days",
        slider=(1, 31),
        absent=365 / 12,
        when=("workload.users.requests_per_user_per_day",),
    ),
    Knob(
        "peak",
        "demand",
        "Share of monthly users online at the peak hour",
        "scenario",
        "workload.users.peak_online_share",
        kind="share",
        high=1,
        why=SHARE_WHY,
        slider=(0, 1),
        when=("workload.users",),
        hint="[B]'s peak share: users on at the busiest hour, as a share of monthly users",
    ),
    Knob(
        "duty",
        "demand",
        "Duty cycle: share of an online user's time with a request in flight",
        "scenario",
        "workload.users.duty_cycle",
        kind="share",
        high=1,
        why=SHARE_WHY,
        slider=(0, 1),
        when=("workload.users",),
    ),
    Knob(
        "rpm",
        "demand",
        "Requests per month",
        "scenario",
        "workload.traffic.requests_per_month",
        "requests/month",
        high=1e13,
        why="1e16 tokens a month at 1,000 tokens a request: " + TOKENS_WHY,
        slider=(1e3, 1e11),
        log=True,
        when=("workload.traffic",),
    ),
    Knob(
        "tin",
        "demand",
        "Input tokens per month",
        "scenario",
        "workload.tokens_per_month.input",
        "tokens/month",
        high=1e16,
        why=TOKENS_WHY,
        slider=(1e6, 1e13),
        log=True,
        when=("workload.tokens_per_month",),
    ),
    Knob(
        "tout",
        "demand",
        "Output tokens per month",
        "scenario",
        "workload.tokens_per_month.output",
        "tokens/month",
        high=1e16,
        why=TOKENS_WHY,
        slider=(1e5, 1e12),
        log=True,
        when=("workload.tokens_per_month",),
    ),
    Knob(
        "profile",
        "demand",
        "Hourly profile of the traffic",
        "scenario",
        "workload.traffic.hourly_profile",
        kind="select",
        options=PROFILES,
        absent="flat",
        when=("workload.traffic",),
    ),
    Knob(
        "tprofile",
        "demand",
        "Hourly profile of the traffic",
        "scenario",
        "workload.tokens_per_month.hourly_profile",
        kind="select",
        options=PROFILES,
        absent="flat",
        when=("workload.tokens_per_month",),
    ),
    # ------------------------------------------------------------------ the workload
    Knob(
        "input",
        "workload",
        "Input tokens per request (the context)",
        "scenario",
        "workload.request.input_tokens",
        "tokens",
        low=1,
        high=1e7,
        why=CONTEXT_WHY,
        slider=(50, 1e6),
        log=True,
    ),
    Knob(
        "prefix",
        "workload",
        "Repeated-prefix share of the input",
        "scenario",
        "workload.request.cached_input_share",
        kind="share",
        high=1,
        why=SHARE_WHY,
        slider=(0, 1),
        absent=0.0,
    ),
    Knob(
        "output",
        "workload",
        "Output tokens per request",
        "scenario",
        "workload.request.output_tokens",
        "tokens",
        low=1,
        high=1e7,
        why=CONTEXT_WHY,
        slider=(10, 1e5),
        log=True,
    ),
    Knob(
        "sl",
        "workload",
        "Service level: at least this many tokens/s per stream",
        "scenario",
        "workload.service_level.min_tokens_per_s_per_stream",
        "tokens/s",
        high=10_000,
        why=SPEED_WHY,
        slider=(0, 200),
        optional="no minimum speed",
    ),
    Knob(
        "ttft",
        "workload",
        "Service level: first token within",
        "scenario",
        "workload.service_level.max_ttft_s",
        "s",
        high=3600,
        why="an hour",
        slider=(0, 60),
        optional="no limit",
    ),
    Knob(
        "task_requests",
        "workload",
        "Requests per task (one attempt at a task)",
        "scenario",
        "workload.task.requests_per_task",
        "requests",
        low=1,
        high=1e8,
        why="about 40 requests a second, all month, for one task",
        slider=(1, 1000),
        log=True,
        when=("workload.task",),
        hint="[A]: one feature ticket is about an hour of a coding agent",
    ),
    # ------------------------------------------------------------------ the API
    Knob("api_offer", "api", "API offer", "api", "offer", kind="select"),
    Knob(
        "api_in",
        "api",
        "API price: input",
        "api",
        "prices.input_per_m",
        "{cur}/M tokens",
        high=10_000,
        why=PRICE_PER_M_WHY,
        slider=(0, 20),
        when=("prices",),
    ),
    Knob(
        "api_cached",
        "api",
        "API price: cached input",
        "api",
        "prices.cached_input_per_m",
        "{cur}/M tokens",
        high=10_000,
        why=PRICE_PER_M_WHY,
        slider=(0, 20),
        optional="no prompt caching: repeats bill as input",
        when=("prices",),
    ),
    Knob(
        "api_out",
        "api",
        "API price: output",
        "api",
        "prices.output_per_m",
        "{cur}/M tokens",
        high=10_000,
        why=PRICE_PER_M_WHY,
        slider=(0, 60),
        when=("prices",),
    ),
    _success_rate_knob(
        "api_success",
        "api",
        "the API's",
        "api",
        "from your own evals; a failed task is retried or escalated, as the task says",
    ),
    # ------------------------------------------------------------------ the self-host side
    Knob("gpu_offer", "host", "GPUs: rent or buy", "host", "pricing", kind="select"),
    Knob("gpu", "host", "GPU", "host", "gpu", kind="select", unless=("pricing.offer",)),
    Knob(
        "node_h",
        "host",
        "Price of one replica (a whole node) per hour",
        "host",
        "pricing.price_per_replica_hour",
        "{cur}/h",
        high=100_000,
        why=REPLICA_HOUR_WHY,
        slider=(0, 200),
        when=("pricing.price_per_replica_hour",),
    ),
    Knob(
        "gpu_h",
        "host",
        "Price per GPU-hour",
        "host",
        "pricing.price_per_gpu_hour",
        "{cur}/GPU-hour",
        high=1000,
        why=GPU_HOUR_WHY,
        slider=(0, 20),
        when=("pricing.price_per_gpu_hour",),
    ),
    Knob(
        "buy",
        "host",
        "Purchase price per GPU",
        "host",
        "pricing.purchase_price_per_gpu",
        "{cur}/GPU",
        high=1e6,
        why=PURCHASE_WHY,
        slider=(0, 100_000),
        when=("pricing.purchase_price_per_gpu",),
    ),
    Knob(
        "schedule",
        "host",
        "Billed hours",
        "host",
        "schedule.kind",
        kind="select",
        options=(("always", "24/7 (730 h a month)"), ("hours", "set hours per month")),
        absent="always",
    ),
    Knob(
        "hours",
        "host",
        "Billed hours per month",
        "host",
        "schedule.hours_per_month",
        "h/month",
        low=1,
        high=744,
        why="the longest month has 744 hours",
        slider=(1, 744),
        when=("schedule.kind=hours",),
    ),
    Knob("model", "host", "Model", "host", "model", kind="select"),
    Knob(
        "precision",
        "host",
        "Weight precision",
        "host",
        "precision",
        kind="select",
        options=(
            ("bf16", "bf16"),
            ("fp8", "fp8"),
            ("int8", "int8"),
            ("int4", "int4"),
            ("nvfp4", "nvfp4"),
            ("mxfp4", "mxfp4"),
        ),
        optional="the model's own precision",
    ),
    Knob(
        "gpus",
        "host",
        "GPUs per replica",
        "host",
        "gpus_per_replica",
        "GPUs",
        low=1,
        high=1024,
        why="about three times the largest published serving unit (DeepSeek-V3's decode on 320 GPUs, 2024)",
        slider=(1, 16),
        integer=True,
    ),
    Knob("engine", "host", "Engine profile", "host", "engine", kind="select", absent="vllm"),
    Knob(
        "attn_dp",
        "host",
        "Data-parallel attention",
        "host",
        "attention_dp",
        kind="select",
        options=(("true", "on"), ("false", "off")),
        absent="false",
    ),
    # ------------------------------------------------------------------ costs around the GPUs
    Knob(
        "staff_h",
        "costs",
        "Staff hours per month",
        "host",
        "staff.hours_per_month",
        "h/month",
        high=10_000,
        why="over 50 people full time (170 h a month each)",
        slider=(0, 200),
        absent=0.0,
        together=("staff_rate",),
        unless=("staff.fte",),
    ),
    Knob(
        "staff_rate",
        "costs",
        "Staff rate",
        "host",
        "staff.rate_per_hour",
        "{cur}/h",
        high=2000,
        why=STAFF_RATE_WHY,
        slider=(0, 300),
        absent=0.0,
        together=("staff_h",),
        unless=("staff.fte",),
    ),
    Knob(
        "fte",
        "costs",
        "Staff (full-time equivalents)",
        "host",
        "staff.fte",
        "FTE",
        high=100,
        why="a hundred people for one deployment",
        slider=(0, 5),
        when=("staff.fte",),
    ),
    Knob(
        "salary",
        "costs",
        "Loaded salary per FTE",
        "host",
        "staff.loaded_salary_per_year",
        "{cur}/year",
        high=1e7,
        why="over 50 times [D]'s USD 180,000 loaded salary",
        slider=(0, 400_000),
        when=("staff.fte",),
    ),
    Knob(
        "prod",
        "costs",
        "Production layer, one-off",
        "host",
        "production_layer.one_off",
        "{cur}",
        high=1e7,
        why=ONE_OFF_WHY,
        slider=(0, 60_000),
        absent=0.0,
    ),
    Knob(
        "prod_months",
        "costs",
        "Production layer amortized over",
        "host",
        "production_layer.amortize_months",
        "months",
        low=1,
        high=120,
        why="ten years",
        slider=(1, 60),
        absent=12.0,
        when=("production_layer",),
    ),
    Knob(
        "prod_month",
        "costs",
        "Production layer, running",
        "host",
        "production_layer.per_month",
        "{cur}/month",
        high=1e7,
        why=MONTHLY_WHY,
        slider=(0, 5000),
        absent=0.0,
        when=("production_layer",),
    ),
    Knob(
        "storage",
        "costs",
        "Storage and network",
        "host",
        "storage_network_per_month",
        "{cur}/month",
        high=1e7,
        why=MONTHLY_WHY,
        slider=(0, 2000),
        absent=0.0,
    ),
    Knob(
        "redundancy",
        "costs",
        "Redundancy",
        "host",
        "redundancy.kind",
        kind="select",
        options=(("none", "none"), ("standby", "standby replicas"), ("api_failover", "fail over to an API")),
        absent="none",
    ),
    Knob(
        "standby",
        "costs",
        "Standby replicas",
        "host",
        "redundancy.replicas",
        "replicas",
        low=1,
        high=1000,
        why="a thousand idle replicas is no longer redundancy",
        slider=(1, 8),
        integer=True,
        absent=1.0,
        when=("redundancy.kind=standby",),
    ),
    Knob(
        "failover_api",
        "costs",
        "API taking the traffic while down",
        "host",
        "redundancy.api",
        kind="select",
        when=("redundancy.kind=api_failover",),
    ),
    Knob(
        "downtime",
        "costs",
        "Share of the month self-hosting is down",
        "host",
        "redundancy.downtime_share",
        kind="share",
        high=1,
        why=SHARE_WHY,
        slider=(0, 0.1),
        absent=0.01,
        when=("redundancy.kind=api_failover",),
    ),
    _success_rate_knob("host_success", "costs", "the self-hosted", "host"),
    Knob(
        "downtime_cost",
        "costs",
        "Cost of an hour of downtime",
        "scenario",
        "availability.downtime_cost_per_hour",
        "{cur}/hour",
        high=1e9,
        why="over 20,000 times the top of [E]'s USD 5,000-50,000 an hour for B2B SaaS downtime",
        slider=(0, 100_000),
        optional="not priced: downtime in hours only",
        unless=("availability.downtime_cost_figure", "availability.currency"),
        hint="prices the redundancy options' expected downtime ([E]: B2B SaaS USD 5,000-50,000 an hour)",
    ),
    # ------------------------------------------------------------------ the capacity model (advanced)
    Knob(
        "conc",
        "capacity",
        "Requests in flight per replica (override)",
        "host",
        "capacity.concurrency_per_replica",
        "requests",
        low=1,
        high=1e6,
        why="a thousand times the batch sizes engines run",
        slider=(1, 256),
        log=True,
        integer=True,
        optional="from the model: the largest batch that fits and meets the service level",
    ),
    Knob(
        "conc_ctx",
        "capacity",
        "... at this many input tokens per request",
        "host",
        "capacity.concurrency_at_input_tokens",
        "tokens",
        low=1,
        high=1e7,
        why=CONTEXT_WHY,
        slider=(1000, 1e6),
        log=True,
        optional="the override holds at any context",
        when=("capacity.concurrency_per_replica",),
        hint="[B]: in-flight requests scale inversely with the context: capacity = in-flight x 50,000 / context",
    ),
    Knob(
        "tps",
        "capacity",
        "Output tokens/s per replica (measured)",
        "host",
        "capacity.output_tokens_per_s_per_replica",
        "tokens/s",
        low=1,
        high=1e9,
        why="a million times one GPU's published decode throughput",
        slider=(10, 100_000),
        log=True,
        optional="from the model",
    ),
    Knob(
        "spec_method",
        "capacity",
        "Speculative decoding: drafts from",
        "host",
        "speculative.method",
        kind="select",
        options=(
            ("mtp", "the model's MTP layers"),
            ("eagle", "an EAGLE-3 head"),
            ("draft_model", "a smaller draft model"),
            ("ngram", "n-gram lookup"),
        ),
        optional="off (no speculation)",
    ),
    Knob(
        "spec_draft",
        "capacity",
        "Speculative decoding: draft model",
        "host",
        "speculative.draft_model",
        kind="select",
        when=("speculative.method=draft_model",),
        hint="catalog models smaller than the served one, with its vocabulary",
    ),
    Knob(
        "spec_k",
        "capacity",
        "Speculative decoding: draft tokens per step",
        "host",
        "speculative.draft_tokens",
        "tokens",
        low=1,
        high=DRAFT_TOKENS.high,
        why=DRAFT_TOKENS.why,
        slider=(1, 8),
        integer=True,
        optional="the method's default",
        when=("speculative",),
    ),
    Knob(
        "spec_accept",
        "capacity",
        "Speculative decoding: acceptance per position",
        "host",
        "speculative.acceptance",
        kind="share",
        high=1,
        why=SHARE_WHY,
        slider=(0, 1),
        optional="the method's published range (est)",
        when=("speculative",),
        hint="the chance a draft token is accepted when all before it were; tokens per step = (1 - a^(k+1)) / (1 - a)",
    ),
    Knob("currency", "scenario", "Report currency", "scenario", "currency", kind="select", absent="EUR"),
]
"""In form order; selects come before the knobs they show or hide."""


NEW_BLOCKS = {
    "users": {"monthly_active": 2000, "requests_per_user": 100, "peak_online_share": 0.05, "duty_cycle": 0.15},
    "traffic": {"requests_per_month": 200_000, "hourly_profile": "flat"},
    "tokens_per_month": {"input": 5.0e8, "output": 1.5e8},
    "schedule_hours": {"kind": "hours", "hours_per_month": HOURS_PER_MONTH},
    "standby": {"kind": "standby", "replicas": 1},
}
"""What the page writes when a knob switches to a block the scenario lacks: [B]'s 2,000 users at 100
turns, 5% online at the peak, 15% duty cycle (examples/b-crossover.yaml); the same 200,000 requests a
month; [D]'s scenario B token volume (500M in, 150M out); the 730-hour month; one standby replica."""


def _bound_text(k: Knob, value: float | None) -> str | None:
    """A bound as the one formatter writes it (a share as a percentage), for the page's messages."""
    if value is None:
        return None
    return percent(value) if k.kind == "share" else number(value)


def knobs() -> dict:
    """The knobs (each with its bounds written out), and the blocks written when a knob adds one, as
    JSON for the page."""
    listed = [{**asdict(k), "low_text": _bound_text(k, k.low), "high_text": _bound_text(k, k.high)} for k in KNOBS]
    return {"knobs": listed, "new_blocks": NEW_BLOCKS}
