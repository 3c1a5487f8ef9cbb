"""A professional's profile page, and the owner's forms to edit it, for signed-in users.

``/profiles/me`` leads to the signed-in user's own page, ``/profiles/{user_id}`` shows anyone's as its
visibility allows (``services/profiles.py``): a profile the reader may not see answers the same 404
page as a user that does not exist. The owner (or a platform admin) gets plain forms, each with its
CSRF token, for the profile's fields, its experiences and its skills. A form that succeeds redirects
back to the page (post/redirect/get); one that fails shows the page again with that form as it was
filled and a message naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from microcareer.api.deps import PlatformDep
from microcareer.api.edge_guard import check_form
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import ExperienceKind, Profile, Visibility
from microcareer.errors import InvalidInput, MicrocareerError, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import connections, profiles, resume_import, reviews, skill_names, taxonomy, wallet
from microcareer.services.profiles import ProfileView
from microcareer.services.skill_names import NamedSkill, UnknownSkillName
from microcareer.web.auth import WebActorDep, current_identity, form_csrf_ok, page_context
from microcareer.web.confirmation import Confirmation, confirmation_page, confirmed
from microcareer.web.marketplace_pages import user_names
from microcareer.web.profile_forms import ExperienceForm, ProfileForm, SkillForm, field_of
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)

SUGGESTIONS = 8
REVIEWS_SHOWN = 5
CSRF_ERROR = "This form expired or did not come from this site: please send it again."


def to_login(path: str, request: Request | None = None) -> Response:
    """To the sign-in page, then back to ``path``. An htmx request (``request`` given) is told to load
    it as a whole page (``HX-Redirect``): a redirect it followed itself would be swapped into a part of
    the page, leaving the form blank."""
    target = f"/login?next={path}"
    if request is not None and request.headers.get("hx-request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def not_found(request: Request, message: str) -> HTMLResponse:
    context = page_context(request, message=message)
    return templates.TemplateResponse(request, "taxonomy/not_found.html", context, status_code=404)


def user_id_of(text: str) -> int | None:
    """The path's user id, or None when it is not one (answered as not found, like an unknown id)."""
    return int(text) if text.isdigit() and len(text) < 12 else None


def today_of(platform: Platform) -> date:
    return platform.clock().date()


@dataclass(frozen=True)
class Forms:
    """The owner's three forms, and what went wrong in one of them."""

    profile: ProfileForm | None = None
    experience: ExperienceForm = field(default_factory=ExperienceForm)
    skill: SkillForm = field(default_factory=SkillForm)
    section: str = ""
    """Which form the error belongs to: "profile", "experience", "skill" or "" (the page)."""
    error: str | None = None
    field: str = ""
    """The field the error names, when it names one (marked invalid next to it)."""
    suggestions: tuple[NamedSkill, ...] = ()
    """Skills the name typed in the skill form may stand for (and why), to pick from."""


def _render(
    request: Request, platform: Platform, actor: Actor, view: ProfileView, forms: Forms, status: int = 200
) -> HTMLResponse:
    standing = reviews.reputation_of(
        platform.uow(), actor=actor, user_id=view.user_id, today=today_of(platform)
    )
    said = reviews.reviews_of(platform.uow(), actor=actor, user_id=view.user_id)[:REVIEWS_SHOWN]
    context = page_context(
        request,
        view=view,
        reputation=standing,
        reviews=said,
        reviewers=user_names(platform, [r.author_user_id for r in said]),
        forms=replace(forms, profile=forms.profile or ProfileForm.showing(view.profile)),
        skill_labels=_experience_skill_labels(platform, actor, view),
        experience_kinds=[k.value for k in ExperienceKind],
        visibilities=[v.value for v in Visibility],
        shown_credentials=wallet.public_wallet(platform.uow(), user_id=view.user_id),
        network=_standing(platform, actor, view.user_id),
    )
    return templates.TemplateResponse(request, "profiles/page.html", context, status_code=status)


def _standing(platform: Platform, actor: Actor, user_id: int) -> connections.Standing | None:
    """The signed-in reader's standing with the profile's owner (None on one's own page, signed out, or
    blocked either way: no Connect button then)."""
    if actor.user_id is None or actor.user_id == user_id:
        return None
    return connections.standing(platform.uow(), actor=actor, user_id=actor.user_id, other_id=user_id)


