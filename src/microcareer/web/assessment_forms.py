"""Reading the assessment pages' forms: an assessment's settings, an item, a candidate's answers and a
reviewer's rubric points. Each bad value is a 422 naming its field, as on the API."""

from __future__ import annotations

from starlette.datastructures import FormData

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.assessments.definitions import Assessment, AssessmentKind, Criterion, Owner
from microcareer.domain.assessments.items import Answer, Item, ItemKind, ItemPrompt
from microcareer.errors import InvalidInput
from microcareer.services import assessments
from microcareer.web.marketplace_pages import resolve_skill
from microcareer.web.network_pages import skill_texts
from microcareer.web.profile_forms import field_of


def whole(data: FormData, name: str, default: int | None = None) -> int:
    text = field_of(data, name).strip()
    if not text and default is not None:
        return default
    if not text.isdigit() or len(text) > 9:
        raise InvalidInput(f"{name}: a whole number", field=name)
    return int(text)


def decimal(text: str, name: str) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise InvalidInput(f"{name}: {text.strip()!r} is not a number", field=name) from None


def _kind(text: str, kinds: type[ItemKind] | type[AssessmentKind], name: str) -> str:
    if text not in {k.value for k in kinds}:
        raise InvalidInput(f"{name}: one of {', '.join(k.value for k in kinds)}", field=name)
    return text


def owner_of(data: FormData) -> Owner:
    kind, _, number = field_of(data, "owner").partition(":")
    if kind not in ("issuer", "organisation") or not number.isdigit() or len(number) > 9:
        raise InvalidInput("owner: choose the issuer or organisation that sets it", field="owner")
    return Owner(issuer_id=int(number)) if kind == "issuer" else Owner(organisation_id=int(number))


def rubric_of(text: str) -> tuple[Criterion, ...]:
    """One criterion a line: ``name = points``."""
    found = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, points = line.rpartition("=")
        if not sep or not points.strip().isdigit() or len(points.strip()) > 4:
            raise InvalidInput(f"rubric: {line.strip()!r} is not 'criterion = points'", field="rubric")
        found.append(Criterion(name.strip(), int(points)))
    return tuple(found)


def assessment_of(platform: Platform, actor: Actor, data: FormData) -> Assessment:
    kind = AssessmentKind(_kind(field_of(data, "kind") or "question_set", AssessmentKind, "kind"))
    achievement = field_of(data, "achievement_id").strip()
    return Assessment(
        title=field_of(data, "title"),
        description=field_of(data, "description"),
        skills=tuple(
            resolve_skill(platform, actor, text, "skills") for text in skill_texts(field_of(data, "skills"))
        ),
        kind=kind,
        draw_count=whole(data, "draw_count", 5),
        pass_percent=whole(data, "pass_percent", 70),
        time_limit_minutes=whole(data, "time_limit_minutes", 30),
        max_attempts=whole(data, "max_attempts", 3),
        cooldown_hours=whole(data, "cooldown_hours", 24),
        achievement_id=whole(data, "achievement_id") if achievement else None,
        task=field_of(data, "task"),
        rubric=rubric_of(field_of(data, "rubric")),
        reviewer_user_id=assessments.reviewer_by_email(platform.uow(), field_of(data, "reviewer")),
    )


def item_of(data: FormData) -> Item:
    """Options one a line; right options by their number, the first being 1."""
    kind = ItemKind(_kind(field_of(data, "kind"), ItemKind, "kind"))
    options = tuple(line.strip() for line in field_of(data, "options").splitlines() if line.strip())
    correct = []
    for part in field_of(data, "correct").replace(" ", "").split(","):
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= max(len(options), 1):
            raise InvalidInput(
                f"correct: option numbers 1 to {len(options)}, comma-separated", field="correct"
            )
        correct.append(int(part) - 1)
    accepted = tuple(line.strip() for line in field_of(data, "accepted").splitlines() if line.strip())
    return Item(
        kind=kind,
        prompt=field_of(data, "prompt"),
        options=options,
        correct=tuple(correct),
        value=decimal(field_of(data, "value"), "value"),
        tolerance=decimal(field_of(data, "tolerance"), "tolerance") or 0.0,
        accepted=accepted,
        points=whole(data, "points", 1),
    )


def answers_of(data: FormData, questions: tuple[ItemPrompt, ...]) -> dict[int, Answer]:
    """Each question's field ``item-ID``: the option(s) ticked, a number or a text; unanswered left out."""
    found: dict[int, Answer] = {}
    for q in questions:
        name, where = f"item-{q.id}", f"answers.{q.id}"
        if q.kind in (ItemKind.SINGLE_CHOICE, ItemKind.MULTIPLE_CHOICE):
            ticked = [v for v in data.getlist(name) if isinstance(v, str)]
            if any(not v.isdigit() or len(v) > 3 for v in ticked):
                raise InvalidInput(f"{where}: option numbers", field=where)
            if ticked:
                found[q.id] = Answer(choices=tuple(int(v) for v in ticked))
        elif q.kind is ItemKind.NUMERIC:
            number = decimal(field_of(data, name), where)
            if number is not None:
                found[q.id] = Answer(number=number)
        elif field_of(data, name).strip():
            found[q.id] = Answer(text=field_of(data, name))
    return found


def points_of(data: FormData, rubric: tuple[Criterion, ...]) -> dict[str, int]:
    return {c.name: whole(data, f"criterion-{i}") for i, c in enumerate(rubric)}
