"""Hostile uploads against a live server (issue 15, point 1): for each, the answer, how long it took, and
the server's memory (its own RSS, and with its document reader processes) before and after.

The server is started here (uvicorn, a fresh SQLite database, one user with an API token) from the
source tree ``--src`` (default: this checkout's ``src``), so the same files can be sent to an older
tree side by side. ``--scale`` shrinks the files (0.1: a tenth of the paragraphs, pages and bytes) for a
tree that would take minutes on the full ones.

Run: ``nice python -m bench.bench_hostile_uploads [--src PATH] [--scale 1.0] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the hostile file builders live with the tests

from tests.unit.adapters.hostile_documents import (  # noqa: E402
    big_html,
    empty_paragraphs_docx,
    inflating_docx,
    lying_docx,
    many_pages_pdf,
)

from bench import report_file  # noqa: E402

SETUP = """
import sys
from microcareer.bootstrap import bootstrap
from microcareer.config import Settings
from microcareer.domain.accounts import Actor
from microcareer.services import tokens, users
from microcareer.store import migrate
from microcareer.adapters.passwords import Argon2PasswordHasher
platform = bootstrap(Settings(), passwords=Argon2PasswordHasher(time_cost=1, memory_kib=8))
migrate.upgrade(platform.engine)
user = users.create_user(platform.uow(), actor=Actor.system(), email="bench@example.org",
    display_name="Bench", password="correct horse battery staple", roles=["professional"],
    passwords=platform.passwords, clock=platform.clock, allow_signup=True)
print(tokens.create_token(platform.uow(), actor=Actor.system(), user_id=user.id, name="bench",
    clock=platform.clock).plaintext)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def live_server(src: Path, folder: Path) -> Iterator[tuple[str, str, int]]:
    env = {
        **os.environ,
        "PYTHONPATH": str(src),
        "MICROCAREER_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "MICROCAREER_CACHE_DIR": str(folder / "cache"),
    }
    token = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "microcareer.asgi:create_app", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/api/v1/openapi.json", timeout=2).status_code == 200:
                    break
            time.sleep(0.2)
        yield url, token, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def _rss(pid: int) -> int:
    """A process's resident bytes (Linux ``/proc``); 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _descendants(pid: int) -> list[int]:
    """Every process under ``pid``: the children of each of its threads (a thread starts the readers)."""
    found: list[int] = []
    listed: list[str] = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            listed += children.read_text(encoding="ascii").split()
    for child in map(int, listed):
        found += [child, *_descendants(child)]
    return found


def _rss_mib(pid: int) -> tuple[float, float]:
    """The server's own RSS, and with its child processes (the document readers), in MiB."""
    own = _rss(pid)
    children = sum(_rss(child) for child in _descendants(pid))
    return round(own / 2**20, 1), round((own + children) / 2**20, 1)


def _chunks(size: int) -> Iterator[bytes]:
    yield b'{"documents": [{"text": "'
    for _ in range(size // 65536):
        yield b"a" * 65536
    yield b'"}]}'


def cases(scale: float) -> list[tuple[str, dict[str, Any]]]:
    def n(count: int) -> int:
        return max(1, int(count * scale))

    upload = "/api/v1/extract/file"
    return [
        (
            "docx: 3M empty paragraphs",
            {"path": upload, "file": ("spacing.docx", empty_paragraphs_docx(n(3_000_000)))},
        ),
        (
            "docx: zip bomb, honest sizes",
            {"path": upload, "file": ("bomb.docx", inflating_docx(n(64 * 2**20)))},
        ),
        (
            "docx: zip bomb, sizes declared small",
            {"path": upload, "file": ("liar.docx", lying_docx(1000, n(64 * 2**20)))},
        ),
        ("pdf: 60,000 pages", {"path": upload, "file": ("book.pdf", many_pages_pdf(n(60_000)))}),
        ("html: 23 MB", {"path": upload, "file": ("page.html", big_html(n(23 * 2**20)))}),
        ("json: 50 MB body", {"path": "/api/v1/extract", "json_bytes": n(50 * 2**20)}),
        ("json: 50 MB chunked body", {"path": "/api/v1/extract", "chunked": n(50 * 2**20)}),
        ("txt: a normal CV", {"path": upload, "file": ("cv.txt", b"Python, SQL and statistics.\n" * 20)}),
    ]


def run(src: Path, scale: float, timeout: float) -> dict[str, Any]:
    built = cases(scale)
    results = []
    with tempfile.TemporaryDirectory() as folder, live_server(src, Path(folder)) as (url, token, server):
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=url, headers=headers, timeout=timeout) as client:
            start_rss = _rss_mib(server)
            for name, case in built:
                before = _rss_mib(server)
                began = time.perf_counter()
                try:
                    if "file" in case:
                        filename, data = case["file"]
                        response = client.post(
                            case["path"], files={"file": (filename, data)}, data={"methods": "lexical"}
                        )
                    elif "json_bytes" in case:
                        body = b"".join(_chunks(case["json_bytes"]))
                        response = client.post(
                            case["path"], content=body, headers={"Content-Type": "application/json"}
                        )
                    else:
                        response = client.post(
                            case["path"],
                            content=_chunks(case["chunked"]),
                            headers={"Content-Type": "application/json"},
                        )
                    status: int | str = response.status_code
                    detail = (
                        str(response.json().get("detail", ""))[:160]
                        if response.headers.get("content-type", "").endswith("json")
                        else ""
                    )
                except httpx.HTTPError as error:
                    status, detail = "no answer", f"{type(error).__name__}: {error}"[:160]
                seconds = round(time.perf_counter() - began, 3)
                after = _rss_mib(server)
                size = (
                    len(case["file"][1]) if "file" in case else case.get("json_bytes") or case.get("chunked")
                )
                results.append(
                    {
                        "case": name,
                        "bytes_sent": size,
                        "status": status,
                        "seconds": seconds,
                        "detail": detail,
                        "rss_mib_before": before,
                        "rss_mib_after": after,
                    }
                )
                print(
                    f"{name:<40} {status!s:>9} {seconds:8.2f} s  rss {before[0]:7.1f} -> {after[0]:7.1f} MiB"
                    f" (with readers {before[1]:7.1f} -> {after[1]:7.1f})  {detail[:70]}",
                    flush=True,
                )
            end_rss = _rss_mib(server)
    return {
        "src": str(src),
        "scale": scale,
        "server_rss_mib_start": start_rss,
        "server_rss_mib_end": end_rss,
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one answer")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    report = {
        **report_file.header("hostile-uploads", "bench.bench_hostile_uploads", sys.argv[1:]),
        **run(args.src.resolve(), args.scale, args.timeout),
    }
    if args.out:
        report_file.write(report, args.out)


if __name__ == "__main__":
    main()
