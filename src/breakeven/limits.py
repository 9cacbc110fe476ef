"""The bounds on everything a user can hand breakeven, with the reason for each.

Every input path (the CLI, scenario files, the web API, benchmark and calibration files) checks its
numbers and sizes against these, so that no input can crash it, hang it or exhaust the machine, and
every refusal says which bound and why. Bounds on real-world quantities sit far above anything that
exists (they are there to refuse typos and attacks, never a plausible plan); bounds on documents sit
far above any hand-written or tool-written file. docs/limits.md lists them all.

    from breakeven.limits import TOKENS_PER_MONTH
    TOKENS_PER_MONTH.allowed()   # 'at most 1e+18 tokens/month (over 700 times the 1.3 quadrillion ...)'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from breakeven.errors import InputError


def show(x: float) -> str:
    """A bound as people read it: 10,000,000 or 0.25 or 1e+18."""
    if x == int(x) and abs(x) < 1e13:
        return f"{int(x):,}"
    return f"{x:.6g}"


@dataclass(frozen=True)
class Limit:
    """An upper bound on one kind of input: its value, unit and the reason it is where it is."""

    high: float
    unit: str
    why: str

    def allowed(self, low: float | None = None) -> str:
        """'at most 1e+18 tokens/month (why)', or 'between 1 and 10,000,000 ... (why)' with a lower bound."""
        span = f"at most {show(self.high)}" if low is None else f"between {show(low)} and {show(self.high)}"
        return f"{span} {self.unit} ({self.why})".replace("  ", " ")

    def holds(self, value: float, low: float = 0.0) -> bool:
        """Whether ``value`` is a finite number within [low, high]."""
        return isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= self.high


# ------------------------------------------------------------------------- the world's volumes

GOOGLE_TOKENS_PER_MONTH = 1.3e15
"""Tokens Google's AI products processed in a month, the largest published volume (Sundar Pichai,
Google Cloud event, October 2025: "over 1.3 quadrillion tokens per month"; firm)."""

TOKENS_PER_MONTH = Limit(
    1e18, "tokens/month", "over 700 times the 1.3 quadrillion tokens a month Google's AI products processed in 2025"
)
REQUESTS_PER_MONTH = Limit(1e18, "requests/month", "a request has at least one token; see tokens/month")
USERS = Limit(1e10, "users", "more than everyone alive: 8.2 billion people in 2025, UN World Population Prospects 2024")
REQUESTS_PER_USER = Limit(1e8, "requests per user per month", "about 40 requests a second, all month, per user")
TOKENS_PER_REQUEST = Limit(
    1e7, "tokens per request", "the longest published context window is Llama 4 Scout's 10 million tokens, 2025"
)

# ----------------------------------------------------------------------------- deployments

GPUS_PER_REPLICA = Limit(
    1024,
    "GPUs per replica",
    "about three times the largest published serving unit, DeepSeek-V3's decode stage on 320 GPUs "
    "in the DeepSeek-V3 technical report, 2024, sec. 3.4.2",
)
DRAFT_TOKENS = Limit(
    32,
    "draft tokens per step",
    "chains this long are accepted in full almost never; TensorRT-LLM's n-gram study stops at 23",
)
CONCURRENCY = Limit(1e6, "concurrent requests per replica", "a thousand times the batch sizes engines run")
REPLICAS = Limit(
    1e12,
    "serving replicas",
    "over a hundred replicas for every person alive (8.2 billion in 2025, UN World Population Prospects 2024); "
    "a demand that needs more is a capacity typed in the wrong unit",
)
STANDBY_REPLICAS = Limit(1000, "standby replicas", "a thousand idle replicas is no longer redundancy")
TOKENS_PER_S = Limit(1e9, "tokens/s", "a million times one GPU's published decode throughput")
SECONDS = Limit(1e6, "s", "eleven days: longer than any service level or measurement")

# ----------------------------------------------------------------------------------- money

MONEY = Limit(
    1e15,
    "in the figure's currency",
    "a quadrillion, more than the world's yearly GDP in any currency in use: "
    "about 1.1e14 USD in 2024 per the World Bank",
)
SHARE = Limit(1, "", "a share of the whole")
FIGURE = Limit(1e18, "", "no figure breakeven reads is larger")
"""The ceiling of any other number in a scenario (hours, shares and counts have tighter bounds)."""

# --------------------------------------------------------------------------------- documents

CANDIDATES = Limit(
    20, "candidates per scenario", "up to 100 API x self-host pairs, each with its break-even and cost curves"
)
FX_RATES = Limit(50, "FX rates per scenario", "more currencies than any scenario prices in")
NAME_CHARS = 200
"""Longest name or id (candidate names, catalog ids, offers, providers): ids are short words."""
TEXT_CHARS = 10_000
"""Longest free text (a scenario's description)."""
PATH_CHARS = 4096
"""Longest file path (Linux PATH_MAX)."""

SCENARIO_BYTES = 1_000_000
"""Largest scenario or calibration file read: a scenario is a few kB; a calibration file with a
thousand points is about 300 kB."""
BENCHMARK_BYTES = 512_000_000
"""Largest benchmark result file read: GuideLLM keeps every request, so a long sweep runs to
hundreds of MB."""
BODY_BYTES = 256 * 1024
"""Largest web API request body: a scenario is a few kB."""

# ------------------------------------------------------------------------------------ YAML

YAML_DEPTH = 64
"""Deepest nesting of mappings and lists: a scenario nests 6 deep, a benchmark table 3."""
YAML_NODES = 200_000
"""Most values in a document once aliases and merge keys are expanded (a 256 kB body holds about
50,000 values written out): the budget that refuses alias and merge-key bombs."""
YAML_SCALAR_CHARS = 100_000
"""Longest single value (a description or a note)."""
YAML_NUMBER_CHARS = 64
"""Longest number: 64 digits is 1e63, far past every bound above."""


def read_text(path: str | Path, field: str, what: str, max_bytes: int = SCENARIO_BYTES) -> str:
    """A user's text file; an InputError naming ``field`` (the option or key the user wrote) when it is
    missing, unreadable, not UTF-8 or larger than ``max_bytes`` (never read past that: /dev/zero is
    refused, not read forever)."""
    if len(str(path)) > PATH_CHARS:
        raise InputError(field, f"{str(path)[:60]}...", f"a path of at most {PATH_CHARS} characters")
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except (OSError, ValueError) as exc:
        raise InputError(field, str(path), f"{what} that can be read ({exc.__class__.__name__})") from None
    if len(data) > max_bytes:
        raise InputError(field, str(path), f"{what} of at most {max_bytes:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(field, str(path), f"{what} in UTF-8") from None
