"""Skill assessments: set them, fill their item bank, publish them, and read them (issue 22).

An assessment is set by an issuer (its managers author it: ``ISSUER_MANAGE``'s people) or by an
organisation (its admins); both are ``ASSESSMENT_AUTHOR`` on the owner's resource. Published
assessments are open to anyone signed in, drafts only to their authors (404 to others). The bank with
its answers is read by authors only: candidates see items through ``assessment_attempts``, without
what scores them. An assessment may lead to one of its issuer's achievements, which must define a
result to carry the score (Open Badges 3.0 ``resultDescription``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.domain.assessments.definitions import (
    Assessment,
    AssessmentKind,
    AssessmentState,
    Owner,
    StoredAssessment,
)
from microcareer.domain.assessments.items import Item
from microcareer.errors import Conflict, InvalidInput, NotFound
from microcareer.services.access import Action, Resource, authorize, is_allowed
from microcareer.services.credential_issuers import issuer_resource
from microcareer.services.ports import UnitOfWork

LIST_LIMIT = 200


@dataclass(frozen=True, slots=True)
class AssessmentView:
    stored: StoredAssessment
    owner_name: str
    skill_labels: dict[str, str]
    bank_size: int
    authoring: bool
    """The reader may edit it and see its bank with the answers."""
    reviewing: bool
    reviewer_email: str = ""
    """The named reviewer's e-mail, for the authors (who name them by it); "" for others."""

    @property
    def id(self) -> int:
        return self.stored.id


def author_resource(uow: UnitOfWork, owner: Owner) -> tuple[Resource, str]:
    """Whose authors may edit an assessment of ``owner``, and the owner's name (404 for no owner)."""
    if owner.issuer_id is not None:
        issuer = uow.credentials.get_issuer(owner.issuer_id)
        if issuer is None:
            raise NotFound(f"no issuer {owner.issuer_id}")
        return issuer_resource(issuer), issuer.name
    assert owner.organisation_id is not None
    organisation = uow.accounts.get_organisation(owner.organisation_id)
    if organisation is None:
        raise NotFound(f"no organisation {owner.organisation_id}")
    return Resource(organisation_id=organisation.id), organisation.name


def may_author(uow: UnitOfWork, actor: Actor, stored: StoredAssessment) -> bool:
    return actor.is_authenticated and is_allowed(
        actor, Action.ASSESSMENT_AUTHOR, author_resource(uow, stored.owner)[0]
    )


def is_reviewer(actor: Actor, stored: StoredAssessment) -> bool:
    reviewer = stored.assessment.reviewer_user_id
    return reviewer is not None and is_allowed(
        actor, Action.ASSESSMENT_REVIEW, Resource(owner_user_id=reviewer)
    )


def readable(uow: UnitOfWork, actor: Actor, assessment_id: int) -> StoredAssessment:
    """The assessment if the actor may read it: published (or closed) to anyone signed in, a draft to its
    authors; 401 signed out, else 404 (inside an open unit of work)."""
    authorize(actor, Action.ASSESSMENT_TAKE)
    stored = uow.assessments.get(assessment_id)
    if stored is None:
        raise NotFound(f"no assessment {assessment_id}")
    if stored.state is AssessmentState.DRAFT and not (
        may_author(uow, actor, stored) or is_reviewer(actor, stored)
    ):
        raise NotFound(f"no assessment {assessment_id}")
    return stored


def authored(uow: UnitOfWork, actor: Actor, assessment_id: int) -> StoredAssessment:
    """The assessment if the actor authors it; 403 to those who may only read it, 404 to others."""
    stored = readable(uow, actor, assessment_id)
    authorize(actor, Action.ASSESSMENT_AUTHOR, author_resource(uow, stored.owner)[0])
    return stored


