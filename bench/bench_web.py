"""Benchmarks of the knobs page, measured in Debian's headless Chromium, and of the JSON API.

    python bench/bench_web.py [--moves 100] [--spread-moves 20] [--clients 4] [--requests 100]

1. Slider latency: the time from a slider's input event to the redrawn chart (the page records it:
   window.breakevenStats.latencies), over --moves keyboard moves of the monthly-users slider, each
   sent as soon as the point answer is drawn (the Monte Carlo of the one before may still run); then
   --spread-moves moves each waiting for the Monte Carlo too (the page's default 2,000 samples): the
   time from the input to the spread drawn (window.breakevenStats.spreadLatencies); then one mouse
   drag across the slider, counting input events and the requests they were coalesced into.
2. API load: --clients threads each POST --requests scenarios to /api/evaluate on loopback
   (bounded in count and by a 120 s limit); requests per second and latency percentiles.
Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from pathlib import Path

import httpx
import numpy as np
import yaml
from rich.console import Console
from rich.table import Table

from breakeven.web.local import CHROMIUM_ARGS, live_server

ROOT = Path(__file__).resolve().parent.parent


SETTLED = "window.breakevenStats.inputs.size === 0 && !window.breakevenStats.spreadPending"
"""No input awaits its redraw and no Monte Carlo is on its way."""


def _press(page, moves: int, wait_for: str, offset: int = 0) -> None:
    """``moves`` key presses on the focused slider (ten one way, ten back), each after ``wait_for``."""
    for i in range(offset, offset + moves):
        drawn = page.evaluate("window.breakevenStats.drawn")
        page.keyboard.press("ArrowRight" if (i // 10) % 2 == 0 else "ArrowLeft")
        page.wait_for_function(f"window.breakevenStats.drawn > {drawn} && {wait_for}", timeout=30_000)


def slider_latencies(base_url: str, moves: int, spread_moves: int) -> tuple[list[float], list[float], tuple]:
    """Latencies of ``moves`` key presses on the monthly-users slider (input -> point answer drawn),
    of ``spread_moves`` more (input -> Monte Carlo drawn), and one mouse drag across it: (input
    events, point requests, Monte Carlo requests, seconds)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base_url + "/")
        page.wait_for_function(f"window.breakevenStats && window.breakevenStats.drawn > 0 && {SETTLED}", timeout=30_000)
        page.evaluate("window.breakevenStats.latencies.length = 0")
        page.focus("#mau")
        _press(page, moves, "window.breakevenStats.inputs.size === 0")
        lat = page.evaluate("window.breakevenStats.latencies")
        page.wait_for_function(SETTLED, timeout=30_000)
        page.evaluate("window.breakevenStats.spreadLatencies.length = 0")
        _press(page, spread_moves, SETTLED, offset=moves)
        spread = page.evaluate("window.breakevenStats.spreadLatencies")
        drag = _drag(page)
        browser.close()
    return lat, spread, drag


def _drag(page) -> tuple[int, int, int, float]:
    page.evaluate(
        "window.__moves = []; document.getElementById('mau').addEventListener('input', "
        "ev => window.__moves.push(ev.timeStamp))"
    )
    requests, spreads = page.evaluate("[window.breakevenStats.requests, window.breakevenStats.spreadRequests]")
    box = page.locator("#mau").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 5, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 5, y, steps=60)
    page.mouse.up()
    page.wait_for_function(SETTLED, timeout=30_000)
    page.wait_for_timeout(300)
    moves = page.evaluate("window.__moves")
    sent, spread = page.evaluate("[window.breakevenStats.requests, window.breakevenStats.spreadRequests]")
    return len(moves), sent - requests, spread - spreads, (moves[-1] - moves[0]) / 1000


def api_load(base_url: str, clients: int, requests: int, limit_s: float = 120.0) -> tuple[list[float], float]:
    body = json.loads(json.dumps(yaml.safe_load((ROOT / "examples" / "glm-team.yaml").read_text()), default=str))
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + limit_s

    def worker() -> None:
        with httpx.Client(base_url=base_url, timeout=30) as c:
            for _ in range(requests):
                if time.monotonic() > stop_at:
                    return
                t = time.perf_counter()
                c.post("/api/evaluate", json=body).raise_for_status()
                with lock:
                    latencies.append(time.perf_counter() - t)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--moves", type=int, default=100)
    parser.add_argument("--spread-moves", type=int, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    with live_server() as url:
        latencies, spread, (events, sent, spreads, seconds) = slider_latencies(url, args.moves, args.spread_moves)
        lat, wall = api_load(url, args.clients, args.requests)
    ms = np.array(lat) * 1e3
    table = Table(title="breakeven web benchmarks")
    for col in ("case", "n", "p50", "p95", "p99", "throughput"):
        table.add_column(col, justify="left" if col == "case" else "right")
    for case, values in (
        ("slider input -> redrawn chart (Chromium)", latencies),
        ("slider input -> Monte Carlo drawn (2,000 samples)", spread),
    ):
        table.add_row(case, str(len(values)), *(f"{np.percentile(values, q):.1f} ms" for q in (50, 95, 99)), "")
    table.add_row(
        f"POST /api/evaluate, {args.clients} clients",
        str(len(ms)),
        f"{np.percentile(ms, 50):.1f} ms",
        f"{np.percentile(ms, 95):.1f} ms",
        f"{np.percentile(ms, 99):.1f} ms",
        f"{len(ms) / wall:.0f} req/s",
    )
    Console().print(table)
    Console().print(
        f"one mouse drag across the slider: {events} input events in {seconds:.2f} s -> {sent} evaluations"
        f" and {spreads} Monte Carlo (after the release)"
    )


if __name__ == "__main__":
    main()