def _experience_skill_labels(platform: Platform, actor: Actor, view: ProfileView) -> dict[str, str]:
    """Labels of the experiences' skills: the profile's own, else looked up (few: a handful each)."""
    labels = {held.uri: held.label for held in view.skills}
    for uri in sorted({uri for e in view.profile.experiences for uri in e.skills} - labels.keys()):
        try:
            detail = taxonomy.get_skill(platform.uow(), actor=actor, uri_or_key=uri)
            labels[uri] = detail.skill.preferred_label
        except (NotFound, NotAuthenticated, PermissionDenied):
            labels[uri] = uri.rsplit("/", 1)[-1]
    return labels


def profile_view(platform: Platform, actor: Actor, user_id: int) -> ProfileView:
    """The profile as ``actor`` may read it, with confidence as of today (404 when hidden)."""
    return profiles.get_profile(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        today=today_of(platform),
        policy=platform.evidence_policy,
    )


def profile_target(request: Request, user_key: str, page: str) -> int | Response:
    """The user id a profile page is about, or the answer instead: sign in first, or not found."""
    if current_identity(request) is None:
        return to_login(page)
    user_id = user_id_of(user_key)
    if user_id is None:
        return not_found(request, f"no profile for user {user_key!r}")
    return user_id


@router.get("/profiles/me", response_class=HTMLResponse)
def my_profile(request: Request) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login("/profiles/me")
    return RedirectResponse(f"/profiles/{identity.user.id}", status_code=303)


