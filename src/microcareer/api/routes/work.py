"""/api/v1/users/{user_id}/dashboard and /work-settings: a professional's money and time, and their settings.

Only the person and platform admins; anyone else signed in gets 404 (whether the person exists does
not leak), a signed-out caller 401. The dashboard is for today on the platform clock; until the person
saves settings, the workload threshold is ``MICROCAREER_WORKLOAD_WARNING_HOURS``. A setting out of
range is a 422 problem whose ``field`` names it.
"""

from __future__ import annotations

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.work import DashboardPublic, ManagerBody, WorkSettingsBody, WorkSettingsPublic
from microcareer.services import work_dashboard

router = PrefixRouter(prefix="/users", tags=["work"], route_class=OneHopRoute)


@router.get("/{user_id}/dashboard", response_model=DashboardPublic, summary="A professional's work dashboard")
def get_dashboard(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> DashboardPublic:
    """Income by month with its volatility, runway, hours per week with a workload warning, upcoming
    milestones, and counts of active contracts and open applications."""
    board = work_dashboard.dashboard(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        today=platform.clock().date(),
        default_threshold=platform.settings.workload_warning_hours,
    )
    return DashboardPublic.of(board)


@router.get(
    "/{user_id}/work-settings", response_model=WorkSettingsPublic, summary="A professional's work settings"
)
def get_work_settings(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> WorkSettingsPublic:
    settings = work_dashboard.get_settings(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        default_threshold=platform.settings.workload_warning_hours,
    )
    return WorkSettingsPublic.of(settings)


@router.put(
    "/{user_id}/work-settings",
    response_model=WorkSettingsPublic,
    summary="Replace a professional's work settings",
)
def put_work_settings(
    user_id: RowId, body: WorkSettingsBody, platform: PlatformDep, actor: ActorDep
) -> WorkSettingsPublic:
    """Workload threshold, contracted hours, monthly spending and cash (minor units, in ``currency``),
    and the manager who approves internal gigs; fields left out take their defaults."""
    saved = work_dashboard.save_settings(
        platform.uow(), actor=actor, user_id=user_id, settings=body.to_settings(user_id), now=platform.clock()
    )
    return WorkSettingsPublic.of(saved)


@router.put(
    "/{user_id}/manager",
    response_model=WorkSettingsPublic,
    summary="Name (or clear) who approves a person's internal gigs",
)
def put_manager(
    user_id: RowId, body: ManagerBody, platform: PlatformDep, actor: ActorDep
) -> WorkSettingsPublic:
    """For an admin of an organisation the person and the manager both belong to (or a platform admin):
    a person cannot choose who approves their own internal gigs."""
    saved = work_dashboard.set_manager(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        manager_user_id=body.manager_user_id,
        now=platform.clock(),
    )
    return WorkSettingsPublic.of(saved)
