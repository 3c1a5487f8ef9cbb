"""A real ``microcareer serve`` for the browser tests: a fresh SQLite database made by ``init --demo``,
served on a free local port in a subprocess, with ``MICROCAREER_PUBLIC_URL`` set to that address."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

# Generous: on a loaded 2-core CI machine `init --demo` (the whole ESCO taxonomy, the extraction lexicon
# and the demo's signed credentials) takes about 12 s alone, far longer when other jobs run beside it.
INIT_TIMEOUT_S = 600
READY_TIMEOUT_S = 180
DEMO_PASSWORD = "microcareer-demo"  # src/microcareer/data/demo.json


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:PORT, also the server's MICROCAREER_PUBLIC_URL
    log: Path  # what `init` and `serve` printed, for reading when something fails

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_environment(folder: Path, url: str) -> dict[str, str]:
    """The parent's environment without its MICROCAREER_* settings (never the shared PostgreSQL), plus a
    private SQLite file, cache and secret; cheap password hashing so signing in is quick."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("MICROCAREER_")}
    env.update(
        MICROCAREER_ENVIRONMENT="development",
        MICROCAREER_DATABASE_URL=f"sqlite:///{folder / 'e2e.sqlite3'}",
        MICROCAREER_CACHE_DIR=str(folder / "cache"),
        MICROCAREER_PUBLIC_URL=url,
        MICROCAREER_SECRET_KEY=secrets.token_urlsafe(32),
        MICROCAREER_ARGON2_TIME_COST="1",
        MICROCAREER_ARGON2_MEMORY_KIB="1024",
        PYTHONUNBUFFERED="1",
    )
    return env


@contextmanager
def live_server(folder: Path, log: Path) -> Iterator[LiveServer]:
    """Prepares the database, starts the server, waits until ``/api/v1/health`` answers, and stops the
    server (and waits for it) on the way out."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = server_environment(folder, url)
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "microcareer"]
    with log.open("w", encoding="utf-8") as out:
        init = subprocess.run(
            [*command, "init", "--demo", "--quiet"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=INIT_TIMEOUT_S,
            check=False,
        )
    server = LiveServer(url=url, log=log)
    if init.returncode != 0:
        raise RuntimeError(f"`microcareer init --demo` failed ({init.returncode}):\n{server.log_tail()}")
    with log.open("a", encoding="utf-8") as out:
        process = subprocess.Popen(
            [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_ready(process, server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(process: subprocess.Popen[bytes], server: LiveServer) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"`microcareer serve` exited ({process.returncode}):\n{server.log_tail()}")
        try:
            if httpx.get(f"{server.url}/api/v1/health", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"`microcareer serve` not ready after {READY_TIMEOUT_S} s:\n{server.log_tail()}")