@router.get("/profiles/{user_key}", response_class=HTMLResponse)
def profile_page(user_key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    user_id = profile_target(request, user_key, f"/profiles/{user_key}")
    if isinstance(user_id, Response):
        return user_id
    try:
        view = profile_view(platform, actor, user_id)
    except NotFound as exc:
        return not_found(request, str(exc))
    return _render(request, platform, actor, view, Forms())


@router.get("/profiles/{user_key}/json-resume")
def json_resume_download(
    user_key: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    """The profile as a JSON Resume file (``GET /api/v1/profiles/{id}/json-resume``), for whoever may
    read the profile."""
    user_id = profile_target(request, user_key, f"/profiles/{user_key}/json-resume")
    if isinstance(user_id, Response):
        return user_id
    try:
        document = resume_import.export_json_resume(platform.uow(), actor=actor, user_id=user_id)
    except NotFound as exc:
        return not_found(request, str(exc))
    name = f"profile-{user_id}.resume.json"
    return JSONResponse(document, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/profiles/{user_key}/{section}", response_class=HTMLResponse)
async def edit_profile(
    user_key: str, section: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    """One of the owner's forms: ``edit``, ``experiences/add`` (``experiences``), ``skills`` and removals."""
    if current_identity(request) is None:
        return to_login(f"/profiles/{user_key}")
    user_id = user_id_of(user_key)
    if user_id is None or section not in _EDITS:
        return not_found(request, f"no profile page {request.url.path!r}")
    try:
        data = check_form(await request.form())
    except HTTPException as exc:  # the form parser's refusal: too large, too many fields, malformed
        forms = Forms(section="page", error=f"The form could not be read: {exc.detail}")
        return await run_in_threadpool(_answer_error, request, platform, actor, user_id, forms, 400)
    return await run_in_threadpool(_edit, request, platform, actor, user_id, section, data)


def _edit(
    request: Request, platform: Platform, actor: Actor, user_id: int, section: str, data: FormData
) -> Response:
    forms = _forms_of(section, data)
    if not form_csrf_ok(request, field_of(data, "csrf_token")):
        return _answer_error(request, platform, actor, user_id, replace(forms, error=CSRF_ERROR), 403)
    try:
        view = profile_view(platform, actor, user_id)  # a reader who may not see the profile: 404 first
    except NotFound as exc:
        return not_found(request, str(exc))
    confirm = _confirmation(section, view, data)
    if confirm is not None and not confirmed(data):
        back = f"/profiles/{user_id}#{'skills' if section == 'skills-remove' else 'experiences'}"
        return confirmation_page(request, confirm, data, back=back)
    try:
        anchor = _EDITS[section](platform, actor, view, forms, data)
    except UnknownSkillName as unknown:
        suggestions = unknown.candidates[:SUGGESTIONS]
        forms = replace(forms, error=str(unknown), field="skill", suggestions=suggestions)
        return _render(request, platform, actor, view, forms, unknown.status)
    except MicrocareerError as exc:
        failed = replace(forms, error=str(exc), field=str(exc.extra.get("field") or ""))
        return _answer_error(request, platform, actor, user_id, failed, exc.status)
    return RedirectResponse(f"/profiles/{user_id}#{anchor}", status_code=303)


def _confirmation(section: str, view: ProfileView, data: FormData) -> Confirmation | None:
    """What removing a skill or an experience asks first: neither can be undone."""
    if section == "skills-remove":
        uri = field_of(data, "uri")
        label = next((held.label for held in view.skills if held.uri == uri), uri)
        return Confirmation(
            f"Remove {label}?",
            f"{label} leaves the profile with all its evidence (claims, CV, credentials, micro-jobs); "
            "this cannot be undone: adding it again starts with no evidence.",
            "Yes, remove it",
        )
    if section == "experiences-remove":
        title = field_of(data, "title") or "this experience"
        return Confirmation(
            f"Remove {title}?", f"{title} leaves the profile; this cannot be undone.", "Yes, remove it"
        )
    return None


def _answer_error(
    request: Request, platform: Platform, actor: Actor, user_id: int, forms: Forms, status: int
) -> Response:
    try:
        view = profile_view(platform, actor, user_id)
    except NotFound as exc:
        return not_found(request, str(exc))
    return _render(request, platform, actor, view, forms, status)


def _forms_of(section: str, data: FormData) -> Forms:
    if section == "edit":
        return Forms(profile=ProfileForm.of(data), section="profile")
    if section == "experiences":
        return Forms(experience=ExperienceForm.of(data), section="experience")
    if section == "skills":
        return Forms(skill=SkillForm.of(data), section="skill")
    return Forms(section="experience" if section.startswith("experiences") else "skill")


def _save(platform: Platform, actor: Actor, view: ProfileView, profile: Profile) -> None:
    now = platform.clock()
    profiles.save_profile(platform.uow(), actor=actor, user_id=view.user_id, profile=profile, now=now)


def _save_fields(platform: Platform, actor: Actor, view: ProfileView, forms: Forms, data: FormData) -> str:
    assert forms.profile is not None
    profile = forms.profile.profile(view.profile)
    _save(platform, actor, view, profile)
    return "profile"


def _add_experience(platform: Platform, actor: Actor, view: ProfileView, forms: Forms, data: FormData) -> str:
    experience = forms.experience.experience()
    profile = replace(view.profile, experiences=(*view.profile.experiences, experience))
    _save(platform, actor, view, profile)
    return "experiences"


def _remove_experience(
    platform: Platform, actor: Actor, view: ProfileView, forms: Forms, data: FormData
) -> str:
    index = field_of(data, "index")
    experiences = list(view.profile.experiences)
    if not index.isdigit() or int(index) >= len(experiences):
        raise InvalidInput(f"index: no experience {index!r} on the profile", field="index")
    if experiences[int(index)].title != field_of(data, "title"):
        changed = "experience: the profile changed since this page was shown: try again"
        raise InvalidInput(changed, field="index")
    del experiences[int(index)]
    profile = replace(view.profile, experiences=tuple(experiences))
    _save(platform, actor, view, profile)
    return "experiences"


def _add_skill(platform: Platform, actor: Actor, view: ProfileView, forms: Forms, data: FormData) -> str:
    form = forms.skill
    proficiency = form.proficiency()
    if not form.skill:
        raise InvalidInput("skill: type a skill's name, key or URI", field="skill")
    uri = skill_names.resolve_skill(
        platform.uow(), platform.caches, platform.lexicons, actor=actor, text=form.skill
    ).skill.uri
    today = today_of(platform)
    evidence = [Evidence(EvidenceKind.SELF_CLAIM, today, source="profile page")] if form.claim else []
    profiles.set_skill(
        platform.uow(),
        actor=actor,
        user_id=view.user_id,
        uri=uri,
        proficiency=proficiency,
        evidence=evidence,
        now=platform.clock(),
    )
    return "skills"


def _remove_skill(platform: Platform, actor: Actor, view: ProfileView, forms: Forms, data: FormData) -> str:
    profiles.remove_skill(platform.uow(), actor=actor, user_id=view.user_id, uri=field_of(data, "uri"))
    return "skills"


_EDITS = {
    "edit": _save_fields,
    "experiences": _add_experience,
    "experiences-remove": _remove_experience,
    "skills": _add_skill,
    "skills-remove": _remove_skill,
}
