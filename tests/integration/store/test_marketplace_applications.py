"""Applying, approving and accepting on SQLite and PostgreSQL: every step checked, the contract made."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.applications import ApplicationState, ApprovalState
from microcareer.domain.marketplace.contracts import ContractKind, ContractState, Milestone
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, JobState
from microcareer.domain.marketplace.money import Money
from microcareer.domain.marketplace.records import StoredJob, WorkSettings
from microcareer.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from microcareer.services import job_applications, micro_jobs
from microcareer.services.job_applications import AcceptTerms
from tests.integration.job_market_helpers import NOW, TODAY, People, a_job, a_proposal, make_people, uid

FEE_BP = 1000


def _open_job(platform: Platform, poster: Actor, **changes: object) -> StoredJob:
    job = micro_jobs.post_job(platform.uow(), actor=poster, job=a_job(**changes), now=NOW)
    return micro_jobs.publish_job(platform.uow(), actor=poster, job_id=job.id, now=NOW)


def _internal_job(platform: Platform, people: People, **changes: object) -> StoredJob:
    return _open_job(
        platform, people.admin, audience=Audience.INTERNAL, organisation_id=people.acme, **changes
    )


def _set_manager(platform: Platform, people: People, contracted: float = 40.0) -> None:
    with platform.uow() as uow:
        uow.marketplace.save_work_settings(
            WorkSettings(
                uid(people.employee),
                contracted_hours_per_week=contracted,
                manager_user_id=uid(people.manager),
            ),
            at=NOW,
        )
        uow.commit()


def test_applying_twice_to_your_own_or_a_closed_job_is_refused(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    uow = taxonomy_platform.uow
    job = _open_job(taxonomy_platform, people.client)
    applied = job_applications.apply(uow(), actor=people.pro, job_id=job.id, proposal=a_proposal(), now=NOW)
    assert applied.state is ApplicationState.SUBMITTED
    assert applied.approval is ApprovalState.NOT_NEEDED
    with pytest.raises(Conflict, match="already applied"):
        job_applications.apply(uow(), actor=people.pro, job_id=job.id, proposal=a_proposal(), now=NOW)
    with pytest.raises(PermissionDenied, match="your own job"):
        job_applications.apply(uow(), actor=people.client, job_id=job.id, proposal=a_proposal(), now=NOW)
    with pytest.raises(InvalidInput, match="rate: in USD"):
        job_applications.apply(
            uow(), actor=people.employee, job_id=job.id, proposal=a_proposal(currency="USD"), now=NOW
        )
    draft = micro_jobs.post_job(uow(), actor=people.client, job=a_job(), now=NOW)
    with pytest.raises(NotFound):  # a draft is nobody else's to see
        job_applications.apply(uow(), actor=people.pro, job_id=draft.id, proposal=a_proposal(), now=NOW)
    micro_jobs.cancel_job(uow(), actor=people.client, job_id=job.id, now=NOW)
    with pytest.raises(Conflict, match="it is cancelled; only open jobs take applications"):
        job_applications.apply(uow(), actor=people.employee, job_id=job.id, proposal=a_proposal(), now=NOW)


def test_applicants_withdraw_and_posters_shortlist_and_decline(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    uow = taxonomy_platform.uow
    job = _open_job(taxonomy_platform, people.client)
    first = job_applications.apply(uow(), actor=people.pro, job_id=job.id, proposal=a_proposal(), now=NOW)
    second = job_applications.apply(
        uow(), actor=people.employee, job_id=job.id, proposal=a_proposal(), now=NOW
    )
    with pytest.raises(PermissionDenied):  # not theirs to manage
        job_applications.list_for_job(uow(), actor=people.pro, job_id=job.id)
    with pytest.raises(PermissionDenied):
        job_applications.shortlist(uow(), actor=people.employee, application_id=first.id, now=NOW)
    with pytest.raises(PermissionDenied):  # the poster cannot withdraw for the applicant
        job_applications.withdraw(uow(), actor=people.client, application_id=first.id, now=NOW)
    listed = job_applications.shortlist(uow(), actor=people.client, application_id=first.id, now=NOW)
    assert listed.state is ApplicationState.SHORTLISTED
    with pytest.raises(Conflict, match="cannot go from shortlisted to shortlisted"):
        job_applications.shortlist(uow(), actor=people.client, application_id=first.id, now=NOW)
    gone = job_applications.withdraw(uow(), actor=people.employee, application_id=second.id, now=NOW)
    assert gone.state is ApplicationState.WITHDRAWN
    with pytest.raises(Conflict, match="cannot go from withdrawn to declined"):
        job_applications.decline(uow(), actor=people.client, application_id=second.id, now=NOW)
    declined = job_applications.decline(uow(), actor=people.client, application_id=first.id, now=NOW)
    assert declined.state is ApplicationState.DECLINED
    states = {a.id: a.state for a in job_applications.list_for_job(uow(), actor=people.client, job_id=job.id)}
    assert states == {first.id: ApplicationState.DECLINED, second.id: ApplicationState.WITHDRAWN}
    assert [a.id for a in job_applications.my_applications(uow(), actor=people.pro)] == [first.id]


def test_accepting_makes_the_contract_and_settles_the_rest(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    uow = taxonomy_platform.uow
    job = _open_job(taxonomy_platform, people.client)
    chosen = job_applications.apply(
        uow(), actor=people.pro, job_id=job.id, proposal=a_proposal(48_000), now=NOW
    )
    other = job_applications.apply(
        uow(), actor=people.employee, job_id=job.id, proposal=a_proposal(45_000), now=NOW
    )
    with pytest.raises(PermissionDenied):  # a stranger to the job
        job_applications.accept(
            uow(),
            actor=people.stranger,
            application_id=chosen.id,
            terms=AcceptTerms(),
            fee_bp=FEE_BP,
            now=NOW,
        )
    with pytest.raises(PermissionDenied):  # nor the applicant
        job_applications.accept(
            uow(), actor=people.pro, application_id=chosen.id, terms=AcceptTerms(), fee_bp=FEE_BP, now=NOW
        )
    short = AcceptTerms(milestones=(Milestone("Draft", Money(20_000, "EUR"), date(2026, 12, 10)),))
    with pytest.raises(InvalidInput, match=r"add up to EUR 200.00, but the accepted price is EUR 480.00"):
        job_applications.accept(
            uow(), actor=people.client, application_id=chosen.id, terms=short, fee_bp=FEE_BP, now=NOW
        )
    with pytest.raises(InvalidInput, match="weekly_limit_hours: for hourly jobs"):
        job_applications.accept(
            uow(),
            actor=people.client,
            application_id=chosen.id,
            terms=AcceptTerms(weekly_limit_hours=5),
            fee_bp=FEE_BP,
            now=NOW,
        )
    terms = AcceptTerms(
        milestones=(
            Milestone("Draft", Money(20_000, "EUR"), date(2026, 12, 10)),
            Milestone("Final", Money(28_000, "EUR"), date(2026, 12, 20)),
        )
    )
    contract = job_applications.accept(
        uow(), actor=people.client, application_id=chosen.id, terms=terms, fee_bp=FEE_BP, now=NOW
    )
    assert contract.kind is ContractKind.FIXED
    assert contract.state is ContractState.ACTIVE
    assert contract.client_user_id == uid(people.client)
    assert contract.professional_user_id == uid(people.pro)
    assert contract.fee_bp == FEE_BP
    assert not contract.internal
    with uow() as check:
        milestones = check.marketplace.milestones(contract.id, "EUR")
        assert [m.milestone.title for m in milestones] == ["Draft", "Final"]
        assert sum(m.milestone.amount.amount for m in milestones) == 48_000
        assert check.marketplace.get_job(job.id).job.state is JobState.IN_PROGRESS  # type: ignore[union-attr]
        assert check.marketplace.get_application(chosen.id).state is ApplicationState.ACCEPTED  # type: ignore[union-attr]
        assert check.marketplace.get_application(other.id).state is ApplicationState.DECLINED  # type: ignore[union-attr]
        assert check.marketplace.contract_for_job(job.id) == contract
    with pytest.raises(Conflict):  # the job is no longer open
        job_applications.accept(
            uow(), actor=people.client, application_id=other.id, terms=AcceptTerms(), fee_bp=FEE_BP, now=NOW
        )
    with pytest.raises(Conflict, match="in_progress"):
        micro_jobs.cancel_job(uow(), actor=people.client, job_id=job.id, now=NOW)


def test_a_failed_accept_changes_nothing(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    uow = taxonomy_platform.uow
    job = _open_job(taxonomy_platform, people.client)
    chosen = job_applications.apply(uow(), actor=people.pro, job_id=job.id, proposal=a_proposal(), now=NOW)
    bad = AcceptTerms(milestones=(Milestone("Draft", Money(48_000, "EUR"), date(2026, 1, 1)),))
    with pytest.raises(InvalidInput, match=r"milestones\[0\].due: 2026-01-01 is in the past"):
        job_applications.accept(
            uow(), actor=people.client, application_id=chosen.id, terms=bad, fee_bp=FEE_BP, now=NOW
        )
    with uow() as check:
        assert check.marketplace.contract_for_job(job.id) is None
        assert check.marketplace.get_job(job.id).job.state is JobState.OPEN  # type: ignore[union-attr]


def test_default_terms_one_delivery_or_the_weekly_hours(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    uow = taxonomy_platform.uow
    fixed = _open_job(taxonomy_platform, people.client, end=None)
    app = job_applications.apply(uow(), actor=people.pro, job_id=fixed.id, proposal=a_proposal(), now=NOW)
    contract = job_applications.accept(
        uow(), actor=people.client, application_id=app.id, terms=AcceptTerms(), fee_bp=FEE_BP, now=NOW
    )
    with uow() as check:
        [delivery] = check.marketplace.milestones(contract.id, "EUR")
    assert delivery.milestone == Milestone("Delivery", Money(48_000, "EUR"), TODAY + timedelta(days=14))

    hourly = _open_job(
        taxonomy_platform, people.client, budget=Budget(BudgetKind.HOURLY, Money(6_000, "EUR"))
    )
    app = job_applications.apply(
        uow(), actor=people.pro, job_id=hourly.id, proposal=a_proposal(5_500, hours_per_week=12), now=NOW
    )
    contract = job_applications.accept(
        uow(), actor=people.client, application_id=app.id, terms=AcceptTerms(), fee_bp=FEE_BP, now=NOW
    )
    assert contract.kind is ContractKind.HOURLY
    assert contract.hourly_rate == Money(5_500, "EUR")
    assert contract.weekly_limit_hours == 12
    with uow() as check:
        assert check.marketplace.milestones(contract.id, "EUR") == []


def test_internal_jobs_need_the_managers_approval(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    uow = taxonomy_platform.uow
    _set_manager(taxonomy_platform, people)
    job = _internal_job(taxonomy_platform, people)
    with pytest.raises(NotFound):  # another organisation's internal job does not exist for them
        job_applications.apply(uow(), actor=people.stranger, job_id=job.id, proposal=a_proposal(), now=NOW)
    app = job_applications.apply(
        uow(), actor=people.employee, job_id=job.id, proposal=a_proposal(hours_per_week=4), now=NOW
    )
    assert app.approval is ApprovalState.PENDING
    with pytest.raises(Conflict, match="waits for the applicant's manager"):
        job_applications.accept(
            uow(), actor=people.admin, application_id=app.id, terms=AcceptTerms(), fee_bp=FEE_BP, now=NOW
        )
    with pytest.raises(PermissionDenied, match="own application"):
        job_applications.decide_approval(
            uow(), actor=people.employee, application_id=app.id, approve=True, now=NOW
        )
    with pytest.raises(PermissionDenied):  # a colleague is not the manager
        job_applications.decide_approval(
            uow(), actor=people.colleague, application_id=app.id, approve=True, now=NOW
        )
    with pytest.raises(NotFound):
        job_applications.decide_approval(
            uow(), actor=people.stranger, application_id=app.id, approve=True, now=NOW
        )

    def waiting(actor: Actor) -> list[int]:
        return [a.id for _, a in job_applications.waiting_for_approval(uow(), actor=actor)]

    # what waits: for the designated manager and the organisation's admins; nobody else, not the employee
    assert waiting(people.manager) == waiting(people.admin) == [app.id]
    assert waiting(people.colleague) == waiting(people.stranger) == waiting(people.employee) == []
    approved = job_applications.decide_approval(
        uow(), actor=people.manager, application_id=app.id, approve=True, now=NOW
    )
    assert waiting(people.manager) == []
    assert approved.approval is ApprovalState.APPROVED
    assert approved.approver_user_id == uid(people.manager)
    with pytest.raises(Conflict, match="cannot go from approved to refused"):
        job_applications.decide_approval(
            uow(), actor=people.admin, application_id=app.id, approve=False, now=NOW
        )
    contract = job_applications.accept(
        uow(), actor=people.admin, application_id=app.id, terms=AcceptTerms(), fee_bp=FEE_BP, now=NOW
    )
    assert contract.internal
    assert contract.fee_bp == 0  # no fee inside the organisation
    assert contract.organisation_id == people.acme


def test_a_refused_approval_blocks_accepting(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    uow = taxonomy_platform.uow
    job = _internal_job(taxonomy_platform, people)
    app = job_applications.apply(uow(), actor=people.colleague, job_id=job.id, proposal=a_proposal(), now=NOW)
    refused = job_applications.decide_approval(
        uow(), actor=people.admin, application_id=app.id, approve=False, now=NOW
    )
    assert refused.approval is ApprovalState.REFUSED
    with pytest.raises(Conflict, match="manager refused it"):
        job_applications.accept(
            uow(), actor=people.admin, application_id=app.id, terms=AcceptTerms(), fee_bp=FEE_BP, now=NOW
        )


def test_the_internal_cap_holds_with_numbers(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    uow = taxonomy_platform.uow
    _set_manager(taxonomy_platform, people, contracted=40.0)  # cap 20% of 40 h = 8 h a week
    with pytest.raises(Conflict, match=r"0.0 h a week already .* \+ 9.0 h = 9.0 h, over the cap of 20% of"):
        job_applications.apply(
            uow(),
            actor=people.employee,
            job_id=_internal_job(taxonomy_platform, people).id,
            proposal=a_proposal(hours_per_week=9),
            now=NOW,
        )
    first = _internal_job(taxonomy_platform, people, title="First internal gig")
    second = _internal_job(taxonomy_platform, people, title="Second internal gig")
    apps = [
        job_applications.apply(
            uow(), actor=people.employee, job_id=job.id, proposal=a_proposal(hours_per_week=5), now=NOW
        )
        for job in (first, second)
    ]
    for app in apps:
        job_applications.decide_approval(
            uow(), actor=people.manager, application_id=app.id, approve=True, now=NOW
        )
    job_applications.accept(
        uow(), actor=people.admin, application_id=apps[0].id, terms=AcceptTerms(), fee_bp=FEE_BP, now=NOW
    )
    with pytest.raises(Conflict, match=r"5.0 h a week already in internal gigs \+ 5.0 h = 10.0 h") as caught:
        job_applications.accept(
            uow(), actor=people.admin, application_id=apps[1].id, terms=AcceptTerms(), fee_bp=FEE_BP, now=NOW
        )
    assert caught.value.extra == {"used": 5.0, "asked": 5.0, "cap": 8.0}
    with taxonomy_platform.uow() as uow_:
        uow_.marketplace.set_internal_cap_share(people.acme, 0.25, at=NOW)  # 10 h: now it fits
        uow_.commit()
    contract = job_applications.accept(
        uow(), actor=people.admin, application_id=apps[1].id, terms=AcceptTerms(), fee_bp=FEE_BP, now=NOW
    )
    assert contract.hours_per_week == 5


def test_the_internal_cap_holds_when_two_gigs_are_accepted_at_once(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    uow = taxonomy_platform.uow
    _set_manager(taxonomy_platform, people, contracted=40.0)  # cap 8 h a week: one 5 h gig fits, two do not
    apps = []
    for title in ("First internal gig", "Second internal gig"):
        job = _internal_job(taxonomy_platform, people, title=title)
        app = job_applications.apply(
            uow(), actor=people.employee, job_id=job.id, proposal=a_proposal(hours_per_week=5), now=NOW
        )
        job_applications.decide_approval(
            uow(), actor=people.manager, application_id=app.id, approve=True, now=NOW
        )
        apps.append(app)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(application_id: int) -> None:
        start.wait()
        try:
            job_applications.accept(
                uow(),
                actor=people.admin,
                application_id=application_id,
                terms=AcceptTerms(),
                fee_bp=FEE_BP,
                now=NOW,
            )
            outcomes.append("accepted")
        except Conflict as error:
            outcomes.append("cap" if "over the cap" in error.detail else f"conflict: {error.detail}")

    threads = [threading.Thread(target=accept, args=(app.id,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["accepted", "cap"]
    with uow() as check:
        assert check.marketplace.internal_hours_per_week(uid(people.employee)) == 5
