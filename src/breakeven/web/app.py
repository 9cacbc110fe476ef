"""The FastAPI app: one page, static assets (the chart library comes from the plotly package, never
a CDN) and a JSON API over the same core the CLI uses.

Limits: request bodies over MAX_BODY_BYTES get 413; no endpoint reads or writes a file the client
names; bad input gets 422 with the field path and message, the same text the CLI prints.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from fastapi import Body, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import BaseHTTPMiddleware

from breakeven import __version__
from breakeven.catalog.store import KINDS, entries, lookup
from breakeven.errors import InputError
from breakeven.outputs.display import display
from breakeven.outputs.json_text import evaluation_json
from breakeven.scenario.analysis import analyse
from breakeven.scenario.load import ScenarioError, parse
from breakeven.scenario.uncertainty import DEFAULT_SEED, check_samples
from breakeven.web.formulas import formulas

MAX_BODY_BYTES = 256 * 1024
"""Largest request body accepted: a scenario is a few kB."""
WEB_DEFAULT_SAMPLES = 2_000
"""Monte Carlo samples for the page unless asked otherwise (a few tens of ms; the percentiles to ~2%)."""
WEB_MAX_SAMPLES = 20_000
"""Most samples one page request may ask for, so one request cannot hold the server for long."""
CURVE_POINTS = 200


class BodyLimit(BaseHTTPMiddleware):
    """Refuse bodies larger than MAX_BODY_BYTES (by header, and by counting when there is none)."""

    async def dispatch(self, request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return JSONResponse(
                {"detail": [{"loc": ["body"], "msg": f"request body over {MAX_BODY_BYTES} bytes"}]}, 413
            )
        if request.method in ("POST", "PUT") and length is None:
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    return JSONResponse(
                        {"detail": [{"loc": ["body"], "msg": f"request body over {MAX_BODY_BYTES} bytes"}]}, 413
                    )
            request._body = body  # starlette re-reads the cached body
        return await call_next(request)


def _error(problems: list[tuple[str, str]], status: int = 422) -> JSONResponse:
    return JSONResponse(
        {"detail": [{"loc": path.split("."), "field": path, "msg": msg} for path, msg in problems]}, status_code=status
    )


def _catalog_models_only(scenario) -> None:
    """The page and API take model ids from the catalog only, and no calibration files: never a path
    to a file on this machine."""
    for i, c in enumerate(scenario.candidates):
        if c.kind == "selfhost" and c.calibration is not None:
            raise ScenarioError(
                "scenario",
                [
                    (
                        f"candidates[{i}].calibration",
                        "the web API does not read files; "
                        "evaluate scenarios with calibration files with `breakeven evaluate`",
                    )
                ],
            )
        if c.kind == "selfhost":
            try:
                lookup("models", c.model)
            except InputError:
                raise ScenarioError(
                    "scenario",
                    [
                        (
                            f"candidates[{i}].model",
                            f"{c.model!r} is not a catalog model id (the web API does not read config.json files)",
                        )
                    ],
                ) from None


def _static() -> Path:
    return Path(str(resources.files("breakeven.web").joinpath("static")))


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def create_app() -> FastAPI:
    app = FastAPI(
        title="breakeven",
        version=__version__,
        description="Self-host an open-weights LLM or pay per token: the break-even, from the physics and the money.",
    )
    app.add_middleware(BodyLimit)

    @app.exception_handler(ScenarioError)
    async def _scenario_error(_: Request, exc: ScenarioError):
        return _error(exc.problems)

    @app.exception_handler(InputError)
    async def _input_error(_: Request, exc: InputError):
        return _error([(exc.field, str(exc))])

    @app.exception_handler(RequestValidationError)
    async def _request_error(_: Request, exc: RequestValidationError):
        return _error([(".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()])

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
    )
    def api_evaluate(
        scenario: dict[str, Any] = Body(..., description="A scenario, as in a scenario file"),
        uncertainty: bool = False,
        samples: int = WEB_DEFAULT_SAMPLES,
        seed: int = DEFAULT_SEED,
        horizon: bool = False,
    ) -> dict:
        valid = parse(scenario, "scenario")
        _catalog_models_only(valid)
        if uncertainty:
            check_samples(samples, "samples", WEB_MAX_SAMPLES)
        result = analyse(
            valid, samples=samples if uncertainty else None, seed=seed, horizon=horizon, curve_points=CURVE_POINTS
        )
        return {**evaluation_json(result, curves=True), "display": display(result)}

    @app.post("/api/scenario/yaml", response_class=PlainTextResponse, summary="A validated scenario as YAML")
    def api_yaml(scenario: dict[str, Any] = Body(...)) -> str:
        valid = parse(scenario, "scenario")
        return yaml.safe_dump(valid.model_dump(mode="json", exclude_defaults=True), sort_keys=False, allow_unicode=True)

    @app.post("/api/scenario/parse", summary="A scenario YAML text, validated, as JSON")
    def api_parse(text: str = Body(..., media_type="text/plain")) -> dict:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ScenarioError("upload", [("scenario", f"not valid YAML ({getattr(exc, 'problem', exc)})")]) from None
        return parse(data, "upload").model_dump(mode="json", exclude_defaults=True)

    @app.get("/api/catalog/{kind}", summary="All entries of a catalog kind")
    def api_catalog(kind: str) -> list[dict]:
        if kind not in KINDS:
            raise InputError("kind", kind, f"one of {', '.join(KINDS)}")
        return [e.model_dump(mode="json") for e in entries(kind)]

    @app.get("/api/catalog/{kind}/{entry_id}", summary="One catalog entry with its sources")
    def api_catalog_entry(kind: str, entry_id: str) -> dict:
        if kind not in KINDS:
            raise InputError("kind", kind, f"one of {', '.join(KINDS)}")
        return lookup(kind, entry_id).model_dump(mode="json")

    @app.get("/api/formulas", summary="The formulas in use, from the core's own definitions")
    def api_formulas() -> list[dict[str, str]]:
        return formulas()

    return app
