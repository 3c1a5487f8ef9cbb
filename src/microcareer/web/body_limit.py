"""Request bodies over a size limit are refused (413) before they are read, for the API and the web.

A body that declares its size (``Content-Length``) over the limit is answered at once, its bytes never
read; a chunked body is counted as it streams in, and reading stops at the first chunk past the limit.
File uploads (``multipart/form-data``) may be larger than other bodies: ``MICROCAREER_MAX_UPLOAD_BODY_BYTES``
against ``MICROCAREER_MAX_BODY_BYTES`` for JSON, forms and the rest. The API answers RFC 9457 problem
details, a browser a page of the site (a page that reads its own form shows the refusal in the form).

Pure ASGI middleware, so nothing is buffered on the way.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from microcareer.api.problems import problem
from microcareer.web.error_pages import error_page, wants_page

UPLOAD_TYPE = "multipart/form-data"


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes its limit; the app renders it as any 413."""

    def __init__(self, limit: int, setting: str) -> None:
        super().__init__(413, body_too_large(limit, setting))


def body_too_large(limit: int, setting: str) -> str:
    return f"request body: over the limit of {limit:,} bytes for this request (MICROCAREER_{setting})"


class BodySizeLimit:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_upload_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_body_bytes = max_upload_body_bytes

    def limit_for(self, headers: Headers) -> tuple[int, str]:
        """The byte limit of a request with these headers, and the setting that holds it."""
        kind = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if kind == UPLOAD_TYPE:
            return self.max_upload_body_bytes, "MAX_UPLOAD_BODY_BYTES"
        return self.max_body_bytes, "MAX_BODY_BYTES"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit, setting = self.limit_for(headers)
        declared = headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > limit:
            response = await _refusal(Request(scope), body_too_large(limit, setting))
            await response(scope, receive, send)
            return

        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit, setting)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge as exc:  # read outside the app's own error handling
            if started:
                raise
            response = await _refusal(Request(scope), str(exc.detail))
            await response(scope, receive, send)


async def _refusal(request: Request, detail: str) -> Response:
    if wants_page(request):
        # the page shows who is signed in, which reads the store: not on the event loop
        return await run_in_threadpool(error_page, request, HTTPException(413, detail))
    return problem(413, "body_too_large", "Body too large", detail, request.url.path)
