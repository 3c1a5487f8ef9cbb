"""Demo microcredentials: an academy that issues real, signed Open Badges 3.0 credentials to the demo
people, so their wallets, profiles (credential evidence) and the verify pages have something true
to show. An issuer marked ``"approved": true`` is approved by the platform (docs/trust.md), and the
demo people have accepted what it issued them. Idempotent: an issuer that exists already (same name)
is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from microcareer.domain.accounts import Actor, Role
from microcareer.domain.credentials.issue_rows import IssueRequest
from microcareer.domain.credentials.open_badges import (
    AchievementDefinition,
    EvidenceItem,
    Recipient,
    ResultSpec,
    SkillAlignment,
)
from microcareer.errors import InvalidInput, PermissionDenied
from microcareer.services import achievements, credential_issuers, credential_issuing, issuer_standing, wallet
from microcareer.services.credential_issuing import Publication
from microcareer.services.credential_ports import KeyVault
from microcareer.services.ports import Clock, UnitOfWork


@dataclass
class DemoCredentialsReport:
    issuers: int = 0
    achievements: int = 0
    credentials: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"demo credentials: {self.issuers} issuer(s), {self.achievements} achievement(s), "
            f"{self.credentials} signed credential(s)"
        )
        return text + (f"; already there: {', '.join(self.skipped)}" if self.skipped else "")


def _list(record: Mapping[str, object], name: str, where: str) -> list[Mapping[str, object]]:
    value = record.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise InvalidInput(f"{where}.{name}: expected a list of objects", field=name)
    return value


def _str(record: Mapping[str, object], name: str, where: str, default: str | None = None) -> str:
    value = record.get(name, default)
    if not isinstance(value, str):
        raise InvalidInput(f"{where}.{name}: expected a string", field=name)
    return value


def _int(record: Mapping[str, object], name: str, where: str, default: int | None) -> int | None:
    value = record.get(name, default)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise InvalidInput(f"{where}.{name}: expected a whole number", field=name)
    return value


def _accept_delivered(new_uow: Callable[[], UnitOfWork], issued_ids: list[str]) -> None:
    """The demo recipients accept what reached their wallets (as pending)."""
    for issued_id in issued_ids:
        uow = new_uow()
        with uow:
            entry = uow.credentials.wallet_entry_for(issued_id)
        if entry is not None and entry.state == wallet.PENDING:
            wallet.accept_entry(new_uow(), actor=Actor.system(), entry_id=entry.id)


def seed_credentials(
    new_uow: Callable[[], UnitOfWork],
    vault: KeyVault,
    *,
    raw: object,
    publication: Publication,
    clock: Clock,
    source: str = "demo_credentials.json",
) -> DemoCredentialsReport:
    """Create the demo issuers and achievements and issue their awards (each dated ``days_ago``)."""
    report = DemoCredentialsReport()
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{source}: expected a JSON object at the top")
    now = clock()
    for i, record in enumerate(_list(raw, "issuers", source)):
        where = f"{source}: issuers[{i}]"
        name = _str(record, "name", where)
        uow = new_uow()
        with uow:
            owner = uow.accounts.get_user_by_email(_str(record, "owner", where))
            existing = [issuer for issuer in uow.credentials.issuers() if issuer.name == name]
        if existing:
            report.skipped.append(name)
            continue
        if owner is None or Role.ISSUER not in owner.roles:
            raise PermissionDenied(f"{where}.owner: not a demo user with the issuer role")
        actor = Actor(user_id=owner.id, roles=frozenset(owner.roles))
        issuer = credential_issuers.create_issuer(
            new_uow(),
            vault,
            actor=actor,
            name=name,
            url=_str(record, "url", where, "") or None,
            email=_str(record, "email", where, "") or None,
            description=_str(record, "description", where, ""),
            public_url=publication.public_url,
            now=now,
        )
        if record.get("approved") is True:
            issuer_standing.approve_issuer(new_uow(), actor=Actor.system(), slug=issuer.slug, now=now)
        report.issuers += 1
        ids: dict[str, int] = {}
        for j, item in enumerate(_list(record, "achievements", where)):
            at = f"{where}.achievements[{j}]"
            skills = item.get("skills", [])
            parts = item.get("parts", [])
            if not isinstance(skills, list) or not isinstance(parts, list):
                raise InvalidInput(f"{at}: skills and parts are lists", field="skills")
            definition = AchievementDefinition(
                name=_str(item, "name", at),
                description=_str(item, "description", at),
                criteria=_str(item, "criteria", at),
                achievement_type=_str(item, "type", at, "MicroCredential"),
                alignments=tuple(SkillAlignment(str(uri), "") for uri in skills),
                results=tuple(
                    ResultSpec(_str(r, "name", at), _str(r, "type", at, "Status"))
                    for r in _list(item, "results", at)
                ),
                expiry_days=_int(item, "expiry_days", at, None),
                proficiency=_int(item, "proficiency", at, 3) or 3,
                parts=tuple(ids[str(p)] for p in parts),
            )
            achievement = achievements.define_achievement(
                new_uow(), actor=actor, issuer_slug=issuer.slug, definition=definition, now=now
            )
            ids[_str(item, "key", at)] = achievement.id
            report.achievements += 1
            for k, award in enumerate(_list(item, "awards", at)):
                place = f"{at}.awards[{k}]"
                days_ago = award.get("days_ago", 0)
                if not isinstance(days_ago, int):
                    raise InvalidInput(f"{place}.days_ago: expected a whole number", field="days_ago")
                evidence: tuple[EvidenceItem, ...] = ()
                if isinstance(award.get("evidence"), str):
                    url = award.get("evidence_url")
                    evidence = (
                        EvidenceItem(
                            narrative=_str(award, "evidence", place),
                            url=url if isinstance(url, str) else None,
                        ),
                    )
                results = award.get("results", {})
                if not isinstance(results, Mapping):
                    raise InvalidInput(f"{place}.results: expected an object", field="results")
                issued = credential_issuing.issue_credentials(
                    new_uow(),
                    vault,
                    actor=actor,
                    achievement_id=achievement.id,
                    requests=[
                        IssueRequest(
                            Recipient(email=_str(award, "email", place)),
                            evidence=evidence,
                            results={str(key): str(value) for key, value in results.items()},
                        )
                    ],
                    publication=publication,
                    now=now - timedelta(days=days_ago),
                    source=place,
                )
                _accept_delivered(new_uow, [record.id for record in issued])
                report.credentials += 1
    return report
