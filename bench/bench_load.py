"""Load on one local server: bounded clients on loopback POST scenarios to /api/evaluate.

    python bench/bench_load.py [--clients 20,50,200] [--seconds 10] [--workers 1] [--bodies same,distinct]

For each client count and body mix, a fresh `breakeven serve` starts on 127.0.0.1 (a subprocess, so
its CPU time is its own), N clients each hold one keep-alive connection and send requests one after
another until the time is up, and the server stops. Bodies: ``same`` sends the glm-team scenario
every time (as the page does while nothing changes: answered from the cache); ``distinct`` changes the
monthly users on every request (every one a cache miss: a full evaluation). Printed per run:
requests, throughput, latency p50/p95/p99, errors (non-200 or broken connections), server CPU
per request (user + system time of the server process and its workers, from /proc, over requests)
and the server's resident memory at the end of the run.

Only loopback addresses; every client stops at the deadline; the server is stopped at the end.
Figures, not assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from breakeven import safe_yaml
from breakeven.web.local import free_port

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
MAX_REQUESTS_PER_RUN = 200_000
"""A run stops at this many requests even before its time is up."""
REQUEST_TIMEOUT_S = 30.0
"""A request unanswered after this long counts as an error. No request starts after the run's time is
up; those in flight then are waited for (up to this long), so a run lasts at most its time plus this."""


def _bodies(kind: str):
    data = safe_yaml.load((ROOT / "src/breakeven/examples/glm-team.yaml").read_text(), "glm-team")
    data = json.loads(json.dumps(data, default=str))
    if kind == "same":
        body = json.dumps(data).encode()
        return itertools.repeat(body)

    def varied():
        for users in itertools.count(1000):
            data["workload"]["users"]["monthly_active"] = users
            yield json.dumps(data).encode()

    return varied()


def _request(body: bytes) -> bytes:
    head = (
        f"POST /api/evaluate HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, body: bytes) -> int:
    writer.write(_request(body))
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def _client(port: int, bodies, deadline: float, latencies: list[float], errors: list[str]) -> None:
    conn = None
    while time.monotonic() < deadline and len(latencies) + len(errors) < MAX_REQUESTS_PER_RUN:
        try:
            if conn is None:
                conn = await asyncio.open_connection(HOST, port)
            start = time.perf_counter()
            status = await asyncio.wait_for(_one(*conn, next(bodies)), timeout=REQUEST_TIMEOUT_S)
            if status == 200:
                latencies.append(time.perf_counter() - start)
            else:
                errors.append(f"HTTP {status}")
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            errors.append(exc.__class__.__name__)
            conn = None
    if conn is not None:
        conn[1].close()


def _server_usage(pid: int) -> tuple[float, float]:
    """(user + system CPU seconds, resident MB) of a process and its children (uvicorn's workers),
    from /proc."""
    cpu, rss, tick, page = 0.0, 0.0, os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            cpu += (int(fields[11]) + int(fields[12])) / tick
            rss += int(fields[21]) * page / 1e6
    return cpu, rss


def _start_server(port: int, workers: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "breakeven", "serve", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    import socket

    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex((HOST, port)) == 0:
                return proc
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")


async def _load(port: int, clients: int, seconds: float, kind: str):
    bodies = _bodies(kind)
    latencies: list[float] = []
    errors: list[str] = []
    # warm the server (imports, catalogs, first evaluation) before the clock starts
    await _client(port, _bodies(kind), time.monotonic() + 1.0, [], [])
    start = time.monotonic()
    deadline = start + seconds
    await asyncio.gather(*(_client(port, bodies, deadline, latencies, errors) for _ in range(clients)))
    return latencies, errors, time.monotonic() - start


def run(clients: int, seconds: float, workers: int, kind: str) -> tuple:
    port = free_port()
    server = _start_server(port, workers)
    try:
        cpu_before, _ = _server_usage(server.pid)
        latencies, errors, elapsed = asyncio.run(_load(port, clients, seconds, kind))
        cpu_after, rss = _server_usage(server.pid)
        cpu = cpu_after - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=30)
    return latencies, errors, elapsed, cpu, rss


def _pct(values: list[float], q: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1e3:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", default="20,50,200", help="client counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each run")
    parser.add_argument("--workers", type=int, default=1, help="server processes (breakeven serve --workers)")
    parser.add_argument("--bodies", default="same,distinct", help="same, distinct, or both")
    args = parser.parse_args()
    table = Table(title=f"POST /api/evaluate on {HOST}, {args.workers} server process(es), {args.seconds:g} s per run")
    columns = (
        "clients",
        "bodies",
        "requests",
        "req/s",
        "p50",
        "p95",
        "p99",
        "errors",
        "server CPU/request",
        "server RSS",
    )
    for col in columns:
        table.add_column(col, justify="right")
    for kind in args.bodies.split(","):
        for clients in (int(c) for c in args.clients.split(",")):
            latencies, errors, elapsed, cpu, rss = run(clients, args.seconds, args.workers, kind)
            done = len(latencies) + len(errors)
            table.add_row(
                str(clients),
                kind,
                f"{done:,}",
                f"{len(latencies) / elapsed:,.0f}",
                _pct(latencies, 0.50),
                _pct(latencies, 0.95),
                _pct(latencies, 0.99),
                f"{len(errors)}" + (f" ({', '.join(sorted(set(errors)))})" if errors else ""),
                f"{cpu / max(done, 1) * 1e3:.2f} ms",
                f"{rss:.0f} MB",
            )
    Console(width=160).print(table)


if __name__ == "__main__":
    main()
