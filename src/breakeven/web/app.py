"""The FastAPI app: one page, static assets (the chart library comes from the plotly package, never
a CDN) and a JSON API over the same core the CLI uses.

Limits (breakeven.limits, docs/limits.md): bodies over limits.BODY_BYTES get 413; scenarios are
bounded by their schema (which the OpenAPI document publishes) and validated strictly; no endpoint
reads or writes a file the client names; bad input gets 422 with the field path and message, the
same text the CLI prints; an evaluation that runs past its time budget, or finds too many waiting,
gets 503 with the reason (web/guard.py). Evaluations run off the event loop, and repeated bodies
are answered from a cache.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from breakeven import __version__, limits, safe_yaml
from breakeven.catalog.offers import Currency
from breakeven.catalog.schema import KvPrecision, WeightPrecision
from breakeven.catalog.store import KINDS, entries, lookup
from breakeven.errors import InputError, UnknownIdError
from breakeven.outputs.display import display
from breakeven.outputs.json_text import evaluation_json, finite
from breakeven.people import capacity, web_profile
from breakeven.results import CapacityResult, Evaluation
from breakeven.scenario.analysis import analyse
from breakeven.scenario.currency import in_currency
from breakeven.scenario.draws import MIN_SAMPLES
from breakeven.scenario.load import ScenarioError, parse, parse_json, refused
from breakeven.scenario.schema import Scenario
from breakeven.scenario.uncertainty import DEFAULT_SEED, MAX_SEED
from breakeven.web.formulas import formulas
from breakeven.web.guard import (
    MONTE_CARLO_BUDGET_S,
    BodyLimit,
    Budget,
    ErrorShield,
    OverBudget,
    ResponseCache,
    problem,
)
from breakeven.web.knobs import knobs
from breakeven.web.presets import DEFAULT_PRESET, presets

MAX_BODY_BYTES = limits.BODY_BYTES
INTERNAL_ERROR = "internal error (a bug in breakeven; the server is still up)"
WEB_DEFAULT_SAMPLES = 2_000
"""Monte Carlo samples for the page unless asked otherwise (a few tens of ms; the percentiles to ~2%)."""
WEB_MAX_SAMPLES = 20_000
"""Most samples one page request may ask for, so one request cannot hold the server for long."""
CURVE_POINTS = 200
CatalogKind = Literal[tuple(KINDS)]  # type: ignore[valid-type]

_PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["loc", "msg", "type"],
                "properties": {
                    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                    "field": {"type": "string"},
                },
            },
        }
    },
}
_ERRORS = {
    status: {"description": what, "content": {"application/json": {"schema": _PROBLEM_SCHEMA}}}
    for status, what in (
        (413, "The request body is larger than the server accepts"),
        (422, "The input is invalid: each problem names its field, value and what is allowed"),
        (503, "The evaluation ran past its time budget, or too many are waiting: the reason, and Retry-After"),
    )
}


def _example_scenario() -> dict[str, Any]:
    """The shipped glm-team example, as the OpenAPI document's example body."""
    text = resources.files("breakeven").joinpath("examples", "glm-team.yaml").read_text(encoding="utf-8")
    return json.loads(json.dumps(safe_yaml.load(text, "glm-team.yaml"), default=str))


_SCENARIO_BODY = {
    "requestBody": {
        "required": True,
        "description": "A scenario, as in a scenario file (JSON numbers, strictly validated)",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}, "example": _example_scenario()}
        },
    }
}


class CurrencyRequest(BaseModel):
    """The body of POST /api/scenario/currency."""

    model_config = ConfigDict(extra="forbid")
    scenario: Scenario
    currency: Currency


_CURRENCY_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CurrencyRequest"}}},
    }
}


def _loc(path: str) -> list[str | int]:
    """``candidates[2].gpus_per_replica`` -> ["body", "candidates", 2, "gpus_per_replica"]."""
    if path in ("scenario", "document") or path.startswith("line "):
        return ["body"]
    return ["body", *(int(p) if p.isascii() and p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path))]


def _error(problems: list[dict[str, Any]], status: int = 422, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"detail": problems}, status_code=status, headers=headers)


def _scenario_problems(exc: ScenarioError) -> list[dict[str, Any]]:
    return [problem(_loc(path), msg, kind, path) for (path, msg), kind in zip(exc.problems, exc.types)]


