"""The formulas the page shows, taken from the docstrings of the core functions that compute them,
so the page always says what the code does."""

from __future__ import annotations

import inspect

from breakeven.core import costs, crossover, demand, performance, serving, sizing, speculative

FORMULAS = [
    ("Users in flight at the peak", demand.users_demand),
    ("Peak request rate", demand.rate_demand),
    ("KV cache per sequence", sizing.kv_bytes_per_sequence),
    ("Decode step", performance.step),
    ("MoE experts touched", performance.experts_touched_fraction),
    ("Prefill", performance.prefill_time),
    ("Serving with continuous batching", serving.batch_timings),
    ("Speculative decoding: tokens per step", speculative.tokens_per_step),
    ("Speculative decoding: the step the engine runs", speculative.decode_steps),
    ("API monthly cost", costs.api_monthly),
    ("Rent per replica", costs.rent_per_replica),
    ("Owning a replica", costs.own_per_replica),
    ("Staff", costs.staff_monthly),
    ("Production layer", costs.production_layer_monthly),
    ("Break-even", crossover.break_even),
]


def formulas() -> list[dict[str, str]]:
    """[{title, text, where}] for every formula in use; text is the function's own docstring."""
    return [
        {"title": title, "text": inspect.getdoc(fn) or "", "where": f"{fn.__module__}.{fn.__qualname__}"}
        for title, fn in FORMULAS
    ]
