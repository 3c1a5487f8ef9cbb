"""The demo data set: a few accounts of every role, an organisation and its own skill, and profiles.

``seed_demo`` is idempotent: what exists already (same email, same organisation slug) is left as it
is, so running ``microcareer init --demo`` twice changes nothing. The data comes in as parsed JSON
(``microcareer/data/demo.json``); reading the file is the caller's job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from microcareer.domain.accounts import Actor, OrgRole
from microcareer.domain.taxonomy.concepts import OrgLinkRelation
from microcareer.errors import InvalidInput, NotFound, PermissionDenied
from microcareer.services import organisations, taxonomy, users
from microcareer.services.demo_profiles import DemoProfile, parse_demo_profiles, seed_profiles
from microcareer.services.ports import Clock, PasswordHasher, UnitOfWork


@dataclass(frozen=True)
class DemoUser:
    email: str
    display_name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class DemoSkill:
    label: str
    alt_labels: tuple[str, ...]
    description: str
    links: tuple[tuple[str, OrgLinkRelation], ...]


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    members: tuple[tuple[str, OrgRole], ...]
    skills: tuple[DemoSkill, ...]


@dataclass(frozen=True)
class DemoData:
    password: str
    users: tuple[DemoUser, ...]
    organisations: tuple[DemoOrganisation, ...]
    profiles: tuple[DemoProfile, ...] = ()


def _field(record: Mapping[str, object], name: str, where: str) -> object:
    if name not in record:
        raise InvalidInput(f"{where}: the field {name!r} is missing", field=name)
    return record[name]


def _text(record: Mapping[str, object], name: str, where: str) -> str:
    value = _field(record, name, where)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{where}.{name}: expected a non-empty string", field=name)
    return value


def _records(value: object, where: str) -> list[Mapping[str, object]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InvalidInput(f"{where}: expected a list of objects")
    return list(value)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidInput(f"{where}: expected a list of strings")
    return tuple(value)


def parse_demo_data(raw: object, *, source: str = "demo data") -> DemoData:
    """Check and convert the parsed JSON; errors name the place (``demo.json: users[2].email``)."""
    if not isinstance(raw, dict):
        raise InvalidInput(f"{source}: expected a JSON object at the top")
    people = [
        DemoUser(
            email=_text(record, "email", f"{source}: users[{i}]"),
            display_name=_text(record, "display_name", f"{source}: users[{i}]"),
            roles=_strings(_field(record, "roles", f"{source}: users[{i}]"), f"{source}: users[{i}].roles"),
        )
        for i, record in enumerate(_records(raw.get("users", []), f"{source}: users"))
    ]
    orgs = []
    for i, record in enumerate(_records(raw.get("organisations", []), f"{source}: organisations")):
        where = f"{source}: organisations[{i}]"
        members = []
        for j, member in enumerate(_records(record.get("members", []), f"{where}.members")):
            role = _text(member, "role", f"{where}.members[{j}]")
            try:
                members.append((_text(member, "email", f"{where}.members[{j}]"), OrgRole(role)))
            except ValueError:
                raise InvalidInput(f"{where}.members[{j}].role: {role!r} is not admin or member") from None
        skills = []
        for j, skill in enumerate(_records(record.get("skills", []), f"{where}.skills")):
            at = f"{where}.skills[{j}]"
            links = []
            for k, link in enumerate(_records(skill.get("links", []), f"{at}.links")):
                relation = _text(link, "relation", f"{at}.links[{k}]")
                try:
                    links.append((_text(link, "uri", f"{at}.links[{k}]"), OrgLinkRelation(relation)))
                except ValueError:
                    raise InvalidInput(
                        f"{at}.links[{k}].relation: {relation!r} is not narrower or related"
                    ) from None
            description = skill.get("description", "")
            skills.append(
                DemoSkill(
                    label=_text(skill, "label", at),
                    alt_labels=_strings(skill.get("alt_labels", []), f"{at}.alt_labels"),
                    description=description if isinstance(description, str) else "",
                    links=tuple(links),
                )
            )
        orgs.append(
            DemoOrganisation(
                slug=_text(record, "slug", where),
                name=_text(record, "name", where),
                members=tuple(members),
                skills=tuple(skills),
            )
        )
    return DemoData(
        password=_text(raw, "password", source),
        users=tuple(people),
        organisations=tuple(orgs),
        profiles=parse_demo_profiles(raw.get("profiles"), source=source),
    )


@dataclass
class DemoReport:
    """What ``seed_demo`` made and what was there already."""

    password: str
    accounts: list[tuple[str, str]] = field(default_factory=list)  # (email, roles)
    users_created: int = 0
    organisations_created: int = 0
    org_skills_created: int = 0
    profiles_created: int = 0
    profiles_existing: int = 0
    profile_skills_skipped: int = 0

    def summary(self) -> str:
        lines = [
            f"demo data: {self.users_created} users, {self.organisations_created} organisations and "
            f"{self.org_skills_created} organisation skills added "
            f"({len(self.accounts) - self.users_created} users were there already)",
            f"demo profiles: {self.profiles_created} added ({self.profiles_existing} were there already)"
            + (
                f"; {self.profile_skills_skipped} skills skipped (not in this taxonomy)"
                if self.profile_skills_skipped
                else ""
            ),
            f"demo accounts (password {self.password!r}):",
        ]
        lines += [f"  {email:<32} {roles}" for email, roles in self.accounts]
        return "\n".join(lines)


def seed_demo(
    uow: UnitOfWork,
    *,
    actor: Actor,
    data: DemoData,
    passwords: PasswordHasher,
    clock: Clock,
) -> DemoReport:
    """Add the demo accounts, organisations and organisation skills that are not there yet."""
    if not actor.is_system:
        raise PermissionDenied("only the operator (CLI) may load the demo data set")
    report = DemoReport(password=data.password)
    user_ids: dict[str, int] = {}
    for person in data.users:
        try:
            user = users.find_user_by_email(uow, actor=actor, email=person.email)
        except NotFound:
            user = users.create_user(
                uow,
                actor=actor,
                email=person.email,
                display_name=person.display_name,
                password=data.password,
                roles=person.roles,
                passwords=passwords,
                clock=clock,
                allow_signup=False,
            )
            report.users_created += 1
        user_ids[user.email] = user.id
        report.accounts.append((user.email, ", ".join(sorted(role.value for role in user.roles))))
    seeded = seed_profiles(uow, actor=actor, demo_profiles=data.profiles, user_ids=user_ids, clock=clock)
    report.profiles_created = seeded.created
    report.profiles_existing = seeded.existing
    report.profile_skills_skipped = seeded.skills_skipped
    for org in data.organisations:
        try:
            organisations.get_organisation(uow, actor=actor, slug=org.slug)
            continue  # seeded before: leave it as its admins have made it since
        except NotFound:
            pass
        created = organisations.create_organisation(
            uow, actor=actor, slug=org.slug, name=org.name, clock=clock
        )
        report.organisations_created += 1
        for email, role in _admins_first(org.members):
            if email not in user_ids:
                raise InvalidInput(f"organisations[{org.slug}]: member {email} is not one of the demo users")
            organisations.add_member(
                uow, actor=actor, slug=created.slug, user_id=user_ids[email], role=role, clock=clock
            )
        for skill in org.skills:
            taxonomy.add_org_skill(
                uow,
                actor=actor,
                clock=clock,
                organisation_id=created.id,
                label=skill.label,
                alt_labels=skill.alt_labels,
                description=skill.description,
                links=skill.links,
            )
            report.org_skills_created += 1
    return report


def _admins_first(members: Sequence[tuple[str, OrgRole]]) -> list[tuple[str, OrgRole]]:
    return sorted(members, key=lambda member: member[1] is not OrgRole.ADMIN)
