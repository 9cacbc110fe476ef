"""A throwaway PostgreSQL server for tests: ``initdb`` and ``pg_ctl`` from Debian's ``postgresql``
package (the README's test command installs it), in a temporary directory, listening on a free
loopback port; run as the ``postgres`` (or ``nobody``) user when the tests run as root, since the
server refuses to run as root."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

USER = "breakeven"
"""The database superuser initdb creates (trust authentication on loopback)."""


def server_binary(name: str) -> str:
    """``name`` on PATH, else in the newest /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True)
    for folder in versions:
        if (folder / name).exists():
            return str(folder / name)
    raise FileNotFoundError(f"{name} not found: install Debian's postgresql package (apt-get install -y postgresql)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and no postgres or nobody user to run the server as")


@dataclass(frozen=True)
class Server:
    url: str
    log: Path
    """The server's log; every statement is logged (log_statement=all)."""


@contextmanager
def postgres_server() -> Iterator[Server]:
    """Start a server; yields its URL and log; stops it and removes its files afterwards."""
    initdb, pg_ctl = server_binary("initdb"), server_binary("pg_ctl")
    user = _run_as()
    home = Path(tempfile.mkdtemp(prefix="breakeven-pg-"))
    if user:
        shutil.chown(home, user)
    data, port = home / "data", _free_port()
    options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off -c log_statement=all"
    run = dict(user=user, check=True, capture_output=True, text=True)
    try:
        subprocess.run([initdb, "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8"], **run)
        subprocess.run([pg_ctl, "-D", str(data), "-o", options, "-l", str(home / "log"), "-w", "start"], **run)
        yield Server(f"postgresql://{USER}@127.0.0.1:{port}/postgres", home / "log")
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([pg_ctl, "-D", str(data), "-m", "immediate", "stop"], user=user, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)
