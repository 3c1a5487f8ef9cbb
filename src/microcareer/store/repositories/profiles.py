"""Profiles in the store: the profile with its experiences (saved whole), skills and their evidence.

Every write that can change how a person matches a job also adds a row to ``matching_changes`` in the
same transaction (``_changed``): the candidate index of every process catches up from it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, func, select, text, update
from sqlalchemy.orm import Session

from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import (
    Experience,
    ExperienceKind,
    Language,
    Location,
    PartialDate,
    Profile,
    ProfileSkill,
    StoredProfile,
    Visibility,
)
from microcareer.store.repositories.search_index import index_profile
from microcareer.store.tables.accounts import UserRow
from microcareer.store.tables.matching import MatchingChangeRow
from microcareer.store.tables.profiles import (
    ExperienceRow,
    ExperienceSkillRow,
    ProfileRow,
    ProfileSkillRow,
    SkillEvidenceRow,
)
from microcareer.store.tables.taxonomy import TaxonomyMetaRow

_LOCATION_FIELDS = ("address", "postal_code", "city", "country_code", "region")
_SHOWN = (Visibility.PUBLIC.value, Visibility.ORGANISATION.value)
_CHUNK = 900
"""Profiles read at a time by ``matching_profiles``: their ids and its few other parameters stay under
999, the variable limit of SQLite before 3.32."""
_EVIDENCE_COLUMNS = (
    SkillEvidenceRow.kind,
    SkillEvidenceRow.last_used,
    SkillEvidenceRow.source,
    SkillEvidenceRow.rating,
    SkillEvidenceRow.weight,
    SkillEvidenceRow.note,
)
"""What a piece of evidence is read from (``_evidence``), in that order."""
_MATCHING_COLUMNS = (
    ProfileRow.user_id,
    ProfileRow.headline,
    ProfileRow.summary,
    ProfileRow.location,
    ProfileRow.languages,
    ProfileRow.hourly_rate,
    ProfileRow.currency,
    ProfileRow.hours_per_week,
    ProfileRow.available,
    ProfileRow.visibility,
)
"""What ``_profile`` reads of a profile row (``_matching_chunks`` flushes the session first)."""


INSTANCE_KEY = "instance_id"
"""The ``taxonomy_meta`` key of this database's random identity (``matching_instance``)."""


class SqlAlchemyProfileRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: int) -> StoredProfile | None:
        row = self.session.get(ProfileRow, user_id)
        return None if row is None else self._stored(row)

    def named(self, user_id: int) -> tuple[str, StoredProfile | None] | None:
        found = self.session.execute(
            select(UserRow.display_name, ProfileRow)
            .outerjoin(ProfileRow, ProfileRow.user_id == UserRow.id)
            .where(UserRow.id == user_id)
        ).one_or_none()
        if found is None:
            return None
        name, row = found
        return name, None if row is None else self._stored(row)

    def _stored(self, row: ProfileRow) -> StoredProfile:
        user_id = row.user_id
        experiences = self.session.scalars(
            select(ExperienceRow).where(ExperienceRow.user_id == user_id).order_by(ExperienceRow.position)
        ).all()
        skills: dict[int, list[str]] = {}
        if experiences:
            linked = select(ExperienceSkillRow).where(
                ExperienceSkillRow.experience_id.in_([e.id for e in experiences])
            )
            for link in self.session.scalars(linked):
                skills.setdefault(link.experience_id, []).append(link.skill_uri)
        profile = _profile(row, tuple(_experience(e, sorted(skills.get(e.id, ()))) for e in experiences))
        return StoredProfile(user_id, profile, dict(row.resume_extras), row.updated_at)

    def save(self, user_id: int, profile: Profile, *, resume_extras: dict[str, Any], at: datetime) -> None:
        """Create or replace the profile and all its experiences (skills and evidence stay)."""
        row = self.session.get(ProfileRow, user_id)
        if row is None:
            row = ProfileRow(user_id=user_id)
            self.session.add(row)
        row.headline = profile.headline
        row.summary = profile.summary
        row.location = {k: getattr(profile.location, k) for k in _LOCATION_FIELDS}
        row.languages = [{"language": x.language, "fluency": x.fluency} for x in profile.languages]
        row.hourly_rate = profile.hourly_rate
        row.currency = profile.currency
        row.hours_per_week = profile.hours_per_week
        row.available = profile.available
        row.visibility = profile.visibility.value
        row.resume_extras = resume_extras
        row.updated_at = at
        self.session.flush()
        self.session.execute(delete(ExperienceRow).where(ExperienceRow.user_id == user_id))
        for position, experience in enumerate(profile.experiences):
            stored = ExperienceRow(
                user_id=user_id,
                position=position,
                kind=experience.kind.value,
                title=experience.title,
                organisation=experience.organisation,
                description=experience.description,
                start=experience.start.text if experience.start else None,
                end=experience.end.text if experience.end else None,
                url=experience.url,
                highlights=list(experience.highlights),
                extras=dict(experience.extras),
            )
            self.session.add(stored)
            self.session.flush()
            self.session.add_all(
                ExperienceSkillRow(experience_id=stored.id, skill_uri=uri)
                for uri in dict.fromkeys(experience.skills)
            )
        self.session.flush()
        index_profile(self.session, user_id)
        self._changed([user_id])

    def skills(self, user_id: int) -> list[ProfileSkill]:
        # Core rows, not ORM objects, and no evidence query for a profile with no skills (issue 17)
        held = (
            select(ProfileSkillRow.skill_uri, ProfileSkillRow.proficiency)
            .where(ProfileSkillRow.user_id == user_id)
            .order_by(ProfileSkillRow.skill_uri)
        )
        levels = self.session.execute(held).all()
        if not levels:
            return []
        evidence: dict[str, list[Evidence]] = {}
        rows = (
            select(SkillEvidenceRow.skill_uri, *_EVIDENCE_COLUMNS)
            .where(SkillEvidenceRow.user_id == user_id)
            .order_by(SkillEvidenceRow.id)
        )
        for uri, *fields in self.session.execute(rows):
            evidence.setdefault(uri, []).append(_evidence(fields))
        return [ProfileSkill(uri, proficiency, tuple(evidence.get(uri, ()))) for uri, proficiency in levels]

    def set_skill(self, user_id: int, uri: str, proficiency: int, *, at: datetime) -> None:
        row = self.session.get(ProfileSkillRow, (user_id, uri))
        if row is None:
            self.session.add(
                ProfileSkillRow(user_id=user_id, skill_uri=uri, proficiency=proficiency, added_at=at)
            )
            self.session.flush()
            index_profile(self.session, user_id)
        else:
            row.proficiency = proficiency
            self.session.flush()
        self._changed([user_id])

    def add_evidence(self, user_id: int, uri: str, evidence: Iterable[Evidence], *, at: datetime) -> None:
        """Record evidence for a skill already on the profile (``set_skill`` first)."""
        self.session.add_all(
            SkillEvidenceRow(
                user_id=user_id,
                skill_uri=uri,
                kind=item.kind.value,
                last_used=item.last_used,
                source=item.source,
                rating=item.rating,
                weight=item.weight,
                note=item.note,
                created_at=at,
            )
            for item in evidence
        )
        self.session.flush()
        self._changed([user_id])

    def reweigh_evidence(self, sources: Sequence[str], *, weight: float, note: str) -> int:
        """Set the weight and note of every piece of evidence that points at one of ``sources``."""
        changed = 0
        unique = list(dict.fromkeys(sources))
        for start in range(0, len(unique), 500):
            holders = select(SkillEvidenceRow.user_id).where(
                SkillEvidenceRow.source.in_(unique[start : start + 500])
            )
            self._changed(self.session.scalars(holders.distinct()).all())
            done = self.session.execute(
                update(SkillEvidenceRow)
                .where(SkillEvidenceRow.source.in_(unique[start : start + 500]))
                .values(weight=weight, note=note)
            )
            changed += int(getattr(done, "rowcount", 0) or 0)
        return changed

    def remove_evidence_from(self, user_id: int, source: str) -> int:
        """Delete the evidence that points at ``source`` (a revoked credential); how many went."""
        gone = self.session.execute(
            delete(SkillEvidenceRow).where(
                SkillEvidenceRow.user_id == user_id, SkillEvidenceRow.source == source
            )
        )
        self._changed([user_id])
        return int(getattr(gone, "rowcount", 0) or 0)

    def remove_skill(self, user_id: int, uri: str) -> bool:
        """Take a skill and its evidence off the profile; False if it was not there."""
        self.session.execute(
            delete(SkillEvidenceRow).where(
                SkillEvidenceRow.user_id == user_id, SkillEvidenceRow.skill_uri == uri
            )
        )
        gone = self.session.execute(
            delete(ProfileSkillRow).where(
                ProfileSkillRow.user_id == user_id, ProfileSkillRow.skill_uri == uri
            )
        )
        index_profile(self.session, user_id)
        self._changed([user_id])
        return bool(getattr(gone, "rowcount", 0))

    def holders_of(self, user_ids: Sequence[int]) -> dict[int, list[ProfileSkill]]:
        """The skills of several people at once (an organisation's inventory)."""
        return {user_id: self.skills(user_id) for user_id in user_ids}

    def available_holders(
        self, uris: Sequence[str], *, visibilities: Sequence[Visibility] | None = None
    ) -> list[tuple[int, Visibility]]:
        """(user id, visibility) of available profiles holding any of ``uris`` (talent search)."""
        if not uris:
            return []
        holders = select(ProfileSkillRow.user_id).where(ProfileSkillRow.skill_uri.in_(list(uris)))
        query = select(ProfileRow.user_id, ProfileRow.visibility).where(
            ProfileRow.available.is_(True), ProfileRow.user_id.in_(holders)
        )
        if visibilities is not None:
            query = query.where(ProfileRow.visibility.in_([v.value for v in visibilities]))
        return [
            (user_id, Visibility(value))
            for user_id, value in self.session.execute(query.order_by(ProfileRow.user_id))
        ]

    # -- the change log of matching (``services/candidate_index.py``) ---------------------------

    def _changed(self, user_ids: Iterable[int]) -> None:
        self.session.add_all(MatchingChangeRow(user_id=user_id) for user_id in dict.fromkeys(user_ids))
        self.session.flush()

    def matching_head(self) -> int:
        """The id of the latest change (0: none yet)."""
        return int(self.session.scalar(select(func.max(MatchingChangeRow.id))) or 0)

    def matching_floor(self) -> int:
        """The id of the oldest change kept (0: none): every change below it may have been pruned."""
        return int(self.session.scalar(select(func.min(MatchingChangeRow.id))) or 0)

    def prune_matching_changes(self, below: int) -> int:
        """Delete the changes with ids below ``below``; how many were deleted."""
        deleted = self.session.execute(delete(MatchingChangeRow).where(MatchingChangeRow.id < below))
        return int(getattr(deleted, "rowcount", 0) or 0)

    def matching_instance(self) -> str:
        """This database's identity for the candidate index's file: a random id kept in
        ``taxonomy_meta`` under ``INSTANCE_KEY`` (made on the first call: the caller commits), and on
        PostgreSQL the database's and the schema's names."""
        found = self.session.scalar(select(TaxonomyMetaRow.value).where(TaxonomyMetaRow.key == INSTANCE_KEY))
        if found is None:
            found = uuid.uuid4().hex
            self.session.add(TaxonomyMetaRow(key=INSTANCE_KEY, value=found))
            self.session.flush()
        if self.session.get_bind().dialect.name == "postgresql":
            database, schema = self.session.execute(text("SELECT current_database(), current_schema()")).one()
            return f"{found}@{database}.{schema}"
        return str(found)

    def matching_changes(self, after: int, limit: int) -> list[tuple[int, int]]:
        """(change id, user id) of up to ``limit`` changes after ``after``, oldest first."""
        query = (
            select(MatchingChangeRow.id, MatchingChangeRow.user_id)
            .where(MatchingChangeRow.id > after)
            .order_by(MatchingChangeRow.id)
            .limit(limit)
        )
        return [(int(i), int(u)) for i, u in self.session.execute(query)]

    def matching_profiles(
        self, user_ids: Sequence[int] | None = None
    ) -> Iterator[tuple[int, Profile, list[ProfileSkill]]]:
        """Available, non-private profiles (of ``user_ids``, or all) with their skills and evidence,
        read ``_CHUNK`` at a time (the candidate index is built and updated from these), in two Core
        selects a chunk of the columns needed (``_matching_chunks``): no ORM objects."""
        for rows, skills in self._matching_chunks(user_ids, named=False):
            for row in rows:
                yield row.user_id, _profile(row, ()), skills.get(row.user_id, [])

    def matching_people(
        self, user_ids: Sequence[int]
    ) -> Iterator[tuple[int, str, datetime, Profile, list[ProfileSkill]]]:
        """``matching_profiles`` of ``user_ids`` with their owners' display names and when they joined
        (the candidate walk reads its pages with it): still two selects a chunk, the user joined."""
        for rows, skills in self._matching_chunks(user_ids, named=True):
            for row in rows:
                yield (
                    row.user_id,
                    row.display_name,
                    row.created_at,
                    _profile(row, ()),
                    skills.get(row.user_id, []),
                )

    def _matching_chunks(
        self, user_ids: Sequence[int] | None, *, named: bool
    ) -> Iterator[tuple[Sequence[Row[Any]], dict[int, list[ProfileSkill]]]]:
        """The available, shown profile rows (``_MATCHING_COLUMNS``; ``named``: with the owner's name
        and joining date) of ``user_ids`` (or all) ``_CHUNK`` at a time, with their skills and evidence
        (one select a chunk, the evidence left-joined to its skill), run on the session's connection:
        Core rows, no ORM result processing (the session flushes first, as for its own queries)."""
        self.session.flush()
        connection = self.session.connection()
        base = select(*_MATCHING_COLUMNS)
        if named:
            base = base.add_columns(UserRow.display_name, UserRow.created_at).join_from(
                ProfileRow, UserRow, UserRow.id == ProfileRow.user_id
            )
        wanted = None if user_ids is None else sorted(set(user_ids))
        after, at = -1, 0
        while True:
            if wanted is None:
                query = base.where(
                    ProfileRow.available.is_(True),
                    ProfileRow.visibility.in_(_SHOWN),
                    ProfileRow.user_id > after,
                )
                rows = connection.execute(query.order_by(ProfileRow.user_id).limit(_CHUNK)).all()
                if not rows:
                    return
                after = rows[-1].user_id
            else:
                chunk = wanted[at : at + _CHUNK]
                if not chunk:
                    return
                at += _CHUNK
                # by the primary key alone, available and shown checked here: with them (and a range of
                # ids) in the query, SQLite read every available profile through their index
                query = base.where(ProfileRow.user_id.in_(chunk)).order_by(ProfileRow.user_id)
                rows = [
                    row for row in connection.execute(query) if row.available and row.visibility in _SHOWN
                ]
            ids = [row.user_id for row in rows]
            if ids:
                yield rows, self._matching_skills(connection, ids)

    @staticmethod
    def _matching_skills(connection: Connection, ids: list[int]) -> dict[int, list[ProfileSkill]]:
        """The skills of ``ids`` (by URI) with their evidence (oldest first), in one select."""
        query = (
            select(
                ProfileSkillRow.user_id,
                ProfileSkillRow.skill_uri,
                ProfileSkillRow.proficiency,
                *_EVIDENCE_COLUMNS,
            )
            .join_from(
                ProfileSkillRow,
                SkillEvidenceRow,
                (SkillEvidenceRow.user_id == ProfileSkillRow.user_id)
                & (SkillEvidenceRow.skill_uri == ProfileSkillRow.skill_uri),
                isouter=True,
            )
            .where(ProfileSkillRow.user_id.in_(ids))
            .order_by(ProfileSkillRow.user_id, ProfileSkillRow.skill_uri, SkillEvidenceRow.id)
        )
        held: dict[tuple[int, str], tuple[int, list[Evidence]]] = {}
        for user_id, uri, proficiency, *fields in connection.execute(query):
            found = held.get((user_id, uri))
            if found is None:
                found = held[user_id, uri] = (proficiency, [])
            if fields[0] is not None:  # a skill without evidence: one row of NULLs
                found[1].append(_evidence(fields))
        skills: dict[int, list[ProfileSkill]] = {}
        for (user_id, uri), (proficiency, pieces) in held.items():
            skills.setdefault(user_id, []).append(ProfileSkill(uri, proficiency, tuple(pieces)))
        return skills


