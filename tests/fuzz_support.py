"""Shared pieces of the fuzz tests: hostile values, mutations of documents and texts, and the per-case
budget (no case over 1 CPU-second or 500 MB) with the figures the session summary prints.

The number of cases scales with BREAKEVEN_FUZZ_SCALE (default 1: a few thousand in all, for CI);
``BREAKEVEN_FUZZ_SCALE=6 python -m pytest tests/test_fuzz.py`` runs over 10,000.
"""

from __future__ import annotations

import copy
import gc
import json
import os
import resource
import time
from collections import defaultdict
from contextlib import contextmanager

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SCALE = float(os.environ.get("BREAKEVEN_FUZZ_SCALE", "1"))
CPU_BUDGET_S = 1.0
"""No case may take more CPU time than this (CPU time of the whole process: the web API's worker
threads included; CPU time, not wall time, so that other programs on the machine do not count)."""
MEMORY_BUDGET_BYTES = 500 * 1024 * 1024
"""No case may make the process's peak resident memory grow more than this above its resident memory
when the case began."""

STATS: dict[str, dict[str, float]] = defaultdict(
    lambda: {"cases": 0, "max_cpu_s": 0.0, "over_time": 0, "over_memory": 0, "errors_named": 0, "exit_2": 0}
)
CLEAR_REFS = "/proc/self/clear_refs"
"""Writing 5 here resets the process's peak resident memory (VmHWM) to its current one (Linux 4.0+)."""


def _status_bytes(field: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            line = next(ln for ln in f if ln.startswith(field + ":"))
    except (OSError, StopIteration):
        return None
    return int(line.split()[1]) * 1024  # kB


def _peak_reset() -> int:
    """Reset the peak resident memory where Linux allows it, and return the baseline a case's peak is
    measured from: the current resident memory after a reset, else the peak so far (ru_maxrss never
    falls, so without a reset a case is measured against the largest earlier test in the process)."""
    try:
        with open(CLEAR_REFS, "w") as f:
            f.write("5")
        current = _status_bytes("VmRSS")
        if current is not None:
            return current
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _peak() -> int:
    peak = _status_bytes("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def fuzz_settings(examples: int):
    """Hypothesis settings for a fuzz test of ``examples`` cases (times SCALE)."""
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


@contextmanager
def budgeted(kind: str):
    """Count a case, and fail it past CPU_BUDGET_S or MEMORY_BUDGET_BYTES."""
    stats = STATS[kind]
    gc.disable()  # a full collection of earlier tests' garbage is not this case's cost
    base = _peak_reset()
    start = time.process_time()
    try:
        yield stats
    finally:
        used = time.process_time() - start
        gc.enable()
    grown = _peak() - base
    stats["cases"] += 1
    stats["max_cpu_s"] = max(stats["max_cpu_s"], used)
    stats["over_time"] += used > CPU_BUDGET_S
    stats["over_memory"] += grown > MEMORY_BUDGET_BYTES
    assert used <= CPU_BUDGET_S, f"{kind} case took {used:.2f} CPU-s"
    assert grown <= MEMORY_BUDGET_BYTES, f"{kind}: the process grew {grown / 1e6:.0f} MB"


# ------------------------------------------------------------------------------- values

NASTY = [
    0,
    -1,
    -0.0,
    1,
    0.5,
    1e-300,
    1e308,
    float("inf"),
    float("-inf"),
    float("nan"),
    2**64,
    10**40,
    "",
    " ",
    "nan",
    "1e400",
    "x" * 300,
    "../../../etc/passwd",
    "a/b/config.json",
    "h100",
    "glm-5.2",
    [],
    {},
    [1, 2],
    [2, 1],
    [1e308, 1e308],
    [0, float("nan")],
    None,
    True,
]

values = st.one_of(
    st.sampled_from(NASTY),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)


def _paths(doc, here=()) -> list[tuple]:
    out = [here]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*here, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*here, i))
    return out


def _parent(doc, path):
    for p in path[:-1]:
        doc = doc[p]
    return doc


@st.composite
def mutated_document(draw, doc: dict) -> tuple[dict, list[tuple]]:
    """A deep copy of ``doc`` with 1-3 structural mutations: a value replaced by a hostile one, a key
    deleted, an item or mapping duplicated, a value wrapped in a list or nested deep. Also returns the
    paths touched."""
    doc = copy.deepcopy(doc)
    touched = []
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _parent(doc, path), path[-1]
        op = draw(st.sampled_from(["replace", "replace", "replace", "delete", "duplicate", "wrap", "nest"]))
        if op == "replace":
            parent[key] = copy.deepcopy(draw(values))  # never the shared constant itself
        elif op == "delete":
            del parent[key]
        elif op == "duplicate" and isinstance(parent, list):
            parent.extend([copy.deepcopy(parent[key])] * draw(st.integers(1, 30)))
        elif op == "wrap":
            parent[key] = [parent[key]]
        elif op == "nest":
            inner = parent[key]
            for _ in range(draw(st.integers(1, 200))):
                inner = {"x": inner}
            parent[key] = inner
        shifts = op in ("delete", "duplicate") and isinstance(parent, list)
        touched.append(path[:-1] if shifts else path)  # later items of a list move: the list is touched
    return doc, touched


@st.composite
def mutated_text(draw, text: str) -> str:
    """``text`` with 1-4 text-level mutations: characters inserted, deleted or replaced, lines
    duplicated, swapped or re-indented, anchors and aliases sprinkled in."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["insert", "delete", "dup_line", "swap", "indent", "alias", "replace"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0))) if lines else 0
        if not lines:
            lines = [""]
        if op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.text(max_size=8)) + lines[i][at:]
        elif op == "delete":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + lines[i][at + draw(st.integers(1, 10)) :]
        elif op == "dup_line":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = " " * draw(st.integers(0, 6)) + lines[i].lstrip()
        elif op == "alias":
            lines[i] = lines[i].replace(": ", ": &a ", 1) if draw(st.booleans()) else lines[i] + " *a"
        else:
            lines[i] = draw(
                st.sampled_from(["a: *a", "<<: *a", "- " * 40, "{" * 80, "? [x]", "!!python/none", "x: !!binary 3"])
            )
    return "\n".join(lines) + "\n"


def as_json(data) -> str:
    """JSON text of a fuzzed document (NaN and infinities written as Python's json writes them)."""
    return json.dumps(data, default=str)