def _input_problems(exc: InputError) -> list[dict[str, Any]]:
    if isinstance(exc, ScenarioError):
        return _scenario_problems(exc)
    return [problem(["body", exc.field], str(exc), "value_error", exc.field)]


def _catalog_models_only(scenario: Scenario) -> None:
    """The page and API take model ids from the catalog only, and no calibration files: never a path
    to a file on this machine."""
    for i, c in enumerate(scenario.candidates):
        if c.kind != "selfhost":
            continue
        if c.calibration is not None:
            why = "the web API does not read files; evaluate scenarios with calibration files with `breakeven evaluate`"
            raise ScenarioError("scenario", [(f"candidates[{i}].calibration", why)])
        try:
            lookup("models", c.model)
        except InputError:
            why = f"{c.model[:80]!r} is not a catalog model id (the web API does not read config.json files)"
            raise ScenarioError("scenario", [(f"candidates[{i}].model", why)]) from None


def _static() -> Path:
    return Path(str(resources.files("breakeven.web").joinpath("static")))


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), allow_nan=False).encode()


@dataclass(frozen=True)
class EvaluateOptions:
    """What POST /api/evaluate adds to the point evaluation (its query string)."""

    samples: int | None
    seed: int
    horizon: bool


POINT_ONLY = EvaluateOptions(None, DEFAULT_SEED, False)


def evaluate_options() -> dict:
    """The page's Monte Carlo controls: the bounds and defaults of POST /api/evaluate's ``samples`` and
    ``seed`` options, written out (the seed as text: it may exceed what a JavaScript number holds)."""
    return {
        "samples": {
            "low": MIN_SAMPLES,
            "high": WEB_MAX_SAMPLES,
            "default": WEB_DEFAULT_SAMPLES,
            "low_text": f"{MIN_SAMPLES:,}",
            "high_text": f"{WEB_MAX_SAMPLES:,}",
        },
        "seed": {
            "low": "0",
            "high": str(MAX_SEED),
            "default": str(DEFAULT_SEED),
            "low_text": "0",
            "high_text": f"{MAX_SEED:,}",
        },
    }


def evaluate_body(body: bytes, options: EvaluateOptions = POINT_ONLY) -> tuple[int, bytes]:
    """(status, JSON) for an /api/evaluate body: the evaluation with its curves (and the uncertainty or
    the horizon when asked) plus display strings, or the problems."""
    try:
        scenario = parse_json(body)
        _catalog_models_only(scenario)
        result = analyse(
            scenario, samples=options.samples, seed=options.seed, horizon=options.horizon, curve_points=CURVE_POINTS
        )
    except InputError as exc:
        return 422, _json_bytes({"detail": _input_problems(exc)})
    return 200, _json_bytes(finite({**evaluation_json(result, curves=True), "display": display(result)}))


class CapacityRequest(BaseModel):
    """The body of POST /api/capacity: a deployment, a kind of user (a user-profiles id, or the figures
    of one), and optionally a measured throughput and a GPU price."""

    model_config = ConfigDict(extra="forbid")
    model: str = Field(min_length=1, max_length=limits.NAME_CHARS, description="A model catalog id")
    gpu: str = Field(min_length=1, max_length=limits.NAME_CHARS)
    gpus: int = Field(ge=1, le=int(limits.GPUS_PER_REPLICA.high))
    profile: str | dict[str, Any] = Field(
        "chat",
        description="A user-profiles catalog id (chat, agentic), or a profile's figures: min_tokens_per_s_per_stream, "
        "duty_cycle, agents_per_user, input_tokens, output_tokens, cached_input_share, max_ttft_s, name",
    )
    precision: WeightPrecision | None = None
    kv_precision: KvPrecision | None = None
    engine: str = Field("vllm", max_length=limits.NAME_CHARS)
    attention_dp: bool | None = None
    output_tokens_per_s: float | None = Field(None, gt=0, le=limits.TOKENS_PER_S.high)
    price_per_gpu_hour: float | None = Field(None, gt=0, le=limits.MONEY.high)
    currency: Currency | None = None
    gpu_offer: str | None = Field(None, max_length=limits.NAME_CHARS)


def capacity_body(body: bytes) -> tuple[int, bytes]:
    """(status, JSON) for a /api/capacity body: the people served, or the problems."""
    try:
        request = CapacityRequest.model_validate_json(body, strict=True)
    except ValidationError as exc:
        return 422, _json_bytes({"detail": _scenario_problems(refused("body", exc))})
    try:
        lookup("models", request.model)  # catalog ids only: the web API reads no files
        args = request.model_dump(exclude={"profile"})
        result = capacity(**args, profile=web_profile(request.profile))
    except InputError as exc:
        return 422, _json_bytes({"detail": _input_problems(exc)})
    return 200, _json_bytes(finite(result.model_dump(mode="json")))


