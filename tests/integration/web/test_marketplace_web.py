"""The marketplace pages on the mini ESCO, on each database: the whole path through the forms, escaping,
CSRF, hidden internal jobs and the dashboard's charts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.marketplace.contracts import ContractState, MilestoneState
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, JobState
from microcareer.domain.marketplace.money import Money
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Location, Profile, Visibility
from microcareer.services import contracts, disputes, job_applications, micro_jobs, profiles
from tests.integration.job_market_helpers import People, a_job, a_proposal, make_people, uid
from tests.integration.taxonomy_helpers import PYTHON
from tests.integration.web.sessions import sign_in_on

BRIEF = "Rewrite a small Haskell tool in Python, with tests and a short README."


@pytest.fixture
def people(taxonomy_platform: Platform) -> People:
    return make_people(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), follow_redirects=False) as client:
        yield client


def sign_in(client: TestClient, platform: Platform, actor: Actor) -> str:
    return sign_in_on(client, platform, actor, "/jobs")


def job_form(csrf: str, action: str, **changes: str) -> dict[str, str]:
    return {
        "csrf_token": csrf,
        "title": "Port a script to Python",
        "brief": BRIEF,
        "required": "Python",
        "nice": "",
        "budget_kind": "fixed",
        "amount": "480.00",
        "currency": "EUR",
        "expected_hours": "20",
        "remote": "1",
        "audience": "open",
        "action": action,
        **changes,
    }


def redirected_id(response: object, prefix: str) -> int:
    location = response.headers["location"]  # type: ignore[attr-defined]
    assert location.startswith(prefix), location
    return int(location[len(prefix) :].split("#")[0])


@dataclass(frozen=True)
class Flow:
    job_id: int
    contract_id: int
    milestone_ids: tuple[int, ...]


def post_to_approve(client: TestClient, platform: Platform, people: People) -> Flow:
    """Client posts and publishes, the professional applies, the client accepts with two milestones,
    funds the first, the professional submits it, the client approves it: all through the forms."""
    today = platform.clock().date()
    csrf = sign_in(client, platform, people.client)
    posted = client.post("/jobs/new", data=job_form(csrf, "publish"))
    assert posted.status_code == 303, posted.text
    job_id = redirected_id(posted, "/jobs/")

    csrf = sign_in(client, platform, people.pro)
    board = client.get("/jobs")
    assert f'href="/jobs/{job_id}"' in board.text
    page = client.get(f"/jobs/{job_id}")
    assert 'id="apply-form"' in page.text
    assert 'id="gap-link"' in page.text
    proposal = {
        "csrf_token": csrf,
        "rate": "480",
        "hours": "20",
        "hours_per_week": "5",
        "message": "Done it.",
    }
    bad_rate = client.post(f"/jobs/{job_id}/apply", data={**proposal, "rate": "lots"})
    assert bad_rate.status_code == 422
    form = bad_rate.text.split('id="apply-form"', 1)[1].split("</form>", 1)[0]
    assert '<p class="error" role="alert" id="apply-error" tabindex="-1" autofocus>' in form
    assert 'name="rate" aria-invalid="true" aria-describedby="apply-error"' in form
    applied = client.post(f"/jobs/{job_id}/apply", data=proposal)
    assert applied.status_code == 303, applied.text
    (application,) = job_applications.my_applications(platform.uow(), actor=people.pro)
    assert 'id="my-application"' in client.get(f"/jobs/{job_id}").text

    csrf = sign_in(client, platform, people.client)
    page = client.get(f"/jobs/{job_id}")
    assert f'id="application-{application.id}"' in page.text
    assert "Done it." in page.text
    terms = {
        "csrf_token": csrf,
        "job": str(job_id),
        "m_title_0": "Draft",
        "m_amount_0": "300",
        "m_due_0": (today + timedelta(days=20)).isoformat(),
        "m_title_1": "Final",
        "m_amount_1": "180.00",
        "m_due_1": (today + timedelta(days=30)).isoformat(),
    }
    accepted = client.post(f"/applications/{application.id}/accept", data=terms)
    assert accepted.status_code == 303, accepted.text
    contract_id = redirected_id(accepted, "/contracts/")
    view = contracts.get_contract(platform.uow(), actor=people.client, contract_id=contract_id)
    first, second = (m.id for m in view.milestones)

    funded = client.post(f"/contracts/{contract_id}/fund", data={"csrf_token": csrf, "milestone": str(first)})
    assert funded.status_code == 303, funded.text
    csrf = sign_in(client, platform, people.pro)
    step = {"csrf_token": csrf, "milestone": str(first), "note": "See the PR."}
    assert client.post(f"/contracts/{contract_id}/submit", data=step).status_code == 303
    csrf = sign_in(client, platform, people.client)
    approved = client.post(
        f"/contracts/{contract_id}/approve", data={"csrf_token": csrf, "milestone": str(first)}
    )
    assert approved.status_code == 303, approved.text
    return Flow(job_id, contract_id, (first, second))


def test_post_publish_apply_accept_fund_submit_approve(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    flow = post_to_approve(client, taxonomy_platform, people)
    job = micro_jobs.get_job(taxonomy_platform.uow(), actor=people.client, job_id=flow.job_id)
    assert job.job.state is JobState.IN_PROGRESS
    assert job.job.required_skills == (PYTHON,)
    view = contracts.get_contract(taxonomy_platform.uow(), actor=people.client, contract_id=flow.contract_id)
    assert [m.state for m in view.milestones] == [MilestoneState.APPROVED, MilestoneState.PENDING]
    assert [m.milestone.amount.amount for m in view.milestones] == [30_000, 18_000]
    statement = contracts.ledger_statement(
        taxonomy_platform.uow(), actor=people.client, contract_id=flow.contract_id
    )
    assert statement.funded.amount == 30_000
    assert statement.escrow.amount == 0
    assert statement.released.amount + statement.fees.amount == 30_000
    page = client.get(f"/contracts/{flow.contract_id}")
    assert page.status_code == 200
    assert "Approve and release" not in page.text  # nothing left submitted
    ledger = page.text.split('<h2 id="ledger">', 1)[1].split("</table>", 1)[0]
    shown = re.sub(r' title="[^"]*"', "", ledger)  # what people read: names and words, no account codes
    fee = statement.fees.format()
    assert "Clara paid EUR 300.00 into escrow" in shown
    assert f"Escrow released EUR 300.00: Pia received {statement.released.format()}, platform fee (" in shown
    assert f"%) {fee}" in shown
    assert not re.search(r"client:\d|professional:\d|escrow:contract| bp\b", shown)
    assert f'action="/contracts/{flow.contract_id}/fund"' in page.text  # the second milestone waits
    assert "Complete" in page.text
    assert 'id="dispute"' in page.text
    assert f'href="/contracts/{flow.contract_id}"' in client.get("/contracts").text


def test_a_failed_form_shows_the_page_again_with_the_message(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    flow = post_to_approve(client, taxonomy_platform, people)
    csrf = sign_in(client, taxonomy_platform, people.client)
    # the client cannot submit work: the service refuses, the page says why
    step = {"csrf_token": csrf, "milestone": str(flow.milestone_ids[1]), "note": ""}
    refused = client.post(f"/contracts/{flow.contract_id}/submit", data=step)
    assert refused.status_code == 403
    assert f'id="milestone-{flow.milestone_ids[1]}-error"' in refused.text
    unknown = client.post("/jobs/new", data=job_form(csrf, "draft", required="no such skill at all"))
    assert unknown.status_code == 422
    assert '<p class="error" role="alert" id="job-error" tabindex="-1" autofocus>' in unknown.text
    assert 'name="required" aria-invalid="true" aria-describedby="job-error"' in unknown.text
    assert "required:" in unknown.text
    assert 'value="Port a script to Python"' in unknown.text  # the form keeps what was typed


def test_propose_skills_fills_the_lists_from_the_brief(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    csrf = sign_in(client, taxonomy_platform, people.client)
    page = client.post("/jobs/new", data=job_form(csrf, "propose", required="", nice=""))
    assert page.status_code == 200, page.text
    required = re.search(r'<textarea name="required"[^>]*>([^<]*)</textarea>', page.text)
    assert required is not None
    lines = required.group(1).strip().splitlines()
    assert "Python (computer programming)" in lines  # its label, which names it back, not its URI
    assert 'id="proposed"' in page.text
    posted = client.post("/jobs/new", data=job_form(csrf, "draft", required="\n".join(lines), nice=""))
    assert posted.status_code == 303, posted.text
    job = micro_jobs.get_job(
        taxonomy_platform.uow(), actor=people.client, job_id=redirected_id(posted, "/jobs/")
    ).job
    assert PYTHON in job.required_skills


def test_a_job_title_is_escaped(client: TestClient, taxonomy_platform: Platform, people: People) -> None:
    title = "<script>alert('x')</script>"
    uow = taxonomy_platform.uow
    posted = micro_jobs.post_job(
        uow(), actor=people.client, job=a_job(title=title), now=taxonomy_platform.clock()
    )
    micro_jobs.publish_job(uow(), actor=people.client, job_id=posted.id, now=taxonomy_platform.clock())
    sign_in(client, taxonomy_platform, people.pro)
    for path in ("/jobs", f"/jobs/{posted.id}"):
        text = client.get(path).text
        assert "<script>alert" not in text
        assert "&lt;script&gt;alert(" in text


def test_forms_without_the_session_token_are_refused(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    sign_in(client, taxonomy_platform, people.client)
    refused = client.post("/jobs/new", data=job_form("forged", "publish"))
    assert refused.status_code == 403
    assert "did not come from this site" in refused.text
    assert (
        micro_jobs.list_jobs(taxonomy_platform.uow(), actor=people.client, mine=True, states=list(JobState))[
            1
        ]
        == 0
    )
    uow = taxonomy_platform.uow
    posted = micro_jobs.post_job(uow(), actor=people.client, job=a_job(), now=taxonomy_platform.clock())
    micro_jobs.publish_job(uow(), actor=people.client, job_id=posted.id, now=taxonomy_platform.clock())
    sign_in(client, taxonomy_platform, people.pro)
    proposal = {"rate": "480", "hours": "20", "hours_per_week": "5", "message": "Hello"}
    assert client.post(f"/jobs/{posted.id}/apply", data=proposal).status_code == 403
    assert job_applications.my_applications(taxonomy_platform.uow(), actor=people.pro) == []


def form_token(html: str, form_id: str) -> str:
    """The ``csrf_token`` the form with this id carries (not the sign-out form's, which always had one)."""
    form = BeautifulSoup(html, "html.parser").find("form", id=form_id)
    assert form is not None, f"no form #{form_id}"
    field = form.find("input", attrs={"name": "csrf_token"})
    assert field is not None, f"form #{form_id} has no csrf_token field"
    return str(field.get("value", ""))


def test_marketplace_forms_carry_a_token_the_server_accepts(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    """Issue 13: the forms rendered with the shared ``csrf()`` carried an empty token, and every one was
    refused. Each form here is sent with the token read from the form itself."""
    sign_in(client, taxonomy_platform, people.client)
    token = form_token(client.get("/jobs/new").text, "job-form")
    assert token
    posted = client.post("/jobs/new", data=job_form(token, "publish"))
    assert posted.status_code == 303, posted.text
    job_id = redirected_id(posted, "/jobs/")

    sign_in(client, taxonomy_platform, people.pro)
    token = form_token(client.get(f"/jobs/{job_id}").text, "apply-form")
    assert token
    proposal = {"csrf_token": token, "rate": "480", "hours": "20", "hours_per_week": "5", "message": "Hi"}
    applied = client.post(f"/jobs/{job_id}/apply", data=proposal)
    assert applied.status_code == 303, applied.text
    assert len(job_applications.my_applications(taxonomy_platform.uow(), actor=people.pro)) == 1


def test_another_organisations_internal_job_is_not_found(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    uow = taxonomy_platform.uow
    now = taxonomy_platform.clock()
    internal = a_job(title="Acme only gig", audience=Audience.INTERNAL, organisation_id=people.acme)
    posted = micro_jobs.post_job(uow(), actor=people.admin, job=internal, now=now)
    micro_jobs.publish_job(uow(), actor=people.admin, job_id=posted.id, now=now)
    sign_in(client, taxonomy_platform, people.stranger)
    assert client.get(f"/jobs/{posted.id}").status_code == 404
    assert client.get(f"/jobs/{posted.id}/gap").status_code == 404
    assert "Acme only gig" not in client.get("/jobs").text
    sign_in(client, taxonomy_platform, people.employee)
    assert client.get(f"/jobs/{posted.id}").status_code == 200
    assert "Acme only gig" in client.get("/jobs").text


def test_an_internal_application_waits_for_the_managers_approval(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    csrf = sign_in(client, taxonomy_platform, people.admin)
    form = client.get("/jobs/new").text
    assert f'<option value="{people.acme}"' in form  # the organisation the admin may post for
    internal = job_form(
        csrf, "publish", title="Acme only gig", audience="internal", organisation=str(people.acme)
    )
    posted = client.post("/jobs/new", data=internal)
    assert posted.status_code == 303, posted.text
    job_id = redirected_id(posted, "/jobs/")
    job = micro_jobs.get_job(taxonomy_platform.uow(), actor=people.admin, job_id=job_id).job
    assert job.audience is Audience.INTERNAL
    assert job.organisation_id == people.acme
    now = taxonomy_platform.clock()
    applied = job_applications.apply(
        taxonomy_platform.uow(), actor=people.employee, job_id=job_id, proposal=a_proposal(), now=now
    )
    page = client.get(f"/jobs/{job_id}")
    assert "Waits for the applicant's manager" in page.text
    assert f'action="/applications/{applied.id}/accept"' not in page.text
    page = client.get("/approvals")
    assert f'id="approval-{applied.id}"' in page.text
    assert client.post(f"/applications/{applied.id}/approve", data={"csrf_token": csrf}).status_code == 303
    assert f'id="approval-{applied.id}"' not in client.get("/approvals").text
    assert f'action="/applications/{applied.id}/accept"' in client.get(f"/jobs/{job_id}").text


def test_the_dashboard_draws_income_and_hours_and_warns_past_the_limit(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    post_to_approve(client, taxonomy_platform, people)
    csrf = sign_in(client, taxonomy_platform, people.pro)
    settings = {
        "csrf_token": csrf,
        "threshold": "1",
        "contracted": "40",
        "spending": "1000",
        "cash": "2500",
        "currency": "EUR",
    }
    saved = client.post("/dashboard/settings", data=settings)
    assert saved.status_code == 303, saved.text
    page = client.get("/dashboard")
    assert page.status_code == 200
    income = page.text.split('class="column-chart income-chart"')[1].split("</svg>")[0]
    hours = page.text.split('class="column-chart hours-chart"')[1].split("</svg>")[0]
    assert income.count('<g class="column') == 12
    assert income.count('<g class="column income"') == 1  # this month's release
    assert hours.count('<g class="column') == 5  # four weeks back and the next one
    assert 'class="threshold"' in hours
    assert 'class="column over"' in hours
    assert 'id="workload-warning"' in page.text
    assert "2.5 months" in page.text  # EUR 2500 cash at EUR 1000 a month
    calm = {**settings, "threshold": "100"}
    assert client.post("/dashboard/settings", data=calm).status_code == 303
    page = client.get("/dashboard")
    assert 'id="workload-warning"' not in page.text
    assert 'class="column over"' not in page.text


def test_talent_search_explains_each_skill(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    now = taxonomy_platform.clock()
    profiles.save_profile(
        taxonomy_platform.uow(),
        actor=people.pro,
        user_id=uid(people.pro),
        profile=Profile(visibility=Visibility.PUBLIC),
        now=now,
    )
    profiles.set_skill(
        taxonomy_platform.uow(),
        actor=Actor.system(),
        user_id=uid(people.pro),
        uri=PYTHON,
        proficiency=4,
        evidence=[Evidence(EvidenceKind.CREDENTIAL, now.date(), source="test")],
        now=now,
    )
    sign_in(client, taxonomy_platform, people.client)
    page = client.get("/talent", params={"skill": ["Python", "Haskell"]})
    assert page.status_code == 200, page.text
    row = page.text.split(f'id="candidate-{uid(people.pro)}"')[1].split("</tr>")[0]
    assert re.search(r"Python \(computer programming\): 0\.\d\d \(verified", row)
    assert "Haskell: 0.00 (not on the profile)" in row
    unknown = client.get("/talent", params={"skill": "no such skill at all"})
    assert unknown.status_code == 422
    assert 'id="talent-error"' in unknown.text

    tutor = Profile(headline="Python tutor", location=Location(city="Lyon"), hours_per_week=8)
    colleague = uid(people.colleague)
    profiles.save_profile(
        taxonomy_platform.uow(), actor=people.colleague, user_id=colleague, profile=tutor, now=now
    )
    found = client.get("/talent", params={"q": "pyhton"})
    rows = BeautifulSoup(found.text, "html.parser").select("#people tbody tr[id]")
    assert {str(r["id"]) for r in rows} == {f"person-{uid(people.pro)}", f"person-{uid(people.colleague)}"}
    lyon = BeautifulSoup(found.text, "html.parser").select_one('#people-facets a[data-facet="place"]')
    assert lyon is not None
    assert lyon.text.split() == ["Lyon", "1"]
    narrowed = BeautifulSoup(client.get(str(lyon["href"])).text, "html.parser").select("#people tbody tr[id]")
    assert [str(r["id"]) for r in narrowed] == [f"person-{uid(people.colleague)}"]
    assert client.get("/talent", params={"hours_min": "lots"}).status_code == 422


def test_a_dispute_is_opened_on_the_contract_and_resolved_by_an_admin(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    flow = post_to_approve(client, taxonomy_platform, people)
    csrf = sign_in(client, taxonomy_platform, people.client)
    fund = {"csrf_token": csrf, "milestone": str(flow.milestone_ids[1])}
    assert client.post(f"/contracts/{flow.contract_id}/fund", data=fund).status_code == 303
    shown = client.get(f"/contracts/{flow.contract_id}").text
    assert '<button type="submit" class="button-danger">Open a dispute</button>' in shown
    asked = client.post(f"/contracts/{flow.contract_id}/dispute", data={"csrf_token": csrf, "reason": "Late"})
    assert asked.status_code == 200  # first a page that says what will happen, nothing done yet
    assert "Open a dispute?" in asked.text
    assert 'name="reason" value="Late"' in asked.text  # the form's fields are sent again
    assert f'<a href="/contracts/{flow.contract_id}#dispute" id="keep">' in asked.text
    assert disputes.list_disputes(taxonomy_platform.uow(), actor=people.client) == []
    token = re.search(r'name="csrf_token" value="([^"]+)"', asked.text)
    assert token is not None
    again = {"csrf_token": token.group(1), "reason": "Late", "confirm": "yes"}
    opened = client.post(f"/contracts/{flow.contract_id}/dispute", data=again)
    assert opened.status_code == 303, opened.text
    assert 'id="disputed"' in client.get(f"/contracts/{flow.contract_id}").text
    (dispute,) = disputes.list_disputes(taxonomy_platform.uow(), actor=people.client)
    refused = client.post(f"/disputes/{dispute.id}/resolve", data={"csrf_token": csrf, "share": "0"})
    assert refused.status_code == 403  # only platform admins resolve
    with taxonomy_platform.uow() as uow:
        made = uow.accounts.add_user(
            email="root@x.test",
            display_name="Root",
            password_hash="x",
            roles=[Role.PLATFORM_ADMIN],
            created_at=taxonomy_platform.clock(),
        )
        uow.commit()
    admin = Actor(user_id=made.id, roles=frozenset({Role.PLATFORM_ADMIN}))
    csrf = sign_in(client, taxonomy_platform, admin)
    assert f'id="dispute-{dispute.id}"' in client.get("/disputes").text
    ruling = {
        "csrf_token": csrf,
        "share": "180",
        "outcome": "completed",
        "resolution": "Delivered late but whole.",
    }
    resolved = client.post(f"/disputes/{dispute.id}/resolve", data=ruling)
    assert resolved.status_code == 303, resolved.text
    view = contracts.get_contract(taxonomy_platform.uow(), actor=people.client, contract_id=flow.contract_id)
    assert view.contract.state is ContractState.COMPLETED
    assert view.escrow.amount == 0
    csrf = sign_in(client, taxonomy_platform, people.client)
    page = client.get(f"/contracts/{flow.contract_id}")
    assert f'action="/contracts/{flow.contract_id}/review"' in page.text
    sent = client.post(
        f"/contracts/{flow.contract_id}/review", data={"csrf_token": csrf, "rating": "4", "text": "Good"}
    )
    assert sent.status_code == 303, sent.text
    assert "You reviewed this contract." in client.get(f"/contracts/{flow.contract_id}").text
    sign_in(client, taxonomy_platform, people.pro)
    profile = client.get(f"/profiles/{uid(people.pro)}").text
    section = profile.split('<section id="reputation"', 1)[1].split("</section>", 1)[0]
    assert "No job-success score yet" in section  # one contract: a score needs three
    assert "1 of 1 contract successful" in section
    assert "a score needs at least 3" in section  # the explanation lines
    assert "<strong>4/5</strong> · Good" in section
    assert "Clara," in section
    # the professional's profile is private: the client who reviewed them sees neither page nor record
    sign_in(client, taxonomy_platform, people.client)
    hidden = client.get(f"/profiles/{uid(people.pro)}", headers={"accept": "text/html"})
    assert hidden.status_code == 404
    assert "Good" not in hidden.text
    assert "You reviewed this contract." in client.get(f"/contracts/{flow.contract_id}").text


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient, people: People) -> None:
    for path in (
        "/jobs/new",
        "/applications",
        "/approvals",
        "/contracts",
        "/dashboard",
        "/talent",
        "/disputes",
    ):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=")
    assert client.get("/jobs").status_code == 200


def test_a_signed_out_propose_button_loads_the_sign_in_page(client: TestClient, people: People) -> None:
    """htmx follows a redirect itself and would swap the sign-in page into the job form's skill fields;
    it is told to load the sign-in page as a whole page instead."""
    response = client.post("/jobs/new", data=job_form("", "propose"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/login?next=/jobs/new"
    plain = client.post("/jobs/new", data=job_form("", "propose"))
    assert plain.status_code == 303
    assert plain.headers["location"] == "/login?next=/jobs/new"


def test_hourly_work_is_logged_and_paid_by_the_week(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    uow = taxonomy_platform.uow
    now = taxonomy_platform.clock()
    hourly = a_job(title="Hourly help", budget=Budget(BudgetKind.HOURLY, Money(4_000, "EUR")))
    posted = micro_jobs.post_job(uow(), actor=people.client, job=hourly, now=now)
    micro_jobs.publish_job(uow(), actor=people.client, job_id=posted.id, now=now)
    applied = job_applications.apply(
        uow(),
        actor=people.pro,
        job_id=posted.id,
        proposal=a_proposal(amount=4_000, hours_per_week=8),
        now=now,
    )
    csrf = sign_in(client, taxonomy_platform, people.client)
    assert 'name="weekly_limit"' in client.get(f"/jobs/{posted.id}").text
    terms = {"csrf_token": csrf, "job": str(posted.id), "weekly_limit": "6"}
    accepted = client.post(f"/applications/{applied.id}/accept", data=terms)
    assert accepted.status_code == 303, accepted.text
    contract_id = redirected_id(accepted, "/contracts/")

    csrf = sign_in(client, taxonomy_platform, people.pro)
    today = now.date().isoformat()
    entry = {"csrf_token": csrf, "day": today, "start": "09:00", "end": "11:30", "note": "setup"}
    assert client.post(f"/contracts/{contract_id}/log-time", data=entry).status_code == 303
    over = {"csrf_token": csrf, "day": today, "minutes": "240", "note": "too much"}
    refused = client.post(f"/contracts/{contract_id}/log-time", data=over)
    assert refused.status_code == 409  # 2.5 h + 4 h is past the 6 h weekly limit
    assert '<p class="error" role="alert" id="time-error" tabindex="-1" autofocus>' in refused.text
    assert refused.text.count("autofocus") == 1
    assert 'value="240"' in refused.text

    csrf = sign_in(client, taxonomy_platform, people.client)
    page = client.get(f"/contracts/{contract_id}")
    year, week, _ = now.date().isocalendar()
    label = f"{year}-W{week:02d}"
    assert f'id="week-{label}"' in page.text
    assert "2.5 h unpaid" in page.text
    paid = client.post(f"/contracts/{contract_id}/approve-week", data={"csrf_token": csrf, "week": label})
    assert paid.status_code == 303, paid.text
    statement = contracts.ledger_statement(uow(), actor=people.client, contract_id=contract_id)
    assert statement.released.amount + statement.fees.amount == 10_000  # 2.5 h at EUR 40.00
    assert "(paid)" in client.get(f"/contracts/{contract_id}").text


def test_cancelling_a_contract_asks_first_on_a_page_that_works_without_javascript(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    flow = post_to_approve(client, taxonomy_platform, people)
    csrf = sign_in(client, taxonomy_platform, people.client)
    page = client.get(f"/contracts/{flow.contract_id}").text
    assert '<button type="submit" class="button-danger">Cancel the contract</button>' in page
    cancel = {"csrf_token": csrf, "reason": "Plans changed"}
    asked = client.post(f"/contracts/{flow.contract_id}/cancel", data=cancel)
    assert asked.status_code == 200
    assert "what escrow holds goes back to the client" in asked.text
    assert "<script" not in asked.text.split("<main", 1)[1]  # a plain form: no script needed
    view = contracts.get_contract(taxonomy_platform.uow(), actor=people.client, contract_id=flow.contract_id)
    assert view.contract.state is ContractState.ACTIVE  # nothing done before the confirmation
    token = re.search(r'name="csrf_token" value="([^"]+)"', asked.text)
    assert token is not None
    done = client.post(
        f"/contracts/{flow.contract_id}/cancel",
        data={"csrf_token": token.group(1), "reason": "Plans changed", "confirm": "yes"},
    )
    assert done.status_code == 303, done.text
    view = contracts.get_contract(taxonomy_platform.uow(), actor=people.client, contract_id=flow.contract_id)
    assert view.contract.state is ContractState.CANCELLED


def test_names_link_to_profiles_only_the_reader_may_open(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    """Issue 13: the client's contract page linked the professional's name to a profile she may not
    see (a 404 behind the link)."""
    flow = post_to_approve(client, taxonomy_platform, people)
    sign_in(client, taxonomy_platform, people.client)
    link = f'href="/profiles/{uid(people.pro)}"'
    contract_page = client.get(f"/contracts/{flow.contract_id}").text
    assert "Pia" in contract_page
    assert link not in contract_page  # Pia's profile is private: no profile saved yet
    assert client.get(f"/profiles/{uid(people.pro)}").status_code == 404
    profiles.save_profile(
        taxonomy_platform.uow(),
        actor=people.pro,
        user_id=uid(people.pro),
        profile=Profile(visibility=Visibility.PUBLIC),
        now=taxonomy_platform.clock(),
    )
    assert link in client.get(f"/contracts/{flow.contract_id}").text
    assert client.get(f"/profiles/{uid(people.pro)}").status_code == 200


def test_the_board_searches_words_with_typos_and_refines_by_facets(
    client: TestClient, taxonomy_platform: Platform, people: People
) -> None:
    uow = taxonomy_platform.uow
    now = taxonomy_platform.clock()
    posted = {}
    for key, actor, changes in (
        ("lyon", people.client, {"title": "Data analysis in Lyon", "remote": False, "place": "Lyon"}),
        ("remote", people.client, {}),
        ("internal", people.admin, {"audience": Audience.INTERNAL, "organisation_id": people.acme}),
    ):
        job_id = micro_jobs.post_job(uow(), actor=actor, job=a_job(**changes), now=now).id
        micro_jobs.publish_job(uow(), actor=actor, job_id=job_id, now=now)
        posted[key] = job_id

    def shown(html: str) -> set[int]:
        rows = BeautifulSoup(html, "html.parser").select("#jobs tbody tr[id]")
        return {int(str(row["id"]).removeprefix("job-")) for row in rows}

    page = client.get("/jobs", params={"q": "pyhton"})
    assert shown(page.text) == {posted["lyon"], posted["remote"]}  # not acme's internal job
    assert "you typed “pyhton”" in page.text
    soup = BeautifulSoup(page.text, "html.parser")
    on_site = next(a for a in soup.select('#job-facets a[data-facet="remote"]') if "on site" in a.text)
    assert on_site.text.split()[-1] == "1"
    assert shown(client.get(str(on_site["href"])).text) == {posted["lyon"]}
    sign_in(client, taxonomy_platform, people.employee)
    assert posted["internal"] in shown(
        client.get("/jobs", params={"q": "pyhton", "audience": "internal"}).text
    )
    assert client.get("/jobs", params={"q": "x" * 201}).status_code == 422
