"""The `catalog` command group: list, show, check, schema."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Annotated, Optional

import typer
from rich.table import Table

from breakeven import catalog
from breakeven.amounts import show as show_amount
from breakeven.catalog.store import KINDS, lookup
from breakeven.errors import InputError, UnknownIdError
from breakeven.outputs.json_text import to_json
from breakeven.outputs.tables import console, id_column

app = typer.Typer(help="The bundled catalogs (GPUs, models, engine profiles) and their sources.", no_args_is_help=True)

KindOpt = Annotated[Optional[str], typer.Option("--kind", help=f"{', '.join(KINDS)} (default: all)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON")]


def _kind(kind: str | None) -> str | None:
    if kind is not None and kind not in KINDS:
        raise InputError("kind", kind, f"one of {', '.join(KINDS)}")
    return kind


def _summary(kind: str, entry) -> str:
    if kind == "gpus":
        return f"{entry.memory_gib:g} GiB, {entry.bandwidth_tb_per_s:g} TB/s, {entry.dense_tflops.bf16:g} bf16 TFLOP/s"
    if kind == "models":
        moe = f", MoE {entry.moe.routed_experts}x top-{entry.moe.experts_per_token}" if entry.moe else ""
        mtp = f", MTP {entry.mtp.layers} x ({entry.mtp.params_b:g}B)" if entry.mtp else ""
        return f"{entry.params_total_b:g}B total / {entry.params_active_b:g}B active, {entry.attention.kind}{moe}{mtp}"
    if kind == "engines":
        return f"bw {entry.weight_bandwidth_efficiency:.2f}, bf16 matmuls {entry.gemm_efficiency_bf16:.2f}"
    if kind == "speculation":
        low, high = entry.acceptance
        return f"{entry.draft_tokens} draft tokens, acceptance {low:g}-{high:g} per position"
    if kind == "gpu-rent":
        return (
            f"{show_amount(entry.price)} {entry.currency}/{entry.unit.replace('_', '-')} for {entry.gpus} x {entry.gpu}"
        )
    if kind == "gpu-own":
        return (
            f"{show_amount(entry.purchase_price)} {entry.currency} for {entry.gpus} x {entry.gpu} ({entry.condition})"
        )
    if kind == "api-offers":
        return (
            f"{show_amount(entry.input_per_m)} in / {show_amount(entry.output_per_m)} out {entry.currency} per M tokens"
        )
    if kind == "availability":
        return f"{show_amount(entry.availability)} up ({entry.applies_to.replace('_', ' ')})"
    if kind == "downtime-costs":
        return f"{show_amount(entry.cost_per_hour)} {entry.currency} per hour down"
    if kind == "grid-intensity":
        return f"{show_amount(entry.kg_co2e_per_kwh)} kg CO2e/kWh ({entry.region}, {entry.year})"
    if kind == "user-profiles":
        return (
            f"{show_amount(entry.min_tokens_per_s_per_stream)} tok/s per stream, duty {show_amount(entry.duty_cycle)}, "
            f"{entry.input_tokens:,} in / {entry.output_tokens:,} out"
        )
    return f"1 {entry.base} = {entry.rate:g} {entry.quote} on {entry.date}"


@app.command("list")
def list_(kind: KindOpt = None, json_out: JsonOpt = False) -> None:
    """List catalog entries."""
    rows = catalog.all_entries(_kind(kind))
    if json_out:
        print(
            to_json(
                [
                    {"kind": k, "id": e.id, "name": getattr(e, "name", e.id), "confidence": e.provenance.confidence}
                    for k, e in rows
                ]
            )
        )
        return
    table = Table(title="breakeven catalog")
    table.add_column("kind", no_wrap=True)
    id_column(table, "id", [e.id for _, e in rows])
    for col in ("name", "summary", "confidence"):
        table.add_column(col)
    for k, e in rows:
        table.add_row(k, e.id, getattr(e, "name", e.id), _summary(k, e), e.provenance.confidence)
    console().print(table)


def _find(entry_id: str, kinds: list[str]):
    """The entry with this id in the first kind that has it; else an error with close ids of all kinds."""
    close: list[str] = []
    for k in kinds:
        try:
            return lookup(k, entry_id)
        except UnknownIdError as exc:
            close += exc.close
    known = [e.id for _, e in catalog.all_entries(kinds[0] if len(kinds) == 1 else None)]
    raise UnknownIdError("id", entry_id, known, close[:4])


@app.command()
def show(
    entry_id: Annotated[str, typer.Argument(metavar="ID")], kind: KindOpt = None, json_out: JsonOpt = False
) -> None:
    """Show one entry with every figure's source."""
    entry = _find(entry_id, [_kind(kind)] if kind else list(KINDS))
    if json_out:
        print(to_json(entry))
        return
    console().print_json(json.dumps(entry.model_dump(mode="json")))


@app.command()
def check(
    kind: KindOpt = None,
    max_age_days: Annotated[int, typer.Option(help="Flag figures checked longer ago than this")] = 180,
    today: Annotated[Optional[str], typer.Option(help="Date to measure age from, YYYY-MM-DD (default: today)")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Validate every catalog and list figures older than --max-age-days. Exit 1 if any are stale."""
    if max_age_days < 0:
        raise InputError("max_age_days", max_age_days, "0 or more days")
    try:
        day = dt.date.fromisoformat(today) if today else dt.date.today()
    except ValueError:
        raise InputError("today", today, "a date as YYYY-MM-DD") from None
    stale = catalog.stale(max_age_days, day, _kind(kind))
    counts = {k: len([1 for kk, _ in catalog.all_entries(_kind(kind)) if kk == k]) for k in ([kind] if kind else KINDS)}
    if json_out:
        rows = [{**dataclasses.asdict(f), "date": f.date.isoformat()} for f in stale]
        print(to_json({"entries": counts, "stale": rows}))
    else:
        out = console()
        out.print("valid: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        for f in stale:
            what = "checked on" if f.by == "checked" else "is for"
            out.print(
                f"stale: {f.kind} {f.id} {f.figure} {what} {f.date}, {(day - f.date).days} days ago "
                f"(more than {max_age_days})"
            )
        if not stale:
            out.print(f"no figure older than {max_age_days} days")
    if stale:
        raise typer.Exit(1)


FILE_SCHEMAS = ("scenario", "calibration")


def file_schema_text(name: str) -> str:
    """JSON Schema of a scenario or calibration file."""
    if name == "scenario":
        from breakeven.scenario.schema import Scenario as model
    else:
        from breakeven.calibration.file import CalibrationFile as model
    return json.dumps(model.model_json_schema(), indent=2, sort_keys=True, default=str) + "\n"


@app.command()
def schema(kind: Annotated[str, typer.Argument(help=", ".join([*KINDS, *FILE_SCHEMAS]))]) -> None:
    """Print the JSON Schema of a catalog, scenario or calibration file (for editors)."""
    if kind in FILE_SCHEMAS:
        print(file_schema_text(kind), end="")
        return
    print(catalog.json_schema_text(_kind(kind)), end="")
