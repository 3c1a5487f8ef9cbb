"""A world for skill assessments: an approved issuer with a scored achievement, an organisation, a
reviewer, a candidate, another user and a client; a published question set (one item of each kind,
three drawn per attempt) and an organisation's work sample, built through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.domain.assessments.definitions import (
    Assessment,
    AssessmentKind,
    AssessmentState,
    Criterion,
    Owner,
)
from microcareer.domain.assessments.items import Answer, Item, ItemKind
from microcareer.domain.credentials.open_badges import AchievementDefinition, ResultSpec, SkillAlignment
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, JobState, MicroJob
from microcareer.domain.marketplace.money import Money
from microcareer.services import achievements, assessments, credential_issuers, issuer_standing, micro_jobs
from tests.integration.taxonomy_helpers import PYTHON

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
ADMIN = Actor(user_id=None, roles=frozenset({Role.PLATFORM_ADMIN}))
PASSWORD = "correct horse battery"

ITEMS = (
    Item(ItemKind.SINGLE_CHOICE, "Which keyword defines a function?", ("def", "fun", "lambda"), correct=(0,)),
    Item(ItemKind.MULTIPLE_CHOICE, "Which are immutable?", ("tuple", "list", "str", "dict"), correct=(0, 2)),
    Item(ItemKind.NUMERIC, "What is 7 / 2?", value=3.5, tolerance=0.01),
    Item(ItemKind.SHORT_TEXT, "The name of Python's package installer?", accepted=("pip", "pip3")),
)
RIGHT = (
    Answer(choices=(0,)),
    Answer(choices=(2, 0)),
    Answer(number=3.504),
    Answer(text="  PIP. "),
)
"""A right answer to each of ``ITEMS``, in order (numeric within tolerance, text normalised)."""


@dataclass(frozen=True)
class AssessmentWorld:
    issuer_author: Actor
    org_admin: Actor
    reviewer: Actor
    candidate: Actor
    other: Actor
    client: Actor
    issuer_id: int
    organisation_id: int
    achievement_id: int
    question_set_id: int
    work_sample_id: int
    item_ids: tuple[int, ...]
    """The question set's items, in the order of ``ITEMS``."""

    def right_answers(self, drawn: tuple[int, ...]) -> dict[int, Answer]:
        by_id = dict(zip(self.item_ids, RIGHT, strict=True))
        return {i: by_id[i] for i in drawn}


def question_set(**changes: object) -> Assessment:
    values: dict[str, object] = {
        "title": "Python basics",
        "description": "Four kinds of question on everyday Python.",
        "skills": (PYTHON,),
        "draw_count": 3,
        "pass_percent": 60,
        "time_limit_minutes": 20,
        "max_attempts": 2,
        "cooldown_hours": 24,
    }
    values.update(changes)
    return Assessment(**values)  # type: ignore[arg-type]


def make_assessment_world(
    platform: Platform, *, public_url: str = "http://127.0.0.1:8000"
) -> AssessmentWorld:
    with platform.uow() as uow:

        def user(email: str, name: str, roles: list[Role]) -> Actor:
            made = uow.accounts.add_user(
                email=email, display_name=name, password_hash="x", roles=roles, created_at=NOW
            )
            return Actor(user_id=made.id, roles=frozenset(roles))

        author = user("school@assess.test", "School", [Role.ISSUER])
        org_admin = user("boss@assess.test", "Bea", [Role.CLIENT])
        reviewer = user("rev@assess.test", "Rex", [Role.PROFESSIONAL])
        candidate = user("cand@assess.test", "Cara", [Role.PROFESSIONAL])
        other = user("other@assess.test", "Olga", [Role.PROFESSIONAL])
        client = user("client@assess.test", "Cleo", [Role.CLIENT])
        org = uow.accounts.add_organisation(slug="assessco", name="AssessCo", created_at=NOW)
        assert org_admin.user_id is not None
        uow.accounts.set_membership(org.id, org_admin.user_id, OrgRole.ADMIN, created_at=NOW)
        uow.commit()
    org_admin = Actor(user_id=org_admin.user_id, roles=org_admin.roles, memberships={org.id: OrgRole.ADMIN})
    issuer = credential_issuers.create_issuer(
        platform.uow(),
        platform.key_vault,
        actor=author,
        name="Python Academy",
        url="https://academy.example",
        email="badges@academy.example",
        public_url=public_url,
        now=NOW,
    )
    issuer_standing.approve_issuer(platform.uow(), actor=ADMIN, slug=issuer.slug, now=NOW)
    achievement = achievements.define_achievement(
        platform.uow(),
        actor=author,
        issuer_slug=issuer.slug,
        definition=AchievementDefinition(
            name="Python basics (assessed)",
            description="Passed the Python basics assessment.",
            criteria="Score 60% or more in the timed Python basics assessment.",
            alignments=(SkillAlignment(PYTHON, ""),),
            results=(ResultSpec("score", "Percent"),),
        ),
        now=NOW,
    )
    stored = assessments.create(
        platform.uow(),
        actor=author,
        owner=Owner(issuer_id=issuer.id),
        assessment=question_set(achievement_id=achievement.id),
        now=NOW,
    )
    item_ids = tuple(
        assessments.add_item(platform.uow(), actor=author, assessment_id=stored.id, item=item, now=NOW)
        for item in ITEMS
    )
    assessments.update(
        platform.uow(), actor=author, assessment_id=stored.id, state=AssessmentState.PUBLISHED, now=NOW
    )
    sample = assessments.create(
        platform.uow(),
        actor=org_admin,
        owner=Owner(organisation_id=org.id),
        assessment=Assessment(
            title="Clean a CSV file",
            description="A practical task.",
            skills=(PYTHON,),
            kind=AssessmentKind.WORK_SAMPLE,
            task="Write a script that drops empty rows from a CSV file; link to it.",
            rubric=(Criterion("works", 6), Criterion("readable", 4)),
            reviewer_user_id=reviewer.user_id,
            time_limit_minutes=120,
            max_attempts=1,
        ),
        now=NOW,
    )
    assessments.update(
        platform.uow(), actor=org_admin, assessment_id=sample.id, state=AssessmentState.PUBLISHED, now=NOW
    )
    return AssessmentWorld(
        issuer_author=author,
        org_admin=org_admin,
        reviewer=reviewer,
        candidate=candidate,
        other=other,
        client=client,
        issuer_id=issuer.id,
        organisation_id=org.id,
        achievement_id=achievement.id,
        question_set_id=stored.id,
        work_sample_id=sample.id,
        item_ids=item_ids,
    )


def post_open_job(platform: Platform, world: AssessmentWorld) -> int:
    """The client's published open-market job for Python (fixed EUR 200)."""
    job = micro_jobs.post_job(
        platform.uow(),
        actor=world.client,
        job=MicroJob(
            title="Clean our CSV exports",
            brief="A small Python script to clean the monthly CSV exports of the shop.",
            required_skills=(PYTHON,),
            nice_skills=(),
            budget=Budget(BudgetKind.FIXED, Money(20_000, "EUR")),
            expected_hours=8,
            start=None,
            end=None,
            remote=True,
            place="",
            audience=Audience.OPEN,
            organisation_id=None,
            state=JobState.DRAFT,
        ),
        now=NOW,
    )
    micro_jobs.publish_job(platform.uow(), actor=world.client, job_id=job.id, now=NOW)
    return job.id
