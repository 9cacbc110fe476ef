"""What keeps one server healthy under hostile input and load: a body cap, an error shield that
keeps keep-alive connections open, a time budget per evaluation run off the event loop, and a
cache of repeated evaluations.

- ``BodyLimit``: bodies over ``limits.BODY_BYTES`` get 413 (by Content-Length, or by counting a
  chunked body), before any of it is parsed.
- ``ErrorShield``: the outermost layer. Starlette answers an unexpected exception with a 500 and then
  re-raises it, and uvicorn closes a connection whose application raised after its response began,
  so the client's next keep-alive request met a reset. The shield logs the exception and lets the
  connection live.
- ``Budget``: evaluations run in a small pool of threads, never on the event loop, so a slow one does
  not stall the others (the page, the catalog, the health of the server). Each has a time budget: past
  it the client gets 503 with the reason (a Python thread cannot be stopped, but the input limits
  bound what it can still cost, and its pool slot stays taken until it ends, so runaway work never
  piles up). When more evaluations wait than ``max_waiting``, new ones get 503 with Retry-After.
- ``ResponseCache``: the page sends the same state again and again (every redraw, every reload, every
  shared link): a bounded LRU of finished responses keyed by a hash of the request body.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from breakeven import limits

log = logging.getLogger("breakeven.web")

EVALUATION_BUDGET_S = 2.0
"""Wall-clock seconds one evaluation may take before the client gets 503 (the largest scenario the
limits allow evaluates in about 0.3 s on one core; docs/benchmarks.md)."""
EVALUATION_THREADS = 2
"""Threads evaluating at once per server process: the core is Python and numpy under one GIL, so
more threads add no throughput; two let a slow evaluation run beside the quick ones. More cores:
more processes (`breakeven serve --workers N`)."""
MAX_WAITING = 1000
"""Evaluations that may wait for a thread before new ones get 503 (about 3 s of work at 2 ms each)."""
CACHE_ENTRIES = 512
CACHE_BYTES = 64 * 1024 * 1024
"""The response cache holds at most this many responses and bytes (an evaluation with curves is about
50 kB, so a full cache is about 25 MB)."""


def problem(loc: list, msg: str, kind: str = "value_error", field: str | None = None) -> dict[str, Any]:
    """One entry of an error body: FastAPI's validation-error shape (loc, msg, type) plus ``field``,
    the path as the scenario file writes it (``candidates[2].gpus_per_replica``)."""
    return {"loc": loc, "msg": msg, "type": kind, "field": field or ".".join(str(p) for p in loc[1:]) or "body"}


async def _send_json(send, status: int, body: dict, headers: list[tuple[bytes, bytes]] = ()) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``max_bytes`` with 413 (and close the connection,
    since the rest of the body is left unread)."""

    def __init__(self, app, max_bytes: int = limits.BODY_BYTES) -> None:
        self.app, self.max_bytes = app, max_bytes

    def _too_large(self) -> dict:
        return {"detail": [problem(["body"], f"request body over {self.max_bytes:,} bytes", "too_large")]}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not (length.isascii() and length.isdigit()) or int(length) > self.max_bytes):
            await _send_json(send, 413, self._too_large(), [(b"connection", b"close")])
            return
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _BodyTooLarge:
            await _send_json(send, 413, self._too_large(), [(b"connection", b"close")])


class _BodyTooLarge(Exception):
    pass


class ErrorShield:
    """ASGI wrapper around the whole app: an exception that escapes it is logged, answered with a
    500 if no response has begun, and never re-raised to the server (which would close the
    keep-alive connection and reset the client's next request)."""

    def __init__(self, app) -> None:
        self.app = app

    def __getattr__(self, name: str):
        return getattr(self.app, name)  # the FastAPI app's openapi(), routes, state ...

    async def __call__(self, scope, receive, send) -> None:
        started = False

        async def tracking(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception:
            log.exception("unexpected error answering %s %s", scope.get("method"), scope.get("path"))
            if scope["type"] == "http" and not started:
                body = {
                    "detail": [problem(["server"], "internal error (a bug; the server is still up)", "internal_error")]
                }
                await _send_json(send, 500, body)


class OverBudget(Exception):
    """An evaluation the server will not finish for this request: ``reason`` says why (503)."""

    def __init__(self, reason: str, retry_after_s: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.retry_after_s = reason, retry_after_s


class Budget:
    """Runs blocking evaluations in a bounded thread pool, each with a time budget counted from when
    a thread takes it up (waiting in the queue does not count against it)."""

    def __init__(
        self,
        threads: int = EVALUATION_THREADS,
        budget_s: float = EVALUATION_BUDGET_S,
        max_waiting: int = MAX_WAITING,
    ) -> None:
        self.pool = concurrent.futures.ThreadPoolExecutor(threads, thread_name_prefix="breakeven-eval")
        self.budget_s, self.max_waiting = budget_s, max_waiting
        self.waiting = 0
        self.lock = threading.Lock()

    def _started(self, loop: asyncio.AbstractEventLoop, started: asyncio.Future, fn: Callable[[], Any]) -> Any:
        with self.lock:
            self.waiting -= 1
        loop.call_soon_threadsafe(lambda: started.done() or started.set_result(None))
        return fn()

    async def run(self, fn: Callable[[], Any]) -> Any:
        """``fn()`` in a worker thread; OverBudget when too many wait or it runs past the budget."""
        with self.lock:
            if self.waiting >= self.max_waiting:
                raise OverBudget(f"the server is busy ({self.waiting} evaluations waiting); try again", 1)
            self.waiting += 1
        loop = asyncio.get_running_loop()
        started = loop.create_future()
        done = loop.run_in_executor(self.pool, self._started, loop, started, fn)
        await asyncio.wait([started, done], return_when=asyncio.FIRST_COMPLETED)
        try:
            return await asyncio.wait_for(asyncio.shield(done), self.budget_s)
        except TimeoutError:
            raise OverBudget(
                f"the evaluation took longer than its {self.budget_s:g} s budget; "
                "try fewer candidates, or ask again when the server is less busy",
                5,
            ) from None

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


class ResponseCache:
    """A bounded LRU of finished responses (status, JSON bytes) keyed by endpoint and body hash."""

    def __init__(self, max_entries: int = CACHE_ENTRIES, max_bytes: int = CACHE_BYTES) -> None:
        self.entries: OrderedDict[bytes, tuple[int, bytes]] = OrderedDict()
        self.max_entries, self.max_bytes, self.bytes = max_entries, max_bytes, 0
        self.hits = self.misses = 0

    @staticmethod
    def key(endpoint: str, body: bytes) -> bytes:
        return hashlib.sha256(endpoint.encode() + b"\0" + body).digest()

    def get(self, key: bytes) -> tuple[int, bytes] | None:
        found = self.entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self.entries.move_to_end(key)
        return found

    def put(self, key: bytes, status: int, payload: bytes) -> None:
        if len(payload) > self.max_bytes // 8 or key in self.entries:
            return
        self.entries[key] = (status, payload)
        self.bytes += len(payload)
        while len(self.entries) > self.max_entries or self.bytes > self.max_bytes:
            _, (_, old) = self.entries.popitem(last=False)
            self.bytes -= len(old)
