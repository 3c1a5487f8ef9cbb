"""The device cookie: a random id a browser keeps for two years, recorded (hashed) at each sign-in, so
that two accounts signing in from one browser raise the ``shared_device`` collusion signal
(docs/trust.md). It identifies a browser, not a person, and says nothing by itself."""

from __future__ import annotations

import re
import secrets

from fastapi import Request, Response

from microcareer.bootstrap import Platform
from microcareer.services import collusion

DEVICE_COOKIE = "mc_device"
DEVICE_COOKIE_SECONDS = 2 * 365 * 24 * 3600
_WELL_FORMED = re.compile(r"[A-Za-z0-9_-]{32}")


def remember_device(request: Request, response: Response, platform: Platform, user_id: int) -> None:
    """Record the browser's device id for ``user_id`` (a new one when it has none or a malformed one)."""
    kept = request.cookies.get(DEVICE_COOKIE, "")
    device = kept if _WELL_FORMED.fullmatch(kept) else secrets.token_urlsafe(24)
    collusion.record_sign_in_device(platform.uow(), user_id=user_id, device_id=device, now=platform.clock())
    response.set_cookie(
        DEVICE_COOKIE,
        device,
        max_age=DEVICE_COOKIE_SECONDS,
        path="/",
        httponly=True,
        samesite="lax",
        secure=platform.settings.cookie_secure,
    )
