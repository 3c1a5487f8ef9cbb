"""The public portfolio page: a handle (its stable URL ``/p/<handle>``), a headline, a narrative that
ties the gigs together, items (each with the contract or credential behind it), and what the owner
chooses to show; its schema.org ``Person`` markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from microcareer.errors import InvalidInput

HANDLE = re.compile(r"[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])")
RESERVED_HANDLES = frozenset({"new", "edit", "me", "admin", "api", "static"})
HEADLINE_MAX = 200
NARRATIVE_MAX = 5_000
TITLE_MAX = 200
DESCRIPTION_MAX = 2_000
URL_MAX = 2_000
ITEMS_MAX = 50
ITEM_SKILLS_MAX = 20


@dataclass(frozen=True, slots=True)
class PortfolioSettings:
    """The page and what shows on it; nothing is published until the owner says so."""

    handle: str
    headline: str = ""
    narrative: str = ""
    published: bool = False
    show_credentials: bool = True
    show_reputation: bool = True
    show_skills: bool = True


@dataclass(frozen=True, slots=True)
class PortfolioItem:
    title: str
    description: str = ""
    link: str = ""
    image_url: str = ""
    skills: tuple[str, ...] = ()
    contract_id: int | None = None
    wallet_entry_id: int | None = None


@dataclass(frozen=True, slots=True)
class StoredItem:
    id: int
    user_id: int
    position: int
    item: PortfolioItem


def check_handle(text: str) -> str:
    handle = text.strip().lower()
    if not HANDLE.fullmatch(handle) or "--" in handle:
        raise InvalidInput(
            "handle: 3 to 40 lower-case letters, digits and single hyphens, starting and ending with a "
            f"letter or digit, not {text!r}",
            field="handle",
        )
    if handle in RESERVED_HANDLES:
        raise InvalidInput(f"handle: {handle!r} is reserved", field="handle")
    return handle


def _limited(text: str, most: int, name: str) -> str:
    value = text.strip()
    if len(value) > most:
        raise InvalidInput(f"{name}: at most {most} characters, not {len(value)}", field=name)
    return value


def web_url(text: str, name: str) -> str:
    """An absolute http(s) URL or nothing: no ``javascript:``, ``data:`` or relative links."""
    value = _limited(text, URL_MAX, name)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"{name}: an http:// or https:// address, not {value[:80]!r}", field=name)
    if any(c.isspace() or ord(c) < 32 for c in value):
        raise InvalidInput(f"{name}: an address without spaces or control characters", field=name)
    return value


def check_settings(settings: PortfolioSettings) -> PortfolioSettings:
    return PortfolioSettings(
        handle=check_handle(settings.handle),
        headline=_limited(settings.headline, HEADLINE_MAX, "headline"),
        narrative=_limited(settings.narrative, NARRATIVE_MAX, "narrative"),
        published=settings.published,
        show_credentials=settings.show_credentials,
        show_reputation=settings.show_reputation,
        show_skills=settings.show_skills,
    )


def check_item(item: PortfolioItem) -> PortfolioItem:
    title = _limited(item.title, TITLE_MAX, "title")
    if not title:
        raise InvalidInput("title: an item needs a title", field="title")
    skills = tuple(dict.fromkeys(item.skills))
    if len(skills) > ITEM_SKILLS_MAX:
        raise InvalidInput(f"skills: at most {ITEM_SKILLS_MAX} per item", field="skills")
    return PortfolioItem(
        title=title,
        description=_limited(item.description, DESCRIPTION_MAX, "description"),
        link=web_url(item.link, "link"),
        image_url=web_url(item.image_url, "image_url"),
        skills=skills,
        contract_id=item.contract_id,
        wallet_entry_id=item.wallet_entry_id,
    )


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """What the page's schema.org markup says about the person."""

    name: str
    url: str
    headline: str
    narrative: str
    skills: Sequence[tuple[str, str]] = ()  # (label, uri)
    credentials: Sequence[str] = ()  # titles
    works: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (title, link)


def person_json_ld(facts: PersonFacts) -> dict[str, Any]:
    """schema.org ``Person`` with its skills (``knowsAbout`` as ``DefinedTerm`` of ESCO), credentials
    (``hasCredential``) and works; the page embeds it through ``json_ld_script``."""
    person: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": facts.name,
        "url": facts.url,
    }
    if facts.headline:
        person["jobTitle"] = facts.headline
    if facts.narrative:
        person["description"] = facts.narrative
    if facts.skills:
        person["knowsAbout"] = [
            {
                "@type": "DefinedTerm",
                "name": label,
                "termCode": uri,
                "inDefinedTermSet": "https://esco.ec.europa.eu",
            }
            for label, uri in facts.skills
        ]
    if facts.credentials:
        person["hasCredential"] = [
            {"@type": "EducationalOccupationalCredential", "name": title} for title in facts.credentials
        ]
    if facts.works:
        person["subjectOf"] = [
            {"@type": "CreativeWork", "name": title, **({"url": link} if link else {})}
            for title, link in facts.works
        ]
    return person


def json_ld_script(data: dict[str, Any]) -> str:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>``, ``&`` and the line separators
    escaped, so no text in it can close the script element or open another."""

    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text
