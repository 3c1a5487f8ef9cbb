"""CVs and JSON Resumes into profiles, and profiles out as JSON Resume.

A CV is read in two steps. ``propose_cv_import`` splits the text into experiences (``cv_sections``) and
finds its skills with the extractor, each placed in the experiences it is mentioned in; nothing is
saved. ``confirm_cv_import`` takes back what the person accepted, checks it all again (the client may
have changed anything), and saves the experiences (after the profile's own) and the skills with
``cv_extraction`` evidence dated by the latest experience each appears in (else the import day), in
one transaction.

A JSON Resume is imported in one step: its basics, languages and experiences replace the profile's
(rate, hours, availability and visibility stay, the résumé has none), and its skills are mapped to
taxonomy skills by label, exactly (any label kind) or near-exactly (one clear best label of 85%
similarity or more: "Haskel", "Python 3"); names that map to nothing, or to several skills alike,
are reported and kept as they were written, so the export gives them back. The résumé's name and
email are not stored: the account's are the person's, and the import says when the résumé's differ.
The export writes the account's name (and email, for the owner and platform admins only), the
profile, the fields the résumé carried beyond it, and the profile's skills under their preferred labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from microcareer.domain.accounts import Actor, Role
from microcareer.domain.extraction.extractor import SkillExtractor
from microcareer.domain.extraction.lexicon import Lexicon
from microcareer.domain.extraction.skill_names import resolve_name
from microcareer.domain.profiles.cv_proposal import CvProposal, ProposedExperience, ProposedSkill
from microcareer.domain.profiles.cv_sections import CvEntry, cv_entries
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.json_resume import Resume, ResumeSkill, from_json_resume, to_json_resume
from microcareer.domain.profiles.profile import Profile
from microcareer.domain.taxonomy.search import LabelIndex, MatchKind
from microcareer.errors import InvalidInput, NotFound
from microcareer.services.access import Action, Resource, authorize, visible_organisations
from microcareer.services.extraction import ExtractionRequest, extract_text
from microcareer.services.ports import UnitOfWork
from microcareer.services.profiles import readable_profile
from microcareer.services.taxonomy_search import IndexKind, LabelIndexCache

DEFAULT_PROFICIENCY = 3
NEAR_EXACT = 0.85
JSON_RESUME_SOURCE = "JSON Resume"
PRIVATE_EXTRAS = "microcareer"
"""Key of ``resume_extras`` that holds what the export needs and the résumé schema has no place for."""


@dataclass(frozen=True, slots=True)
class CvImportResult:
    experiences: int
    skills: tuple[str, ...]
    """URIs put on (or confirmed on) the profile."""


@dataclass(frozen=True, slots=True)
class MappedSkill:
    name: str
    uri: str
    label: str


@dataclass(frozen=True, slots=True)
class UnmappedSkill:
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class JsonResumeImport:
    experiences: int
    mapped: tuple[MappedSkill, ...]
    unmapped: tuple[UnmappedSkill, ...]
    notes: tuple[str, ...]


def propose_cv_import(
    extractor: SkillExtractor,
    *,
    actor: Actor,
    user_id: int | None,
    source: str,
    text: str,
    today: date,
    request: ExtractionRequest | None = None,
) -> CvProposal:
    """What the CV says: experiences and skills for the person to accept; nothing is saved."""
    if user_id is not None:
        authorize(actor, Action.PROFILE_EDIT, Resource(owner_user_id=user_id))
    found = extract_text(
        extractor, actor=actor, doc_id=source, text=text, request=request or ExtractionRequest()
    )
    placed = [(entry, proposed) for entry in cv_entries(text) if (proposed := _proposed(entry)) is not None]
    experiences = tuple(replace(p, ref=f"e{i}") for i, (_, p) in enumerate(placed, start=1))
    spans = [(entry.span, ref.ref) for (entry, _), ref in zip(placed, experiences, strict=True)]
    by_ref = {e.ref: e for e in experiences}
    where: dict[str, list[str]] = {}
    words: dict[str, list[str]] = {}
    for mention in found.mentions:
        refs = where.setdefault(mention.uri, [])
        ref = next((r for (begin, end), r in spans if begin <= mention.start < end), None)
        if ref is not None and ref not in refs:
            refs.append(ref)
        said = words.setdefault(mention.uri, [])
        if mention.matched_text not in said:
            said.append(mention.matched_text)
    skills = tuple(
        ProposedSkill(
            uri=skill.uri,
            label=skill.label,
            experiences=tuple(where.get(skill.uri, ())),
            mentions=tuple(words.get(skill.uri, ())[:5]),
            confidence=round(skill.confidence, 3),
            last_used=max(_dates_of(where.get(skill.uri, ()), by_ref, today)).isoformat(),
        )
        for skill in found.skills
    )
    return CvProposal(source=source, experiences=experiences, skills=skills)


def confirm_cv_import(
    uow: UnitOfWork, *, actor: Actor, user_id: int, proposal_accepted: object, now: datetime
) -> CvImportResult:
    """Save what the person accepted of a proposal (plain JSON, checked again here), all or nothing."""
    authorize(actor, Action.PROFILE_EDIT, Resource(owner_user_id=user_id))
    proposal = CvProposal.from_json(proposal_accepted)
    today = now.date()
    by_ref = {e.ref: e for e in proposal.experiences}
    used: dict[str, list[str]] = {ref: [] for ref in by_ref}
    for skill in proposal.skills:
        for ref in skill.experiences:
            if ref in used:  # an experience left out: the skill stays, dated by the others
                used[ref].append(skill.uri)
    added = tuple(
        e.experience(tuple(used[e.ref]), path=f"experiences[{i}]") for i, e in enumerate(proposal.experiences)
    )
    source = proposal.source or "CV"
    with uow:
        _check_user(uow, user_id)
        _check_skills(uow, actor, [s.uri for s in proposal.skills], path="skills")
        stored = uow.profiles.get(user_id)
        profile = stored.profile if stored is not None else Profile()
        extras = dict(stored.resume_extras) if stored is not None else {}
        uow.profiles.save(
            user_id, replace(profile, experiences=profile.experiences + added), resume_extras=extras, at=now
        )
        held = {s.uri: s for s in uow.profiles.skills(user_id)}
        for skill in proposal.skills:
            evidence = [
                Evidence(EvidenceKind.CV_EXTRACTION, day, source=source)
                for day in sorted(set(_dates_of(skill.experiences, by_ref, today)))
            ]
            _hold(uow, user_id, skill.uri, skill.proficiency, held, evidence, now)
        uow.commit()
    return CvImportResult(experiences=len(added), skills=tuple(s.uri for s in proposal.skills))


def import_json_resume(
    uow: UnitOfWork,
    *,
    actor: Actor,
    user_id: int,
    document: object,
    now: datetime,
    cache: LabelIndexCache,
    lexicon: Lexicon | None = None,
) -> JsonResumeImport:
    """Read a JSON Resume into the profile: basics, experiences, extras and mapped skills, in one go."""
    authorize(actor, Action.PROFILE_EDIT, Resource(owner_user_id=user_id))
    resume = from_json_resume(document)
    with uow:
        user = _check_user(uow, user_id)
        index = cache.get(IndexKind.SKILLS, uow.taxonomy)
        visible = visible_organisations(actor)
        mapped: list[tuple[ResumeSkill, MappedSkill]] = []
        unmapped: list[tuple[dict[str, Any], UnmappedSkill]] = []
        for position, skill in enumerate(resume.skills):
            found = match_skill_name(index, skill.name, visible, lexicon)
            if isinstance(found, MappedSkill) and any(m.uri == found.uri for _, m in mapped):
                first = next(m.name for _, m in mapped if m.uri == found.uri)
                unmapped.append(
                    (_raw_skill(document, position), UnmappedSkill(skill.name, f"same skill as {first!r}"))
                )
            elif isinstance(found, MappedSkill):
                mapped.append((skill, found))
            else:
                unmapped.append((_raw_skill(document, position), found))
        stored = uow.profiles.get(user_id)
        base = stored.profile if stored is not None else Profile()
        profile = replace(
            base,
            headline=resume.profile.headline,
            summary=resume.profile.summary,
            location=resume.profile.location,
            languages=resume.profile.languages,
            experiences=resume.profile.experiences,
        )
        private = {
            "skills": [{"uri": m.uri, "keywords": list(s.keywords)} for s, m in mapped],
            "unmapped_skills": [raw for raw, _ in unmapped],
        }
        uow.profiles.save(user_id, profile, resume_extras={**resume.extras, PRIVATE_EXTRAS: private}, at=now)
        held = {s.uri: s for s in uow.profiles.skills(user_id)}
        for skill, found in mapped:
            evidence = [Evidence(EvidenceKind.SELF_CLAIM, now.date(), source=JSON_RESUME_SOURCE)]
            _hold(uow, user_id, found.uri, skill.proficiency, held, evidence, now)
        uow.commit()
    notes = []
    if resume.name and resume.name != user.display_name:
        notes.append(
            f"basics.name {resume.name!r} differs from the account's ({user.display_name!r}): "
            "kept the account's"
        )
    if resume.email and resume.email.casefold() != user.email.casefold():
        notes.append(f"basics.email {resume.email!r} differs from the account's: kept the account's")
    return JsonResumeImport(
        experiences=len(profile.experiences),
        mapped=tuple(m for _, m in mapped),
        unmapped=tuple(u for _, u in unmapped),
        notes=tuple(notes),
    )


def export_json_resume(uow: UnitOfWork, *, actor: Actor, user_id: int) -> dict[str, Any]:
    """The profile as a JSON Resume document, for whoever may read the profile."""
    with uow:
        stored, name = readable_profile(uow, actor, user_id)
        user = uow.accounts.get_user(user_id)
        held = uow.profiles.skills(user_id)
        refs = uow.taxonomy.skill_refs([s.uri for s in held])
    extras = dict(stored.resume_extras) if stored is not None else {}
    private = extras.pop(PRIVATE_EXTRAS, {})
    private = private if isinstance(private, dict) else {}
    keywords = {
        item["uri"]: tuple(item.get("keywords", ()))
        for item in private.get("skills", [])
        if isinstance(item, dict) and isinstance(item.get("uri"), str)
    }
    order = {uri: i for i, uri in enumerate(keywords)}
    held.sort(
        key=lambda s: (
            order.get(s.uri, len(order)),
            -s.proficiency,
            refs[s.uri].preferred_label if s.uri in refs else s.uri,
        )
    )
    skills = [
        ResumeSkill(
            refs[s.uri].preferred_label if s.uri in refs else s.uri, s.proficiency, keywords.get(s.uri, ())
        )
        for s in held
    ]
    owner_or_admin = actor.user_id == user_id or actor.has_role(Role.PLATFORM_ADMIN)
    resume = Resume(
        profile=stored.profile if stored is not None else Profile(),
        name=name,
        email=user.email if user is not None and owner_or_admin else "",
        extras=extras,
    )
    document = to_json_resume(resume, skills)
    unmapped = [item for item in private.get("unmapped_skills", []) if isinstance(item, dict)]
    if unmapped:  # given back as the résumé wrote them
        document["skills"] = document.get("skills", []) + unmapped
    return document


def match_skill_name(
    index: LabelIndex, name: str, visible_orgs: frozenset[int] | None, lexicon: Lexicon | None = None
) -> MappedSkill | UnmappedSkill:
    """The one skill ``name`` names, as everywhere a skill is named (``skill_names``: labels, tool
    names such as "Docker" with the extraction ``lexicon``), or nearly (a clear typo); else why not."""
    if not name.strip():
        return UnmappedSkill(name, "no name")
    named = resolve_name(name, labels=index, lexicon=lexicon, visible_orgs=visible_orgs, limit=5)
    if named.chosen is not None:
        return MappedSkill(name, named.chosen.uri, named.chosen.label)
    if named.ambiguous:
        labels = ", ".join(sorted({c.label for c in named.ambiguous}))
        return UnmappedSkill(name, f"a label of {len(named.ambiguous)} skills ({labels})")
    hits = index.search(name, limit=5, visible_orgs=visible_orgs).hits
    exact = any(h.match_kind is MatchKind.EXACT for h in hits)
    if (
        not exact
        and hits
        and hits[0].score >= NEAR_EXACT
        and (len(hits) == 1 or hits[1].score < hits[0].score)
    ):
        return MappedSkill(name, hits[0].uri, hits[0].matched_label)  # a clear typo of one label
    closest = f"; closest: {hits[0].matched_label!r}" if hits else ""
    return UnmappedSkill(name, f"no skill has this label{closest}")


def _proposed(entry: CvEntry) -> ProposedExperience | None:
    proposed = ProposedExperience(
        ref="",
        kind=entry.kind,
        title=entry.title,
        organisation=entry.organisation,
        start=entry.start,
        end=entry.end,
        description=entry.description,
        highlights=entry.highlights,
        section=entry.section,
    )
    try:
        proposed.experience()
    except InvalidInput:  # an entry the heuristic misread (a date it cannot place): not proposed
        return None
    return proposed


def _dates_of(refs: Iterable[str], by_ref: Mapping[str, ProposedExperience], today: date) -> list[date]:
    """When each experience was last used (its end, today if ongoing); today when none is dated."""
    days = []
    for ref in refs:
        proposed = by_ref.get(ref)
        last = proposed.experience().last_used(today) if proposed is not None else None
        if last is not None:
            days.append(min(last, today))
    return days or [today]


def _hold(
    uow: UnitOfWork,
    user_id: int,
    uri: str,
    proficiency: int | None,
    held: Mapping[str, Any],
    evidence: list[Evidence],
    now: datetime,
) -> None:
    """Put a skill on the profile (its level kept unless given) and add the evidence it lacks."""
    present = held.get(uri)
    level = proficiency or (present.proficiency if present is not None else DEFAULT_PROFICIENCY)
    uow.profiles.set_skill(user_id, uri, level, at=now)
    known = set(present.evidence) if present is not None else set()
    fresh = [e for e in evidence if e not in known]
    if fresh:
        uow.profiles.add_evidence(user_id, uri, fresh, at=now)


def _check_user(uow: UnitOfWork, user_id: int) -> Any:
    user = uow.accounts.get_user(user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


def _check_skills(uow: UnitOfWork, actor: Actor, uris: list[str], *, path: str) -> None:
    """Every URI is a skill of the taxonomy the actor may see; the error names the first that is not."""
    refs = uow.taxonomy.skill_refs(uris)
    visible = visible_organisations(actor)
    for i, uri in enumerate(uris):
        ref = refs.get(uri)
        hidden = ref is not None and ref.organisation_id is not None and visible is not None
        if ref is None or (hidden and ref.organisation_id not in (visible or frozenset())):
            raise InvalidInput(
                f"{path}[{i}].uri: {uri} is not a skill of the taxonomy", field=f"{path}[{i}].uri"
            )


def _raw_skill(document: object, position: int) -> dict[str, Any]:
    """The résumé's own item for an unmapped skill, to give back as it was written."""
    items = document.get("skills", []) if isinstance(document, dict) else []
    item = items[position] if isinstance(items, list) and position < len(items) else {}
    return dict(item) if isinstance(item, dict) else {}
