"""Generate the usage-log fixtures of every format from one synthetic stream of requests.

    python tests/data/usage/generate.py

The column names are those each tool publishes (sources in README.md next to this script). The
requests are synthetic but real in shape: three months of traffic with a working-day profile in
Europe/Berlin, 20% growth a month, two models, prompt caching, latencies, and costs priced per
request with genai-prices at the request's date. Each fixture also holds malformed rows (bad times,
non-numeric or negative tokens, missing models, short lines, broken JSON), mixed time zones, and one
file starts with a byte-order mark.

``manifest.json`` records what a correct reader must find in each file, computed here in plain
Python: records read and used, rejected records per reason with their row (or line) numbers, and the
token, request and cost totals of the usable records.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from genai_prices import Usage, calc_price

HERE = Path(__file__).resolve().parent
SEED = 20260601
ZONE = ZoneInfo("Europe/Berlin")
START = dt.datetime(2026, 6, 1, tzinfo=ZONE)
DAYS = 92
BASE_PER_WORKDAY = 12.0
"""Requests on a working day of the first month."""
GROWTH = 1.2
HOUR_WEIGHTS = [0.2] * 7 + [1.0, 2.0, 3.0, 3.0, 2.5, 2.0, 3.0, 3.0, 2.5, 2.0, 1.0] + [0.5] * 6
WEEKEND_FACTOR = 0.25
MODELS = (("gpt-4o-mini", "openai", 0.7), ("claude-3-5-haiku-20241022", "anthropic", 0.3))
LITELLM_COLUMNS = [
    "request_id",
    "call_type",
    "api_key",
    "spend",
    "total_tokens",
    "prompt_tokens",
    "completion_tokens",
    "startTime",
    "endTime",
    "request_duration_ms",
    "completionStartTime",
    "model",
    "model_id",
    "model_group",
    "custom_llm_provider",
    "api_base",
    "user",
    "metadata",
    "cache_hit",
    "cache_key",
    "request_tags",
    "team_id",
    "organization_id",
    "end_user",
    "requester_ip_address",
    "messages",
    "response",
    "session_id",
    "status",
    "mcp_namespaced_tool_name",
    "agent_id",
    "proxy_server_request",
]
HELICONE_COLUMNS = [
    "request_id",
    "request_created_at",
    "request_path",
    "request_user_id",
    "request_model",
    "response_model",
    "model_override",
    "model",
    "provider",
    "response_id",
    "response_created_at",
    "response_status",
    "delay_ms",
    "time_to_first_token",
    "total_tokens",
    "prompt_tokens",
    "prompt_cache_read_tokens",
    "prompt_cache_write_tokens",
    "completion_tokens",
    "costUSD",
    "request_body",
    "response_body",
    "country_code",
]
OPENROUTER_COLUMNS = [
    "generation_id",
    "created_at",
    "cost_total",
    "cost_web_search",
    "cost_cache",
    "cost_file_processing",
    "byok_usage_inference",
    "tokens_prompt",
    "tokens_completion",
    "tokens_reasoning",
    "tokens_cached",
    "model_permaslug",
    "provider_name",
    "variant",
    "cancelled",
    "streamed",
    "user",
    "finish_reason_normalized",
    "finish_reason_raw",
    "generation_time_ms",
    "time_to_first_token_ms",
    "app_name",
    "api_key_name",
]


@dataclass
class Request:
    n: int
    start: dt.datetime
    """UTC."""
    model: str
    provider: str
    input: int
    cached: int
    write: int
    output: int
    ttft_s: float
    duration_s: float
    cost: float
    failed: bool = False

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=self.duration_s)


def _price(model: str, provider: str, when: dt.datetime, r: dict) -> float:
    usage = Usage(
        input_tokens=r["input"], cache_read_tokens=r["cached"], cache_write_tokens=r["write"], output_tokens=r["output"]
    )
    return float(calc_price(usage, model, provider_id=provider, genai_request_timestamp=when).total_price)


def _tokens(rng, model: str) -> dict:
    inp = int(np.clip(rng.lognormal(math.log(1800), 0.7), 50, 60000))
    out = int(np.clip(rng.lognormal(math.log(250), 0.6), 5, 4000))
    cached = write = 0
    if model.startswith("gpt") and inp >= 1024 and rng.random() < 0.5:
        cached = int(min(inp, 1024 + 128 * rng.integers(0, 40)) // 128 * 128)
    if model.startswith("claude") and inp >= 1024:
        prefix = int(inp * rng.uniform(0.4, 0.9))
        cached, write = (prefix, 0) if rng.random() < 0.7 else (0, prefix)
    return {"input": inp, "cached": cached, "write": write, "output": out}


def requests() -> list[Request]:
    """The synthetic traffic, UTC, in time order."""
    rng = np.random.default_rng(SEED)
    weights = np.array(HOUR_WEIGHTS) / sum(HOUR_WEIGHTS)
    out: list[Request] = []
    for day in range(DAYS):
        local_day = START + dt.timedelta(days=day)
        month = (local_day.year - START.year) * 12 + local_day.month - START.month
        mean = BASE_PER_WORKDAY * GROWTH**month * (WEEKEND_FACTOR if local_day.weekday() >= 5 else 1.0)
        for _ in range(rng.poisson(mean)):
            hour = int(rng.choice(24, p=weights))
            local = local_day.replace(hour=hour) + dt.timedelta(seconds=float(rng.uniform(0, 3600)))
            start = local.astimezone(dt.UTC).replace(microsecond=int(rng.integers(0, 1000)) * 1000)
            model, provider, _ = MODELS[0] if rng.random() < MODELS[0][2] else MODELS[1]
            t = _tokens(rng, model)
            ttft = float(rng.uniform(0.2, 1.2))
            duration = round(ttft + t["output"] / rng.uniform(40, 90), 3)
            cost = round(_price(model, provider, start, t), 10)
            out.append(
                Request(
                    0, start, model, provider, t["input"], t["cached"], t["write"], t["output"], ttft, duration, cost
                )
            )
    out.sort(key=lambda r: r.start)
    for i, r in enumerate(out):
        r.n = i + 1
        r.failed = i % 97 == 50
        if r.failed:
            r.input = r.cached = r.write = r.output = 0
            r.cost = 0.0
    return out


def _naive(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def _body(r: Request) -> tuple[str, str]:
    messages = [{"role": "user", "content": f'Summarise ticket {r.n}, please:\n"it fails, again"'}]
    response = {"choices": [{"message": {"role": "assistant", "content": f"Ticket {r.n}: it fails; retry."}}]}
    return json.dumps(messages), json.dumps(response)


def _litellm_usage(r: Request) -> dict:
    usage = {"prompt_tokens": r.input, "completion_tokens": r.output, "total_tokens": r.input + r.output}
    if r.provider == "anthropic":
        usage |= {"cache_read_input_tokens": r.cached, "cache_creation_input_tokens": r.write}
    else:
        usage["prompt_tokens_details"] = {"cached_tokens": r.cached}
    return usage


def litellm_row(r: Request, start: str | None = None) -> dict:
    messages, response = _body(r)
    return {
        "request_id": f"chatcmpl-{r.n:06d}",
        "call_type": "acompletion",
        "api_key": "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
        "spend": r.cost,
        "total_tokens": r.input + r.output,
        "prompt_tokens": r.input,
        "completion_tokens": r.output,
        "startTime": start or _naive(r.start),
        "endTime": _naive(r.end),
        "request_duration_ms": round(r.duration_s * 1000),
        "completionStartTime": _naive(r.start + dt.timedelta(seconds=r.ttft_s)),
        "model": r.model,
        "model_id": "",
        "model_group": r.model.rsplit("-2024", 1)[0],
        "custom_llm_provider": r.provider,
        "api_base": "",
        "user": "",
        "metadata": json.dumps({"user_api_key_alias": "support-bot", "usage_object": _litellm_usage(r)}),
        "cache_hit": "False",
        "cache_key": "",
        "request_tags": json.dumps(["support"]),
        "team_id": None,
        "organization_id": None,
        "end_user": None,
        "requester_ip_address": "10.0.0.7",
        "messages": messages,
        "response": response,
        "session_id": None,
        "status": "failure" if r.failed else "success",
        "mcp_namespaced_tool_name": None,
        "agent_id": None,
        "proxy_server_request": "{}",
    }


def _csv_text(columns, rows, quoting=csv.QUOTE_NONNUMERIC) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, quoting=quoting, lineterminator="\n")
    w.writerow(columns)
    for row in rows:
        w.writerow(row if isinstance(row, (list, tuple)) else [row.get(c) for c in columns])
    return buf.getvalue()


# ------------------------------------------------------------------------------------ manifest


class Expect:
    """What a reader must find in one file."""

    def __init__(self) -> None:
        self.read = 0
        self.rejected: dict[str, list[int]] = {}
        self.used: list[Request] = []
        self.requests = 0.0

    def use(self, r: Request, requests: float = 1) -> None:
        self.read += 1
        self.used.append(r)
        self.requests += requests

    def reject(self, reason: str, where: int) -> None:
        self.read += 1
        self.rejected.setdefault(reason, []).append(where)

    def as_dict(self, cost: bool = True) -> dict:
        tokens = {
            "input": sum(r.input for r in self.used),
            "cached_input": sum(r.cached for r in self.used),
            "cache_write": sum(r.write for r in self.used),
            "output": sum(r.output for r in self.used),
        }
        return {
            "rows_read": self.read,
            "rows_used": len(self.used),
            "rows_rejected": {k: len(v) for k, v in sorted(self.rejected.items())},
            "rejected_rows": {k: sorted(v) for k, v in sorted(self.rejected.items())},
            "requests": self.requests,
            "tokens": tokens,
            "recorded_cost": round(sum(r.cost for r in self.used), 8) if cost else None,
            "models": sorted({r.model for r in self.used}),
        }


# ------------------------------------------------------------------------------------- LiteLLM


def litellm_clean(reqs: list[Request]) -> tuple[str, dict]:
    """The full export of the table, loadable into Postgres: failed requests and one row with a
    negative token count (an integer column accepts it) among them."""
    e = Expect()
    rows = []
    for i, r in enumerate(reqs, start=1):
        row = litellm_row(r)
        if i == 77:
            row["completion_tokens"] = -3
            e.reject("negative_tokens", i)
        elif r.failed:
            e.reject("failed_request", i)
        else:
            e.use(r)
        rows.append(row)
    return _csv_text(LITELLM_COLUMNS, rows), e.as_dict()


def litellm_malformed(reqs: list[Request]) -> tuple[str, dict]:
    """A short export with a bad value of every kind, short lines and times in several zones."""
    e = Expect()
    lines = [_csv_text(LITELLM_COLUMNS, [])]
    data_row = 0
    offsets = ("Z", "+02:00", "-05:00", "")

    def add(row: dict, reason: str | None, r: Request) -> None:
        nonlocal data_row
        data_row += 1
        lines.append(_csv_text(LITELLM_COLUMNS, [row]).split("\n", 1)[1])
        if reason:
            e.reject(reason, data_row)
        else:
            e.use(r)

    for k, r in enumerate(reqs[:40]):
        if r.failed:
            continue
        row = litellm_row(r)
        zone = dt.timezone(dt.timedelta(hours={"Z": 0, "+02:00": 2, "-05:00": -5, "": 0}[offsets[k % 4]]))
        local = r.start.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
        row["startTime"] = local + offsets[k % 4]
        bad = {
            3: ("startTime", "yesterday at noon", "unparseable_time"),
            7: ("prompt_tokens", "twelve", "non_numeric_tokens"),
            11: ("completion_tokens", -5, "negative_tokens"),
            15: ("model", "", "missing_model"),
            19: (
                "metadata",
                json.dumps({"usage_object": {"cache_read_input_tokens": r.input + 10}}),
                "cached_exceeds_input",
            ),
            23: ("prompt_tokens", "12.5", "non_integer_tokens"),
            27: ("spend", "free", "non_numeric_cost"),
        }.get(k)
        if bad:
            row[bad[0]] = bad[1]
            if bad[0] == "model":
                row["model_group"] = ""
            add(row, bad[2], r)
        else:
            add(row, None, r)
        if k in (5, 30):
            lines.append('"short-row","acompletion",0.1\n')
            e.reject("malformed_line", data_row + len(e.rejected.get("malformed_line", [])) + 2)
    return "".join(lines), e.as_dict()


def litellm_jsonl(reqs: list[Request]) -> tuple[str, dict]:
    """The table as JSON lines (ISO times with offsets, JSON columns as objects), one broken line."""
    e = Expect()
    out = []
    for line, r in enumerate(reqs[100:260], start=1):
        row = litellm_row(r, start=r.start.isoformat().replace("+00:00", "Z" if r.n % 2 else "+00:00"))
        for key in ("metadata", "messages", "response", "request_tags", "proxy_server_request"):
            row[key] = json.loads(row[key])
        if line == 50:
            out.append(json.dumps(row)[:-40])
            e.reject("malformed_json", line)
            continue
        out.append(json.dumps(row))
        if r.failed:
            e.reject("failed_request", line)
        else:
            e.use(r)
    return "\n".join(out) + "\n", e.as_dict()


LITELLM_DDL = """-- The LiteLLM_SpendLogs table as LiteLLM's Prisma schema (BerriAI/litellm schema.prisma) maps it
-- to Postgres: String -> TEXT, Float -> DOUBLE PRECISION, Int -> INTEGER, DateTime -> TIMESTAMP(3),
-- Json -> JSONB.
CREATE TABLE "LiteLLM_SpendLogs" (
    "request_id" TEXT NOT NULL,
    "call_type" TEXT NOT NULL,
    "api_key" TEXT NOT NULL DEFAULT '',
    "spend" DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "total_tokens" INTEGER NOT NULL DEFAULT 0,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "startTime" TIMESTAMP(3) NOT NULL,
    "endTime" TIMESTAMP(3) NOT NULL,
    "request_duration_ms" INTEGER,
    "completionStartTime" TIMESTAMP(3),
    "model" TEXT NOT NULL DEFAULT '',
    "model_id" TEXT DEFAULT '',
    "model_group" TEXT DEFAULT '',
    "custom_llm_provider" TEXT DEFAULT '',
    "api_base" TEXT DEFAULT '',
    "user" TEXT DEFAULT '',
    "metadata" JSONB DEFAULT '{}',
    "cache_hit" TEXT DEFAULT '',
    "cache_key" TEXT DEFAULT '',
    "request_tags" JSONB DEFAULT '[]',
    "team_id" TEXT,
    "organization_id" TEXT,
    "end_user" TEXT,
    "requester_ip_address" TEXT,
    "messages" JSONB DEFAULT '{}',
    "response" JSONB DEFAULT '{}',
    "session_id" TEXT,
    "status" TEXT,
    "mcp_namespaced_tool_name" TEXT,
    "agent_id" TEXT,
    "proxy_server_request" JSONB DEFAULT '{}',
    CONSTRAINT "LiteLLM_SpendLogs_pkey" PRIMARY KEY ("request_id")
);
CREATE INDEX "LiteLLM_SpendLogs_startTime_idx" ON "LiteLLM_SpendLogs"("startTime");
"""


# -------------------------------------------------------------------------------------- OpenAI


def _buckets(reqs: list[Request], width_s: int) -> dict[tuple[int, str], dict]:
    out: dict[tuple[int, str], dict] = {}
    for r in reqs:
        if r.failed or not r.model.startswith("gpt"):
            continue
        start = int(r.start.timestamp()) // width_s * width_s
        b = out.setdefault((start, r.model), {"input": 0, "cached": 0, "output": 0, "requests": 0, "cost": 0.0})
        b["input"] += r.input
        b["cached"] += r.cached
        b["output"] += r.output
        b["requests"] += 1
        b["cost"] += r.cost
    return out


def _result(model: str, b: dict) -> dict:
    return {
        "object": "organization.usage.completions.result",
        "input_tokens": b["input"],
        "output_tokens": b["output"],
        "input_cached_tokens": b["cached"],
        "input_audio_tokens": 0,
        "output_audio_tokens": 0,
        "num_model_requests": b["requests"],
        "project_id": None,
        "user_id": None,
        "api_key_id": None,
        "model": model,
        "batch": False,
        "service_tier": "default",
    }


def _pages(buckets: dict, width_s: int, results) -> list[dict]:
    starts = sorted({s for s, _ in buckets})
    data = [
        {
            "object": "bucket",
            "start_time": s,
            "end_time": s + width_s,
            "results": [results(m, b) for (t, m), b in sorted(buckets.items()) if t == s],
        }
        for s in starts
    ]
    half = len(data) // 2
    return [
        {"object": "page", "data": data[:half], "has_more": True, "next_page": "page_AAAAAGdGxdEiJdKOAAAAAGcqsYA="},
        {"object": "page", "data": data[half:], "has_more": False, "next_page": None},
    ]


def openai_usage_hourly(reqs: list[Request]) -> tuple[str, dict]:
    """Hourly completions buckets of gpt-4o-mini for the first two weeks, two pages, one per line."""
    two_weeks = [r for r in reqs if r.start < reqs[0].start + dt.timedelta(days=14)]
    buckets = _buckets(two_weeks, 3600)
    e = Expect()
    for (_, _), b in sorted(buckets.items()):
        e.use(
            Request(0, START, "gpt-4o-mini", "openai", b["input"], b["cached"], 0, b["output"], 0, 0, b["cost"]),
            b["requests"],
        )
    pages = _pages(buckets, 3600, _result)
    return "\n".join(json.dumps(p) for p in pages) + "\n", e.as_dict(cost=False)


def openai_usage_daily_csv(reqs: list[Request]) -> tuple[str, dict]:
    """Daily buckets flattened to one row per result (as OpenAI's cookbook does), two bad rows."""
    buckets = _buckets(reqs, 86400)
    e = Expect()
    columns = [
        "start_time", "end_time", "input_tokens", "output_tokens", "input_cached_tokens", "input_audio_tokens",
        "output_audio_tokens", "num_model_requests", "project_id", "user_id", "api_key_id", "model", "batch",
    ]  # fmt: skip
    rows = []
    for i, ((start, model), b) in enumerate(sorted(buckets.items()), start=1):
        row = [
            start,
            start + 86400,
            b["input"],
            b["output"],
            b["cached"],
            0,
            0,
            b["requests"],
            "",
            "",
            "",
            model,
            "False",
        ]
        if i == 10:
            row[7] = "n/a"
            e.reject("non_numeric_requests", i)
        elif i == 20:
            row[0] = "sometime"
            e.reject("unparseable_time", i)
        else:
            e.use(Request(0, START, model, "openai", b["input"], b["cached"], 0, b["output"], 0, 0, 0), b["requests"])
        rows.append(row)
    return _csv_text(columns, rows, quoting=csv.QUOTE_MINIMAL), e.as_dict(cost=False)


def openai_costs(reqs: list[Request]) -> tuple[str, dict]:
    """Daily cost buckets grouped by line item (gpt-4o-mini input and output), and one EUR line."""
    buckets = _buckets(reqs, 86400)
    e = Expect()
    data = []
    row = 0
    for start in sorted({s for s, _ in buckets}):
        b = buckets[(start, "gpt-4o-mini")]
        results = [
            {
                "object": "organization.costs.result",
                "amount": {"value": round(b["cost"], 10), "currency": "usd"},
                "line_item": "gpt-4o-mini-2024-07-18, input and output",
                "project_id": "proj_support",
            }
        ]
        row += 1
        e.use(Request(0, START, "gpt-4o-mini-2024-07-18", "openai", 0, 0, 0, 0, 0, 0, round(b["cost"], 10)), 0)
        if start == min(s for s, _ in buckets):
            results.append(
                {"object": "organization.costs.result", "amount": {"value": 1.0, "currency": "eur"}, "line_item": None}
            )
            row += 1
            e.reject("cost_not_in_usd", row)
        data.append({"object": "bucket", "start_time": start, "end_time": start + 86400, "results": results})
    page = {"object": "page", "data": data, "has_more": False, "next_page": None}
    return json.dumps(page, indent=1) + "\n", e.as_dict()


# ------------------------------------------------------------------------------------ Langfuse


def langfuse_jsonl(reqs: list[Request]) -> tuple[str, dict]:
    """Generations with Langfuse's usage details, spans around them, times with Z and with offsets."""
    e = Expect()
    out = []
    line = 0
    for r in reqs[300:420]:
        if r.failed:
            continue
        usage = {"input": r.input - r.cached - r.write, "output": r.output, "total": r.input + r.output}
        if r.provider == "anthropic":
            usage |= {"input_cache_read": r.cached, "input_cache_creation": r.write}
        else:
            usage["input_cached_tokens"] = r.cached
        zone = dt.timezone(dt.timedelta(hours=2)) if r.n % 3 == 0 else dt.UTC
        start = r.start.astimezone(zone).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        gen = {
            "id": f"gen-{r.n}",
            "traceId": f"trace-{r.n}",
            "type": "GENERATION",
            "name": "answer",
            "startTime": start,
            "endTime": r.end.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "completionStartTime": None,
            "model": r.model,
            "modelParameters": {"temperature": "0.2"},
            "input": json.loads(_body(r)[0]),
            "output": json.loads(_body(r)[1]),
            "usageDetails": usage,
            "costDetails": {"total": r.cost},
            "level": "DEFAULT",
            "latency": r.duration_s,
        }
        line += 1
        if r.n % 40 == 7:
            gen["usageDetails"] = {"input": "many", "output": r.output}
            out.append(json.dumps(gen))
            e.reject("non_numeric_tokens", line)
        elif r.n % 40 == 13:
            out.append(json.dumps(gen)[:25])
            e.reject("malformed_json", line)
        else:
            out.append(json.dumps(gen))
            e.use(r)
        if r.n % 4 == 0:
            span = {
                "id": f"span-{r.n}",
                "traceId": f"trace-{r.n}",
                "type": "SPAN",
                "name": "retrieve",
                "startTime": start,
            }
            out.append(json.dumps(span))
            line += 1
            e.reject("not_a_generation", line)
    return "\n".join(out) + "\n", e.as_dict()


# ------------------------------------------------------------------------------------ Helicone


def helicone_csv(reqs: list[Request]) -> tuple[str, dict]:
    e = Expect()
    rows = []
    for i, r in enumerate(reqs[500:650], start=1):
        created = r.start.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        row = {
            "request_id": f"9f2c{r.n:08d}",
            "request_created_at": created,
            "request_path": "https://api.openai.com/v1/chat/completions",
            "request_user_id": "support-bot",
            "request_model": r.model,
            "response_model": r.model,
            "model_override": None,
            "model": r.model,
            "provider": r.provider.upper(),
            "response_id": f"resp-{r.n}",
            "response_created_at": r.end.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "response_status": 500 if r.failed else 200,
            "delay_ms": round(r.duration_s * 1000),
            "time_to_first_token": round(r.ttft_s * 1000),
            "total_tokens": r.input + r.output,
            "prompt_tokens": r.input,
            "prompt_cache_read_tokens": r.cached,
            "prompt_cache_write_tokens": r.write,
            "completion_tokens": r.output,
            "costUSD": r.cost,
            "request_body": _body(r)[0],
            "response_body": _body(r)[1],
            "country_code": "DE",
        }
        if i == 30:
            row["request_created_at"] = "31/06/2026 25:61"
            e.reject("unparseable_time", i)
        elif i == 60:
            row["model"] = row["request_model"] = row["response_model"] = None
            e.reject("missing_model", i)
        elif r.failed:
            e.reject("failed_request", i)
        else:
            e.use(r)
        rows.append(row)
    return _csv_text(HELICONE_COLUMNS, rows), e.as_dict()


# ---------------------------------------------------------------------------------- OpenRouter


def openrouter_csv(reqs: list[Request]) -> tuple[str, dict]:
    """The Activity export, with a UTF-8 byte-order mark as spreadsheet tools write it."""
    e = Expect()
    rows = []
    for i, r in enumerate(reqs[700:850], start=1):
        slug = "openai/gpt-4o-mini" if r.model.startswith("gpt") else "anthropic/claude-3.5-haiku"
        row = {
            "generation_id": f"gen-1750000000-{r.n:06d}",
            "created_at": _naive(r.start),
            "cost_total": r.cost,
            "cost_web_search": 0,
            "cost_cache": 0,
            "cost_file_processing": 0,
            "byok_usage_inference": 0,
            "tokens_prompt": r.input,
            "tokens_completion": r.output,
            "tokens_reasoning": 0,
            "tokens_cached": r.cached,
            "model_permaslug": slug,
            "provider_name": "OpenAI" if r.model.startswith("gpt") else "Anthropic",
            "variant": "standard",
            "cancelled": "false",
            "streamed": "true",
            "user": "",
            "finish_reason_normalized": "stop",
            "finish_reason_raw": "stop",
            "generation_time_ms": round(r.duration_s * 1000),
            "time_to_first_token_ms": round(r.ttft_s * 1000),
            "app_name": "support-bot",
            "api_key_name": "prod",
        }
        if i == 40:
            row["tokens_prompt"] = "?"
            e.reject("non_numeric_tokens", i)
        elif i == 41:
            row["tokens_cached"] = r.input + 1
            e.reject("cached_exceeds_input", i)
        else:
            e.use(replace(r, model=slug, write=0))  # the export has no cache-write column
        rows.append(row)
    text = _csv_text(OPENROUTER_COLUMNS, [[row[c] for c in OPENROUTER_COLUMNS] for row in rows], csv.QUOTE_MINIMAL)
    return "\ufeff" + text, e.as_dict()


# ------------------------------------------------------------------------------------- generic


def generic_rows(reqs: list[Request]) -> tuple[list[dict], dict]:
    e = Expect()
    rows = []
    for r in reqs[900:1000]:
        if r.failed:
            continue
        rows.append(
            {
                "ts": r.start.isoformat(timespec="seconds"),
                "epoch": int(r.start.timestamp()),
                "model_name": r.model,
                "prompt_tok": r.input,
                "cached_tok": r.cached,
                "completion_tok": r.output,
                "latency_ms": round(r.duration_s * 1000),
                "usd": r.cost,
            }
        )
        e.use(replace(r, write=0))  # no cache-write column
    return rows, e.as_dict()


def generic_csv(reqs: list[Request]) -> tuple[str, dict]:
    rows, expect = generic_rows(reqs)
    columns = ["ts", "model_name", "prompt_tok", "cached_tok", "completion_tok", "latency_ms", "usd"]
    return _csv_text(columns, rows, csv.QUOTE_MINIMAL), expect


def generic_parquet(reqs: list[Request], path: Path) -> dict:
    rows, expect = generic_rows(reqs)
    columns = ["epoch", "model_name", "prompt_tok", "cached_tok", "completion_tok", "latency_ms", "usd"]
    table = pa.table({c: [row[c] for row in rows] for c in columns})
    pq.write_table(table, path, compression="zstd")
    return expect


# ---------------------------------------------------------------------------------------- main


def write(out: Path = HERE) -> dict:
    reqs = requests()
    manifest = {}
    texts = {
        "litellm/spend_logs.csv": litellm_clean,
        "litellm/spend_logs_malformed.csv": litellm_malformed,
        "litellm/spend_logs.jsonl": litellm_jsonl,
        "openai/usage_completions_1h.jsonl": openai_usage_hourly,
        "openai/usage_completions_1d.csv": openai_usage_daily_csv,
        "openai/costs_1d.json": openai_costs,
        "langfuse/observations.jsonl": langfuse_jsonl,
        "helicone/requests.csv": helicone_csv,
        "openrouter/activity.csv": openrouter_csv,
        "generic/usage.csv": generic_csv,
    }
    for name, make in texts.items():
        text, expect = make(reqs)
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
        manifest[name] = expect
    manifest["generic/usage.parquet"] = generic_parquet(reqs, out / "generic" / "usage.parquet")
    (out / "litellm" / "LiteLLM_SpendLogs.sql").write_text(LITELLM_DDL, encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


if __name__ == "__main__":
    for name, m in write().items():
        print(f"{name}: {m['rows_read']} read, {m['rows_used']} used, rejected {m['rows_rejected']}")
