"""The professional's dashboard, and searching people by skills.

``/dashboard`` is the signed-in person's own (``services/work_dashboard.py``): income by month as a
column chart with its volatility reading, runway, hours per ISO week with the threshold line and the
workload warning, upcoming milestones, and the settings form. Charts are inline SVG drawn from
``web/charts.py``. ``/talent?skill=...`` (the field repeated, a label, key or URI each) ranks available
people by how well their evidence covers the skills, explaining each skill's confidence; ``/talent?q=``
searches the people the reader may read by words (``services/search``, misspellings forgiven), with
place and hours-a-week filters and facet counts that link to the narrower search.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.money import Money, currency_code
from microcareer.domain.marketplace.records import WorkSettings
from microcareer.domain.search import QUERY_MAX, PeopleFilters
from microcareer.errors import InvalidInput, MicrocareerError, NotFound
from microcareer.services import search, talent_search, work_dashboard
from microcareer.services.talent_search import Candidate
from microcareer.web.auth import WebActorDep, current_identity, form_csrf_ok, page_context
from microcareer.web.charts import hours_chart, income_chart
from microcareer.web.job_forms import money, number
from microcareer.web.marketplace_pages import major, organisation_names, read_form, resolve_skill
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.profiles import CSRF_ERROR, to_login, today_of
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)

TALENT_LIMIT = 20
TALENT_SKILLS_MAX = 10


@dataclass(frozen=True)
class SettingsForm:
    threshold: str = ""
    contracted: str = ""
    spending: str = ""
    cash: str = ""
    currency: str = ""

    @classmethod
    def of(cls, data: FormData) -> SettingsForm:
        return cls(
            threshold=field_of(data, "threshold"),
            contracted=field_of(data, "contracted"),
            spending=field_of(data, "spending"),
            cash=field_of(data, "cash"),
            currency=field_of(data, "currency"),
        )

    @classmethod
    def showing(cls, settings: WorkSettings) -> SettingsForm:
        return cls(
            threshold=f"{settings.workload_threshold_hours:g}",
            contracted=f"{settings.contracted_hours_per_week:g}",
            spending=major(Money(settings.monthly_spending, settings.currency)),
            cash=major(Money(settings.cash, settings.currency)),
            currency=settings.currency,
        )

    def settings(self, current: WorkSettings) -> WorkSettings:
        """The settings as typed; the manager stays as it is (an organisation admin names it)."""
        currency = currency_code(self.currency or current.currency)
        return WorkSettings(
            user_id=current.user_id,
            workload_threshold_hours=number(self.threshold, "workload_threshold_hours"),
            contracted_hours_per_week=number(self.contracted, "contracted_hours_per_week"),
            monthly_spending=money(self.spending or "0", currency, "monthly_spending").amount,
            cash=money(self.cash or "0", currency, "cash").amount,
            currency=currency,
            manager_user_id=current.manager_user_id,
        )


def _dashboard_page(
    request: Request,
    platform: Platform,
    actor: Actor,
    user_id: int,
    *,
    form: SettingsForm | None = None,
    error: str | None = None,
    saved: bool = False,
    status: int = 200,
) -> HTMLResponse:
    board = work_dashboard.dashboard(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        today=today_of(platform),
        default_threshold=platform.settings.workload_warning_hours,
    )
    main = board.income[0]
    context = page_context(
        request,
        board=board,
        income=main,
        others=board.income[1:],
        income_chart=income_chart(main.months, main.currency),
        hours_chart=hours_chart(board.weeks, board.threshold_hours),
        form=form or SettingsForm.showing(board.settings),
        error=error,
        saved=saved,
        money=lambda minor, currency: Money(minor, currency).format(),
    )
    return templates.TemplateResponse(request, "work/dashboard.html", context, status_code=status)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    platform: PlatformDep,
    actor: WebActorDep,
    saved: Annotated[bool, Query()] = False,
) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login("/dashboard")
    return _dashboard_page(request, platform, actor, identity.user.id, saved=saved)


@router.post("/dashboard/settings", response_class=HTMLResponse)
async def save_settings(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login("/dashboard")
    user_id = identity.user.id
    data = await read_form(request)
    if isinstance(data, str):
        return await run_in_threadpool(
            _dashboard_page, request, platform, actor, user_id, error=data, status=400
        )
    return await run_in_threadpool(_save_settings, request, platform, actor, user_id, data)


def _save_settings(
    request: Request, platform: Platform, actor: Actor, user_id: int, data: FormData
) -> Response:
    form = SettingsForm.of(data)
    if not form_csrf_ok(request, field_of(data, "csrf_token")):
        return _dashboard_page(request, platform, actor, user_id, form=form, error=CSRF_ERROR, status=403)
    try:
        current = work_dashboard.get_settings(platform.uow(), actor=actor, user_id=user_id)
        work_dashboard.save_settings(
            platform.uow(),
            actor=actor,
            user_id=user_id,
            settings=form.settings(current),
            now=platform.clock(),
        )
    except MicrocareerError as exc:
        return _dashboard_page(
            request, platform, actor, user_id, form=form, error=str(exc), status=exc.status
        )
    return RedirectResponse("/dashboard?saved=true#settings", status_code=303)


# searching people ------------------------------------------------------------------------------


@router.get("/talent", response_class=HTMLResponse)
def talent_page(
    request: Request,
    platform: PlatformDep,
    actor: WebActorDep,
    skill: Annotated[list[str] | None, Query(max_length=500)] = None,
    q: Annotated[str, Query(max_length=QUERY_MAX)] = "",
    place: Annotated[str, Query(max_length=200)] = "",
    hours_min: Annotated[str, Query(max_length=3, pattern=r"^\d*$")] = "",
    organisation: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    if current_identity(request) is None:
        return to_login("/talent")
    typed = [s.strip() for s in (skill or []) if s.strip()][:TALENT_SKILLS_MAX]
    candidates: list[Candidate] = []
    error = None
    status = 200
    if typed:
        try:
            uris = [resolve_skill(platform, actor, text, f"skill[{i}]") for i, text in enumerate(typed)]
            candidates = talent_search.find_people(
                platform.uow(),
                actor=actor,
                skills=uris,
                limit=TALENT_LIMIT,
                today=today_of(platform),
                policy=platform.evidence_policy,
            )
        except (InvalidInput, NotFound) as exc:
            error, status = str(exc), exc.status
    found = None
    params = {"q": q, "place": place, "hours_min": hours_min, "organisation": organisation or ""}
    if any(params.values()):
        filters = PeopleFilters(
            place=place, hours_min=int(hours_min) if hours_min else None, organisation_id=organisation
        )
        found = search.search_people(platform.uow(), actor=actor, q=q, filters=filters, limit=TALENT_LIMIT)
    facet_orgs = [int(c.value) for c in found.facets.of("organisation")] if found else []
    context = page_context(
        request,
        typed=typed,
        rows=[*typed, "", ""][: max(3, len(typed) + 1)],
        candidates=candidates,
        error=error,
        found=found,
        params={k: v for k, v in params.items() if v != ""},
        organisations=organisation_names(platform, facet_orgs),
    )
    return templates.TemplateResponse(request, "work/talent.html", context, status_code=status)
