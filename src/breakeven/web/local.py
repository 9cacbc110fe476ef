"""Running the app on loopback inside a process (for browser tests and benchmarks)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import uvicorn

from breakeven.web.app import create_app

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
"""Flags for a headless Debian chromium on a machine without network (no background traffic)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def live_server(start_timeout_s: float = 20.0, app=None):
    """The app (default: a new one) served by uvicorn in a thread on 127.0.0.1; yields its base URL;
    stops on exit."""
    port = free_port()
    config = uvicorn.Config(app or create_app(), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout_s
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the local server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
