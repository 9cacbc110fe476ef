"""Benchmarks of the knobs page, measured in Debian's headless Chromium, and of the JSON API.

    python bench/bench_web.py [--moves 100] [--clients 4] [--requests 100]

1. Slider latency: the time from a slider's input event to the redrawn chart (the page records it:
   window.breakevenStats.latencies), over --moves keyboard moves of the monthly-users slider; then one
   mouse drag across it, counting input events and the evaluation requests they were coalesced into.
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


def slider_latencies(base_url: str, moves: int) -> tuple[list[float], tuple[int, int, float]]:
    """Latencies of ``moves`` key presses on the monthly-users slider, and one mouse drag across it:
    (input events, evaluation requests, seconds)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base_url + "/")
        page.wait_for_function("window.breakevenStats && window.breakevenStats.drawn > 0", timeout=30_000)
        page.evaluate("window.breakevenStats.latencies.length = 0")
        page.focus("#mau")
        for i in range(moves):
            drawn = page.evaluate("window.breakevenStats.drawn")
            page.keyboard.press("ArrowRight" if (i // 10) % 2 == 0 else "ArrowLeft")
            page.wait_for_function(f"window.breakevenStats.drawn > {drawn} && window.breakevenStats.inputs.size === 0")
        lat = page.evaluate("window.breakevenStats.latencies")
        drag = _drag(page)
        browser.close()
    return lat, drag


def _drag(page) -> tuple[int, int, float]:
    page.evaluate(
        "window.__moves = []; document.getElementById('mau').addEventListener('input', "
        "ev => window.__moves.push(ev.timeStamp))"
    )
    requests = page.evaluate("window.breakevenStats.requests")
    box = page.locator("#mau").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 5, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 5, y, steps=60)
    page.mouse.up()
    page.wait_for_function("window.breakevenStats.inputs.size === 0")
    page.wait_for_timeout(300)
    moves = page.evaluate("window.__moves")
    sent = page.evaluate("window.breakevenStats.requests") - requests
    return len(moves), sent, (moves[-1] - moves[0]) / 1000


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
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    with live_server() as url:
        latencies, (events, sent, seconds) = slider_latencies(url, args.moves)
        slider = np.array(latencies)
        lat, wall = api_load(url, args.clients, args.requests)
    ms = np.array(lat) * 1e3
    table = Table(title="breakeven web benchmarks")
    for col in ("case", "n", "p50", "p95", "p99", "throughput"):
        table.add_column(col, justify="left" if col == "case" else "right")
    table.add_row(
        "slider input -> redrawn chart (Chromium)",
        str(len(slider)),
        f"{np.percentile(slider, 50):.1f} ms",
        f"{np.percentile(slider, 95):.1f} ms",
        f"{np.percentile(slider, 99):.1f} ms",
        "",
    )
    table.add_row(
        f"POST /api/evaluate, {args.clients} clients",
        str(len(ms)),
        f"{np.percentile(ms, 50):.1f} ms",
        f"{np.percentile(ms, 95):.1f} ms",
        f"{np.percentile(ms, 99):.1f} ms",
        f"{len(ms) / wall:.0f} req/s",
    )
    Console().print(table)
    Console().print(f"one mouse drag across the slider: {events} input events in {seconds:.2f} s -> {sent} evaluations")


if __name__ == "__main__":
    main()