def _check(uow: UnitOfWork, owner: Owner, assessment: Assessment) -> None:
    assessment.validate()
    known = uow.taxonomy.skill_refs(list(assessment.skills))
    for uri in assessment.skills:
        ref = known.get(uri)
        if ref is None or (ref.organisation_id is not None and ref.organisation_id != owner.organisation_id):
            raise InvalidInput(f"skills: {uri} is not a skill of the taxonomy", field="skills")
    if assessment.reviewer_user_id is not None and uow.accounts.get_user(assessment.reviewer_user_id) is None:
        raise InvalidInput(f"reviewer: no user {assessment.reviewer_user_id}", field="reviewer")
    if assessment.achievement_id is None:
        return
    achievement = uow.credentials.get_achievement(assessment.achievement_id)
    if achievement is None or owner.issuer_id is None or achievement.issuer_id != owner.issuer_id:
        raise InvalidInput(
            f"achievement_id: {assessment.achievement_id} is not an achievement of this assessment's issuer",
            field="achievement_id",
        )
    if not achievement.definition.results:
        raise InvalidInput(
            "achievement_id: the achievement defines no result to carry the score (add one, e.g. Percent)",
            field="achievement_id",
        )


def create(
    uow: UnitOfWork, *, actor: Actor, owner: Owner, assessment: Assessment, now: datetime
) -> StoredAssessment:
    """A new draft assessment; its authors then add items (or, for a work sample, it is complete)."""
    with uow:
        resource, _ = author_resource(uow, owner)
        authorize(actor, Action.ASSESSMENT_AUTHOR, resource)
        _check(uow, owner, assessment)
        assessment_id = uow.assessments.add(owner, assessment, created_by=actor.user_id, at=now)
        uow.commit()
        stored = uow.assessments.get(assessment_id)
    assert stored is not None
    return stored


def update(
    uow: UnitOfWork,
    *,
    actor: Actor,
    assessment_id: int,
    assessment: Assessment | None = None,
    state: AssessmentState | None = None,
    now: datetime,
) -> StoredAssessment:
    """Change its settings and/or its state (publish, close, reopen). Its kind never changes; publishing a
    question set needs a bank at least as large as the items each attempt draws."""
    with uow:
        stored = authored(uow, actor, assessment_id)
        new = assessment or stored.assessment
        if new.kind is not stored.assessment.kind:
            raise InvalidInput("kind: an assessment's kind cannot change", field="kind")
        _check(uow, stored.owner, new)
        target = state or stored.state
        if target is AssessmentState.DRAFT and stored.state is not AssessmentState.DRAFT:
            raise Conflict("a published assessment cannot go back to draft (close it instead)")
        if target is not AssessmentState.DRAFT and new.kind is AssessmentKind.QUESTION_SET:
            bank = len(uow.assessments.items(assessment_id))
            if bank < new.draw_count:
                raise Conflict(
                    f"the bank holds {bank} items; each attempt draws {new.draw_count}: add items first"
                )
        uow.assessments.update(assessment_id, new, target, at=now)
        uow.commit()
        updated = uow.assessments.get(assessment_id)
    assert updated is not None
    return updated


def _question_set(stored: StoredAssessment) -> None:
    if stored.assessment.kind is not AssessmentKind.QUESTION_SET:
        raise Conflict(f"assessment {stored.id} is a work sample: it has a task, not items")


def add_item(uow: UnitOfWork, *, actor: Actor, assessment_id: int, item: Item, now: datetime) -> int:
    with uow:
        stored = authored(uow, actor, assessment_id)
        _question_set(stored)
        item.validate()
        item_id = uow.assessments.add_item(assessment_id, item, at=now)
        uow.commit()
    return item_id


def _own_item(uow: UnitOfWork, assessment_id: int, item_id: int) -> None:
    if item_id not in uow.assessments.items(assessment_id):
        raise NotFound(f"no item {item_id} in assessment {assessment_id}")


def edit_item(uow: UnitOfWork, *, actor: Actor, assessment_id: int, item_id: int, item: Item | None) -> None:
    """Replace an item (``item``) or take it out of the bank (None); attempts keep what they drew."""
    with uow:
        stored = authored(uow, actor, assessment_id)
        _question_set(stored)
        _own_item(uow, assessment_id, item_id)
        if item is None:
            uow.assessments.remove_item(item_id)
        else:
            item.validate()
            uow.assessments.replace_item(item_id, item)
        uow.commit()


def bank(uow: UnitOfWork, *, actor: Actor, assessment_id: int) -> dict[int, Item]:
    """The items with their answers: for the assessment's authors only."""
    with uow:
        authored(uow, actor, assessment_id)
        return uow.assessments.items(assessment_id)


