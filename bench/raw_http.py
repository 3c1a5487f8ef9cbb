"""A light HTTP/1.1 load client: one keep-alive connection per task over asyncio streams.

httpx spends about as much CPU per request as the server does (5 ms a request at 64 connections on
this machine, measured with /proc while bench_mixed_load ran), so on a 2-core machine the client took
half the CPU the server needed. This client writes the request bytes itself and reads the answer by
its Content-Length (or chunks): a fraction of that. It speaks only what the bench sends (JSON bodies,
raw bytes, query parameters) to a server it trusts; anything else still goes through httpx.

``RawConnection.request`` takes the subset of ``httpx.AsyncClient.request``'s arguments the bench
uses and raises ``httpx.TransportError`` when the connection fails, so callers treat both alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import json as jsonlib
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx


class RawResponse:
    def __init__(self, status_code: int, content: bytes) -> None:
        self.status_code = status_code
        self.content = content

    def json(self) -> Any:
        return jsonlib.loads(self.content)


class RawConnection:
    """One connection to ``base_url`` (``http://host:port``), opened on first use and again after the
    server closes it; one request at a time."""

    def __init__(self, base_url: str, timeout: float = 120.0) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.timeout = timeout
        self._host_header = f"{self.host}:{self.port}"
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(
        self,
        method: str,
        path: str,
        headers: dict[str, str] | None = None,
        *,
        json: Any = None,
        params: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> RawResponse:
        body = b""
        lines = [f"Host: {self._host_header}"]
        if json is not None:
            body = jsonlib.dumps(json).encode("utf-8")
            lines.append("Content-Type: application/json")
        elif content is not None:
            body = content
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if body or method not in ("GET", "HEAD"):
            lines.append(f"Content-Length: {len(body)}")
        target = f"{path}?{urlencode(params)}" if params else path
        head = f"{method} {target} HTTP/1.1\r\n" + "\r\n".join(lines) + "\r\n\r\n"
        try:
            return await asyncio.wait_for(self._exchange(head.encode("latin-1") + body), self.timeout)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as error:
            await self.close()
            raise httpx.TransportError(f"{type(error).__name__}: {error}") from error
        except TimeoutError as error:
            await self.close()
            raise httpx.TimeoutException(f"no answer in {self.timeout} s") from error

    async def _exchange(self, data: bytes) -> RawResponse:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._streams
        writer.write(data)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        length, chunked, close = None, False, False
        for line in header_lines:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        if chunked:
            content = await self._chunks(reader)
        elif length is not None:
            content = await reader.readexactly(length)
        else:  # no length: the body runs to the end of the connection
            content, close = await reader.read(), True
        if close:
            await self.close()
        return RawResponse(status, content)

    @staticmethod
    async def _chunks(reader: asyncio.StreamReader) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)

    async def close(self) -> None:
        if self._streams is not None:
            writer = self._streams[1]
            self._streams = None
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
