"""Shared pieces of the skills-graph tests: well-known mini ESCO URIs and an organisation with a member."""

from __future__ import annotations

from dataclasses import dataclass

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole, Role

ESCO = "http://data.europa.eu/esco/"
PYTHON_KEY = "ccd0a1d9-afda-43d9-b901-96344886e14d"
PYTHON = ESCO + "skill/" + PYTHON_KEY
PROGRAMMING = ESCO + "skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97"
HASKELL = ESCO + "skill/000f1d3d-220f-4789-9c0a-cc742521fb02"
ICT_SOFTWARE = ESCO + "isced-f/0613"
ICT = ESCO + "isced-f/061"
DEVELOPER_KEY = "f2b15a0e-e65a-438a-affb-29b9d50b77d1"
DEVELOPER = ESCO + "occupation/" + DEVELOPER_KEY


@dataclass(frozen=True)
class OrgSetup:
    organisation_id: int
    admin: Actor
    outsider: Actor


def make_organisation(platform: Platform, slug: str = "acme") -> OrgSetup:
    """An organisation with an admin member, and a signed-in user of no organisation."""
    now = platform.clock()
    with platform.uow() as uow:
        org = uow.accounts.add_organisation(slug=slug, name=slug.title(), created_at=now)
        admin = uow.accounts.add_user(
            email=f"admin@{slug}.test", display_name="Ada", password_hash="x", roles=[], created_at=now
        )
        outsider = uow.accounts.add_user(
            email=f"out@{slug}.test",
            display_name="Otto",
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=now,
        )
        uow.accounts.set_membership(org.id, admin.id, OrgRole.ADMIN, created_at=now)
        uow.commit()
    return OrgSetup(
        organisation_id=org.id,
        admin=Actor(user_id=admin.id, memberships={org.id: OrgRole.ADMIN}),
        outsider=Actor(user_id=outsider.id, roles=frozenset({Role.PROFESSIONAL})),
    )


DEBUGGING_TOOLS = ESCO + "skill/6014921e-1d25-4039-adc2-04852d61880e"


def use_tool_names(platform: Platform, names: dict[str, str]) -> None:
    """Extraction and skill names read these tool names (name → skill URI) instead of the bundled
    file, whose skills the mini ESCO lacks."""
    import gzip

    from microcareer.adapters.tool_names import COLUMNS, BundledToolNames
    from microcareer.services.extraction import CACHE_KEY, ExtractorCache

    lines = [",".join(COLUMNS), *(f"{name},{uri},Test software,Y,Y" for name, uri in names.items())]
    data = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"))
    platform.caches[CACHE_KEY] = ExtractorCache(tool_names=BundledToolNames(data))
