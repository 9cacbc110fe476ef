"""The `evaluate`, `compare` and `example` commands."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Optional

import typer

from breakeven.errors import InputError
from breakeven.outputs.evaluation_text import render
from breakeven.outputs.json_text import evaluation_json, to_json
from breakeven.outputs.plan_text import render_plans
from breakeven.outputs.tables import console, working
from breakeven.scenario.analysis import analyse
from breakeven.scenario.compare import compare as compare_evaluation
from breakeven.scenario.draws import MAX_SAMPLES, MIN_SAMPLES
from breakeven.scenario.load import ScenarioError, load, load_calibrations
from breakeven.scenario.uncertainty import DEFAULT_SAMPLES, DEFAULT_SEED

MAX_WORKERS = 64
"""Most server processes `serve` starts: one per core is the useful number."""
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (a stable contract) instead of tables")]
AssumptionsOpt = Annotated[bool, typer.Option(help="Show the assumptions table")]


SamplesOpt = Annotated[
    Optional[int],
    typer.Option(help=f"Monte Carlo samples (default {DEFAULT_SAMPLES:,}; {MIN_SAMPLES:,} to {MAX_SAMPLES:,})"),
]
SeedOpt = Annotated[
    Optional[int], typer.Option(help=f"Seed of the Monte Carlo (default {DEFAULT_SEED}): same seed, same numbers")
]


def _samples(uncertainty: bool, samples: int | None, seed: int | None) -> int | None:
    """How many samples to draw: None without --uncertainty (where --samples or --seed is a mistake)."""
    if not uncertainty:
        for name, value in (("samples", samples), ("seed", seed)):
            if value is not None:
                raise InputError(name, value, "only with --uncertainty")
        return None
    return DEFAULT_SAMPLES if samples is None else samples


def evaluate(
    file: Annotated[str, typer.Argument(help="Scenario YAML file")],
    json_out: JsonOpt = False,
    curves: Annotated[bool, typer.Option(help="Include the cost curves in the JSON")] = False,
    assumptions: AssumptionsOpt = True,
    uncertainty: Annotated[
        bool, typer.Option("--uncertainty", help="Add the Monte Carlo: percentiles, probabilities, the tornado")
    ] = False,
    samples: SamplesOpt = None,
    seed: SeedOpt = None,
    horizon: Annotated[
        bool, typer.Option("--horizon", help="Add costs month by month over the scenario's horizon (or 48 months)")
    ] = False,
) -> None:
    """Evaluate a scenario file: monthly costs, break-even volumes, a recommendation, every assumption."""
    n = _samples(uncertainty, samples, seed)
    scenario = load(file)
    calibrations = load_calibrations(scenario, Path(file).parent)
    try:
        with working("evaluating" if n is None else f"drawing {n:,} samples"):
            result = analyse(
                scenario,
                calibrations,
                curve_points=200 if curves else 0,
                samples=n,
                seed=DEFAULT_SEED if seed is None else seed,
                horizon=horizon,
            )
    except ScenarioError as exc:
        raise ScenarioError(file, exc.problems, exc.types) from None
    if json_out:
        print(to_json(evaluation_json(result, curves)))
    else:
        render(result, console(), assumptions)


def plan(
    file: Annotated[str, typer.Argument(help="Scenario YAML file")],
    json_out: JsonOpt = False,
    curves: Annotated[bool, typer.Option(help="Include the cost curves (and the hybrids') in the JSON")] = False,
) -> None:
    """The best plan for a scenario: its candidates and hybrids of every self-host candidate with every API
    (replicas for the base load, the API for the peaks; always on or in working hours), ranked."""
    scenario = load(file)
    calibrations = load_calibrations(scenario, Path(file).parent)
    try:
        with working("planning"):
            result = analyse(scenario, calibrations, curve_points=200 if curves else 0)
    except ScenarioError as exc:
        raise ScenarioError(file, exc.problems, exc.types) from None
    if json_out:
        print(to_json(evaluation_json(result, curves)))
    else:
        render_plans(result, console())


def compare(
    model: Annotated[str, typer.Option("--model", "-m", help="Model catalog id")],
    volume: Annotated[
        str, typer.Option(help='Monthly volume, e.g. "500M tokens/month", "2B/month", "50k requests/day"')
    ],
    input_share: Annotated[float, typer.Option(help="Share of the tokens that are input")] = 0.75,
    output_tokens: Annotated[int, typer.Option(help="Output tokens per request")] = 500,
    cached_share: Annotated[float, typer.Option(help="Repeated-prefix share of input")] = 0.0,
    gpu: Annotated[str, typer.Option(help="GPU id")] = "h100-sxm",
    gpus: Annotated[Optional[int], typer.Option(help="GPUs per replica (default: the fewest that fit)")] = None,
    precision: Annotated[Optional[str], typer.Option(help="Weight precision (default: native)")] = None,
    gpu_offer: Annotated[
        Optional[str], typer.Option(help="gpu-rent offer id (default: the median hourly offer)")
    ] = None,
    api_offers: Annotated[
        Optional[list[str]],
        typer.Option("--api-offer", help="api-offers id (repeatable; default: all for the model)"),
    ] = None,
    currency: Annotated[str, typer.Option(help="Report currency")] = "USD",
    json_out: JsonOpt = False,
    assumptions: AssumptionsOpt = True,
) -> None:
    """The quick answer without a file: defaults from the catalogs, each shown as an assumption."""
    result = compare_evaluation(
        model=model,
        volume=volume,
        input_share=input_share,
        output_tokens=output_tokens,
        cached_share=cached_share,
        gpu=gpu,
        gpus=gpus,
        precision=precision,
        gpu_offer=gpu_offer,
        api_offers=api_offers or [],
        currency=currency,
    )
    if json_out:
        print(to_json(evaluation_json(result, curves=False)))
    else:
        render(result, console(), assumptions)


def example_names() -> list[str]:
    folder = resources.files("breakeven").joinpath("examples")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def example(name: Annotated[Optional[str], typer.Argument(help="Example name (omit to list them)")] = None) -> None:
    """Write a shipped example scenario to stdout (or list the examples)."""
    names = example_names()
    if name is None:
        print("\n".join(names))
        return
    if name.removesuffix(".yaml") not in names:
        raise InputError("name", name, f"one of {', '.join(names)}")
    print(resources.files("breakeven").joinpath("examples", name.removesuffix(".yaml") + ".yaml").read_text(), end="")


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (default: this machine only)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in a browser")] = False,
    workers: Annotated[
        int, typer.Option(help="Server processes (one core each); each keeps its own cache of evaluations")
    ] = 1,
) -> None:
    """Start the knobs page and its JSON API (FastAPI + uvicorn)."""
    if not 0 < port < 65536:
        raise InputError("port", port, "a port between 1 and 65535")
    if not 1 <= workers <= MAX_WORKERS:
        raise InputError("workers", workers, f"between 1 and {MAX_WORKERS} server processes")
    import uvicorn

    url = f"http://{host}:{port}/"
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    console().print(f"breakeven page on {url} (Ctrl+C to stop)")
    uvicorn.run(
        "breakeven.web.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="warning"
    )
