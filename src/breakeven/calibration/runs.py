"""A benchmark run (ingest.runs.BenchRun) -> measured points of a deployment, for fitting."""

from __future__ import annotations

import datetime as dt

from breakeven.catalog.schema import Measurement, Provenance
from breakeven.ingest.runs import BenchRun

METRICS = (
    ("itl_ms", "itl_ms"),
    ("mean_itl_ms", "mean_itl_ms"),
    ("ttft_ms", "ttft_ms"),
    ("output_tokens_per_s", "output_tokens_per_s"),
)


def to_measurements(
    run: BenchRun,
    model: str,
    gpu: str,
    gpus: int,
    precision: str,
    kv_precision: str,
    engine: str,
    today: dt.date,
    tolerance: float = 0.15,
) -> list[Measurement]:
    """The run's ITL, TTFT and output throughput as measured points of a deployment."""
    prov = Provenance(
        source=f"{run.tool} result {run.source}",
        checked=today,
        confidence="firm",
        note="concurrency derived by Little's law" if run.derived_concurrency else None,
    )
    out = []
    for attr, metric in METRICS:
        value = getattr(run, attr)
        if value is None or not value > 0:
            continue
        out.append(
            Measurement(
                id=f"{run.source}#{metric}",
                use="fit",
                engine=engine,
                model=model,
                gpu=gpu,
                gpus=gpus,
                precision=precision,
                kv_precision=kv_precision,
                input_tokens=max(1, round(run.input_tokens)),
                output_tokens=max(1, round(run.output_tokens)),
                concurrency=max(1, round(run.concurrency)),
                metric=metric,
                value=value,
                tolerance=tolerance,
                provenance=prov,
            )
        )
    return out