def _views(uow: UnitOfWork, actor: Actor, found: list[StoredAssessment]) -> list[AssessmentView]:
    """The assessments as the actor sees them, reading each owner, the skills and the bank sizes once."""
    owners: dict[Owner, tuple[Resource, str]] = {}
    for stored in found:
        if stored.owner not in owners:
            owners[stored.owner] = author_resource(uow, stored.owner)
    uris = sorted({uri for stored in found for uri in stored.assessment.skills})
    labels = {uri: ref.preferred_label for uri, ref in uow.taxonomy.skill_refs(uris).items()} if uris else {}
    sizes = uow.assessments.bank_sizes([stored.id for stored in found])
    views = []
    for stored in found:
        resource, owner_name = owners[stored.owner]
        authoring = actor.is_authenticated and is_allowed(actor, Action.ASSESSMENT_AUTHOR, resource)
        reviewer_id = stored.assessment.reviewer_user_id
        reviewer = uow.accounts.get_user(reviewer_id) if authoring and reviewer_id is not None else None
        views.append(
            AssessmentView(
                stored=stored,
                owner_name=owner_name,
                skill_labels={uri: labels[uri] for uri in stored.assessment.skills if uri in labels},
                bank_size=sizes.get(stored.id, 0),
                authoring=authoring,
                reviewing=is_reviewer(actor, stored),
                reviewer_email=reviewer.email if reviewer is not None else "",
            )
        )
    return views


def get(uow: UnitOfWork, *, actor: Actor, assessment_id: int) -> AssessmentView:
    with uow:
        return _views(uow, actor, [readable(uow, actor, assessment_id)])[0]


def catalogue(uow: UnitOfWork, *, actor: Actor) -> list[AssessmentView]:
    """Published assessments, then the actor's own drafts and closed ones (authored or reviewed)."""
    authorize(actor, Action.ASSESSMENT_TAKE)
    with uow:
        shown = {
            s.id: s for s in uow.assessments.listed(states=[AssessmentState.PUBLISHED], limit=LIST_LIMIT)
        }
        if actor.user_id is not None:
            issuers = [
                i.id
                for i in uow.credentials.issuers()
                if i.owner_user_id == actor.user_id or i.organisation_id in actor.organisation_ids
            ]
            mine = uow.assessments.owned_by(
                issuer_ids=issuers, organisation_ids=sorted(actor.organisation_ids), reviewer_id=actor.user_id
            )
            for stored in mine:
                shown.setdefault(stored.id, stored)
        views = _views(uow, actor, sorted(shown.values(), key=lambda s: -s.id))
    return [v for v in views if v.stored.state is AssessmentState.PUBLISHED or v.authoring or v.reviewing]


def owners_for(uow: UnitOfWork, *, actor: Actor) -> list[tuple[Owner, str]]:
    """Whom the actor may set assessments for: the issuers they manage, the organisations they run."""
    found: list[tuple[Owner, str]] = []
    with uow:
        for issuer in uow.credentials.issuers():
            if actor.is_authenticated and is_allowed(
                actor, Action.ASSESSMENT_AUTHOR, issuer_resource(issuer)
            ):
                if actor.has_role(Role.PLATFORM_ADMIN) and issuer.owner_user_id != actor.user_id:
                    continue  # an admin may, but the list offers one's own
                found.append((Owner(issuer_id=issuer.id), issuer.name))
        for organisation_id, role in sorted(actor.memberships.items()):
            organisation = uow.accounts.get_organisation(organisation_id)
            if organisation is not None and role is OrgRole.ADMIN:
                found.append((Owner(organisation_id=organisation.id), organisation.name))
    return found


def reviewer_by_email(uow: UnitOfWork, email: str) -> int | None:
    """The user an author names as reviewer by e-mail ("" names none); 422 naming ``reviewer`` if none."""
    if not email.strip():
        return None
    with uow:
        user = uow.accounts.get_user_by_email(email.strip().lower())
    if user is None:
        raise InvalidInput(f"reviewer: no user with the e-mail {email.strip()!r}", field="reviewer")
    return user.id


def scoring_achievements(uow: UnitOfWork, *, actor: Actor) -> list[tuple[int, str]]:
    """The achievements a pass could earn: those of the actor's issuers that define a result (the score)."""
    issuers = [owner.issuer_id for owner, _ in owners_for(uow, actor=actor) if owner.issuer_id is not None]
    with uow:
        return [
            (a.id, a.definition.name)
            for issuer_id in issuers
            for a in uow.credentials.achievements(issuer_id)
            if a.definition.results
        ]