def _evidence(fields: Sequence[Any]) -> Evidence:
    """A piece of evidence from a Core row's ``_EVIDENCE_COLUMNS``."""
    kind, last_used, source, rating, weight, note = fields
    return Evidence(EvidenceKind(kind), last_used, source, rating, weight, note)


def _profile(row: ProfileRow | Row[Any], experiences: tuple[Experience, ...]) -> Profile:
    """The profile of an ORM row or of a Core row of the same columns."""
    return Profile(
        headline=row.headline,
        summary=row.summary,
        location=Location(**{k: str(row.location.get(k, "")) for k in _LOCATION_FIELDS}),
        languages=tuple(
            Language(str(x.get("language", "")), str(x.get("fluency", ""))) for x in row.languages
        ),
        hourly_rate=row.hourly_rate,
        currency=row.currency,
        hours_per_week=row.hours_per_week,
        available=row.available,
        visibility=Visibility(row.visibility),
        experiences=experiences,
    )


def _experience(row: ExperienceRow, skills: list[str]) -> Experience:
    return Experience(
        kind=ExperienceKind(row.kind),
        title=row.title,
        organisation=row.organisation,
        description=row.description,
        start=PartialDate(row.start) if row.start else None,
        end=PartialDate(row.end) if row.end else None,
        url=row.url,
        highlights=tuple(str(h) for h in row.highlights),
        skills=tuple(skills),
        extras=dict(row.extras),
    )