def yaml_body(body: bytes) -> tuple[int, bytes]:
    try:
        valid = parse_json(body)
    except ScenarioError as exc:
        return 422, _json_bytes({"detail": _scenario_problems(exc)})
    data = valid.model_dump(mode="json", exclude_unset=True)
    return 200, yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()


def currency_body(body: bytes) -> tuple[int, bytes]:
    """(status, JSON) for a {scenario, currency} body: the scenario restated in that currency."""
    try:
        request = CurrencyRequest.model_validate_json(body, strict=True)
    except ValidationError as exc:
        return 422, _json_bytes({"detail": _scenario_problems(refused("body", exc))})
    try:
        return 200, _json_bytes(in_currency(request.scenario, request.currency))
    except InputError as exc:
        return 422, _json_bytes({"detail": _input_problems(exc)})


def parse_body(body: bytes) -> tuple[int, bytes]:
    """(status, JSON) for a scenario YAML text: the validated scenario, or the problems with lines."""
    try:
        text = body.decode("utf-8")
        data = safe_yaml.load(text, "upload")
        return 200, _json_bytes(parse(data, "upload").model_dump(mode="json", exclude_unset=True))
    except UnicodeDecodeError:
        return 422, _json_bytes({"detail": [problem(["body"], "the upload is not UTF-8 text", field="upload")]})
    except safe_yaml.YamlError as exc:
        return 422, _json_bytes({"detail": [problem(["body"], f"{exc.where}: {exc.reason}", field=exc.where)]})
    except ScenarioError as exc:
        return 422, _json_bytes({"detail": _scenario_problems(exc)})


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with the Scenario schema (and its bounds) that the POST bodies follow."""
    if app.openapi_schema is None:
        spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        scenario = Scenario.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(scenario.pop("$defs", {}))
        schemas["Scenario"] = scenario
        capacity_schema = CapacityRequest.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(capacity_schema.pop("$defs", {}))
        schemas["CapacityRequest"] = capacity_schema
        schemas["CurrencyRequest"] = {
            "type": "object",
            "additionalProperties": False,
            "required": ["scenario", "currency"],
            "properties": {
                "scenario": {"$ref": "#/components/schemas/Scenario"},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            },
        }
        app.openapi_schema = spec
    return app.openapi_schema


def create_app() -> ErrorShield:
    """The app, wrapped in its error shield (an ASGI app; ``.app`` is the FastAPI object)."""
    app = FastAPI(
        title="breakeven",
        version=__version__,
        description="Self-host an open-weights LLM or pay per token: the break-even, from the physics and the money.",
    )
    budget, cache = Budget(), ResponseCache()
    app.state.budget, app.state.cache = budget, cache
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]

    @app.exception_handler(UnknownIdError)
    async def _unknown_id(_: Request, exc: UnknownIdError):
        return _error([problem(["path", "entry_id"], str(exc), "not_found", exc.field)], 404)

    @app.exception_handler(InputError)
    async def _input_error(_: Request, exc: InputError):
        return _error(_input_problems(exc))

    @app.exception_handler(RequestValidationError)
    async def _request_error(_: Request, exc: RequestValidationError):
        return _error([problem(list(e["loc"]), e["msg"], e["type"]) for e in exc.errors()])

    @app.exception_handler(Exception)
    async def _bug(_: Request, exc: Exception):  # a bug: logged by ErrorShield, which keeps the connection
        return _error([problem(["server"], INTERNAL_ERROR, "internal_error", "server")], 500)

    @app.exception_handler(OverBudget)
    async def _over_budget(_: Request, exc: OverBudget):
        headers = {"Retry-After": str(exc.retry_after_s)} if exc.retry_after_s else None
        return _error([problem(["server"], exc.reason, "over_budget", "server")], 503, headers)

    async def _answer(
        request: Request, endpoint: str, work, media_type: str = "application/json", budget_s: float | None = None
    ) -> Response:
        body = await request.body()
        key = cache.key(endpoint, body)
        hit = cache.get(key)
        status, payload = hit if hit is not None else await budget.run(lambda: work(body), budget_s)
        if hit is None:
            cache.put(key, status, payload)
        return Response(payload, status, media_type=media_type if status == 200 else "application/json")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse((_static() / "index.html").read_text(encoding="utf-8"))

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(_plotly_js(), media_type="text/javascript")

    app.mount("/static", StaticFiles(directory=_static()), name="static")

    @app.post(
        "/api/evaluate",
        summary="Evaluate a scenario (the same JSON as `breakeven evaluate --json --curves`, plus display strings)",
        description="Options: `uncertainty=true` adds `uncertainty` (the Monte Carlo of `samples` draws, seed "
        "`seed`: percentiles, probabilities, the tornado, P10-P90 bands of the cost curves); `horizon=true` adds "
        "`horizon`. docs/uncertainty.md describes the JSON.",
        openapi_extra=_SCENARIO_BODY,
        responses={200: {"model": Evaluation, "description": "The evaluation"}, **_ERRORS},
    )
    async def api_evaluate(
        request: Request,
        uncertainty: bool = False,
        samples: Annotated[int, Query(ge=MIN_SAMPLES, le=WEB_MAX_SAMPLES)] = WEB_DEFAULT_SAMPLES,
        seed: Annotated[int, Query(ge=0, le=MAX_SEED)] = DEFAULT_SEED,
        horizon: bool = False,
    ) -> Response:
        options = EvaluateOptions(samples if uncertainty else None, seed, horizon)
        spread = MONTE_CARLO_BUDGET_S if uncertainty else None
        return await _answer(request, f"evaluate {options}", lambda body: evaluate_body(body, options), budget_s=spread)

    @app.post(
        "/api/capacity",
        summary="People served: users of one kind one replica serves (as `breakeven capacity --json`)",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CapacityRequest"}}},
            }
        },
        responses={200: {"model": CapacityResult, "description": "The people served"}, **_ERRORS},
    )
    async def api_capacity(request: Request) -> Response:
        return await _answer(request, "capacity", capacity_body)

    @app.post(
        "/api/scenario/yaml",
        summary="A validated scenario as YAML",
        openapi_extra=_SCENARIO_BODY,
        responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "YAML"}, **_ERRORS},
    )
    async def api_yaml(request: Request) -> Response:
        return await _answer(request, "yaml", yaml_body, "text/plain; charset=utf-8")

    @app.post(
        "/api/scenario/parse",
        summary="A scenario YAML text, validated, as JSON",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"text/plain": {"schema": {"type": "string", "maxLength": MAX_BODY_BYTES}}},
            }
        },
        responses={
            200: {
                "description": "The scenario, defaults left out",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}}},
            },
            **_ERRORS,
        },
    )
    async def api_parse(request: Request) -> Response:
        return await _answer(request, "parse", parse_body)

    @app.post(
        "/api/scenario/currency",
        summary="A scenario restated in another report currency",
        openapi_extra=_CURRENCY_BODY,
        responses={200: {"description": "The scenario, fields as given, in the new currency"}, **_ERRORS},
    )
    async def api_currency(request: Request) -> Response:
        """Every amount in the report currency converted at one dated rate, the FX table re-based."""
        return await _answer(request, "currency", currency_body)

    @app.get(
        "/api/knobs",
        summary="The page's knobs: the scenario field each edits, units and bounds; the Monte Carlo options' bounds",
    )
    def api_knobs() -> dict:
        return {**knobs(), "evaluate_options": evaluate_options()}

    @app.get("/api/examples", summary="The shipped example scenarios (the page's presets)")
    def api_examples() -> dict:
        return {"default": DEFAULT_PRESET, "examples": list(presets())}

    @app.get("/api/catalog/{kind}", summary="All entries of a catalog kind")
    def api_catalog(kind: CatalogKind) -> list[dict[str, Any]]:
        return [e.model_dump(mode="json") for e in entries(kind)]

    @app.get(
        "/api/catalog/{kind}/{entry_id}",
        summary="One catalog entry with its sources",
        responses={404: {"description": "No entry has this id", "content": _ERRORS[422]["content"]}},
    )
    def api_catalog_entry(
        kind: CatalogKind, entry_id: str = PathParam(min_length=1, max_length=limits.NAME_CHARS)
    ) -> dict[str, Any]:
        return lookup(kind, entry_id).model_dump(mode="json")

    @app.get("/api/formulas", summary="The formulas in use, from the core's own definitions")
    def api_formulas() -> list[dict[str, str]]:
        return formulas()

    return ErrorShield(app)
