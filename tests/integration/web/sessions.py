"""Signing a test client in as an actor's user, as the web does: a session cookie, and the CSRF token
of a page that user may open."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.services.sessions import SESSION_COOKIE, start_session


def sign_in_on(client: TestClient, platform: Platform, actor: Actor, page: str) -> str:
    """Sets the session cookie of ``actor``'s user; returns the CSRF token ``page`` carries."""
    assert actor.user_id is not None
    with platform.uow() as uow:
        user = uow.accounts.get_user(actor.user_id)
    assert user is not None
    session = start_session(platform.uow(), user=user, clock=platform.clock, session_hours=1)
    client.cookies.set(SESSION_COOKIE, session.token)
    opened = client.get(page)
    assert opened.status_code == 200, opened.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', opened.text)
    assert found is not None
    return found.group(1)
