"""Issue 15, point 4, as an attacker tries it: guessing passwords, finding which e-mails have accounts,
common passwords, tokens that never expire, look-alike names; through the API, the web and the CLI."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform, bootstrap
from microcareer.cli.main import app as cli_app
from microcareer.config import Settings
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.sign_in_throttle import ThrottleKey, ThrottlePolicy, ThrottleScope
from microcareer.services import sessions, throttle, users
from microcareer.services.ports import PasswordHasher
from microcareer.services.tokens import create_token
from tests.conftest import FAST_HASHER

PASSWORD = "correct horse battery"
WRONG = "not the password at all"


class CountingHasher:
    """The platform's hasher, counting the work it does (hash or verify) per call."""

    def __init__(self, inner: PasswordHasher) -> None:
        self.inner = inner
        self.calls = 0

    def hash(self, password: str) -> str:
        self.calls += 1
        return self.inner.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        self.calls += 1
        return self.inner.verify(password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self.inner.needs_rehash(password_hash)


class StepClock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def make_user(platform: Platform, email: str, name: str = "Ada Lovelace", *roles: Role) -> int:
    return users.create_user(
        platform.uow(),
        actor=Actor.system(),
        email=email,
        display_name=name,
        password=PASSWORD,
        roles=roles or (Role.PROFESSIONAL,),
        passwords=platform.passwords,
        clock=platform.clock,
        allow_signup=False,
    ).id


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    make_user(platform, "ada@example.org")
    with TestClient(create_app(platform), follow_redirects=False) as client:
        yield client


def sign_in(client: TestClient, email: str, password: str, **headers: str) -> tuple[int, dict[str, object]]:
    response = client.post("/api/v1/sessions", json={"email": email, "password": password}, headers=headers)
    return response.status_code, {**response.json(), "retry_after": response.headers.get("retry-after")}


# sign-in throttling -------------------------------------------------------------------------------


def test_200_wrong_passwords_are_cut_off_after_five_on_every_worker_and_the_store(settings: Settings) -> None:
    """Two server workers (two platforms on one database) share the count; the right password is
    refused too while the account is locked, so guessing gains nothing."""
    first, second = bootstrap(settings, passwords=FAST_HASHER), bootstrap(settings, passwords=FAST_HASHER)
    try:
        make_user(first, "ada@example.org")
        with TestClient(create_app(first)) as one, TestClient(create_app(second)) as two:
            statuses = [
                sign_in(one if n % 2 else two, "ada@example.org", f"{WRONG} {n}")[0] for n in range(200)
            ]
            status, body = sign_in(one, "ada@example.org", PASSWORD)
        assert statuses[:4] == [401] * 4
        assert set(statuses[4:]) == {429}
        assert status == 429
        assert body["code"] == "too_many_attempts"
        assert body["retry_after"] is not None
        assert 1 <= int(str(body["retry_after"])) <= 900
        assert "try again in" in str(body["detail"])
    finally:
        first.dispose()
        second.dispose()


def test_a_lock_ends_and_a_good_sign_in_clears_the_account_count(settings: Settings) -> None:
    clock = StepClock()
    platform = bootstrap(settings, passwords=FAST_HASHER, clock=clock)
    try:
        make_user(platform, "ada@example.org")
        with TestClient(create_app(platform)) as client:
            assert [sign_in(client, "ada@example.org", WRONG)[0] for _ in range(5)] == [401] * 4 + [429]
            assert sign_in(client, "ada@example.org", WRONG)[1]["retry_after"] == "30"
            clock.now += timedelta(seconds=31)
            assert sign_in(client, "ada@example.org", PASSWORD)[0] == 201
            assert [sign_in(client, "ada@example.org", WRONG)[0] for _ in range(4)] == [401] * 4
    finally:
        platform.dispose()


def test_an_unknown_email_answers_as_a_wrong_password_and_costs_the_same(settings: Settings) -> None:
    hasher = CountingHasher(FAST_HASHER)
    platform = bootstrap(settings, passwords=hasher)
    try:
        make_user(platform, "ada@example.org")
        answers = {}
        with TestClient(create_app(platform)) as client:
            for email in ("ada@example.org", "nobody@example.org"):
                before = hasher.calls
                seen = [sign_in(client, email, WRONG) for _ in range(6)]
                answers[email] = (seen, hasher.calls - before)
        assert answers["ada@example.org"] == answers["nobody@example.org"]
        (seen, work) = answers["nobody@example.org"]
        assert [status for status, _ in seen] == [401] * 4 + [429] * 2
        assert work == 5  # one hash per checked attempt, none while locked
    finally:
        platform.dispose()


def test_many_accounts_from_one_address_lock_the_address_and_a_forged_header_does_not_help(
    client: TestClient,
) -> None:
    for n in range(19):
        assert (
            sign_in(client, f"guess{n}@example.org", WRONG, **{"X-Forwarded-For": f"198.51.100.{n}"})[0]
            == 401
        )
    assert sign_in(client, "guess19@example.org", WRONG)[0] == 429
    forged = {"X-Forwarded-For": "203.0.113.77", "X-Real-IP": "203.0.113.77", "Forwarded": "for=203.0.113.77"}
    assert sign_in(client, "ada@example.org", PASSWORD, **forged)[0] == 429


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_count(settings: Settings) -> None:
    settings.trusted_proxies = ["10.0.0.0/8"]
    platform = bootstrap(settings, passwords=FAST_HASHER)
    try:
        make_user(platform, "ada@example.org")
        with TestClient(create_app(platform), client=("10.0.0.2", 4000)) as proxied:
            attacker = {"X-Forwarded-For": "198.51.100.1, 10.0.0.9"}
            for n in range(20):
                sign_in(proxied, f"guess{n}@example.org", WRONG, **attacker)
            assert sign_in(proxied, "guess99@example.org", WRONG, **attacker)[0] == 429
            # the attacker cannot choose another address: the left-most hops are theirs to write
            spoofed = {"X-Forwarded-For": "192.0.2.50, 198.51.100.1"}
            assert sign_in(proxied, "guess98@example.org", WRONG, **spoofed)[0] == 429
            other = {"X-Forwarded-For": "203.0.113.5"}
            assert sign_in(proxied, "ada@example.org", PASSWORD, **other)[0] == 201
    finally:
        platform.dispose()


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found is not None, f"no hidden field {name}"
    return found.group(1)


def test_the_web_sign_in_says_to_wait_with_a_429_page(client: TestClient) -> None:
    answers = []
    for _ in range(6):
        page = client.get("/login")
        form = {"email": "ada@example.org", "password": WRONG, "csrf_token": hidden(page.text, "csrf_token")}
        answers.append(client.post("/login", data=form))
    assert [a.status_code for a in answers] == [400] * 4 + [429] * 2
    assert "The email or password is wrong." in answers[0].text
    assert "Too many failed sign-ins for this account or from this address: try again in" in answers[-1].text
    assert answers[-1].headers["retry-after"].isdigit()
    assert "mc_session" not in answers[-1].headers.get("set-cookie", "")


# sign-up enumeration ------------------------------------------------------------------------------


def test_api_sign_up_tells_nobody_which_emails_have_accounts(client: TestClient) -> None:
    body = {"display_name": "Someone", "password": "another long secret", "roles": ["client"]}
    taken = client.post("/api/v1/users", json={"email": "Ada@example.org", **body})
    new = client.post("/api/v1/users", json={"email": "new@example.org", **body})
    assert taken.status_code == new.status_code == 202
    assert taken.json() == new.json()
    assert sorted(taken.headers.keys()) == sorted(new.headers.keys())
    assert sign_in(client, "ada@example.org", PASSWORD)[0] == 201  # untouched
    assert sign_in(client, "ada@example.org", "another long secret")[0] == 401


def test_web_sign_up_shows_the_same_page_for_a_taken_email(client: TestClient) -> None:
    pages = []
    for email in ("ada@example.org", "bea@example.org"):
        form = client.get("/signup")
        assert form.status_code == 200
        data = {
            "email": email,
            "display_name": "Someone",
            "password": "another long secret",
            "role": "professional",
            "csrf_token": hidden(form.text, "csrf_token"),
        }
        pages.append(client.post("/signup", data=data))
    assert [p.status_code for p in pages] == [200, 200]
    assert pages[0].text == pages[1].text
    assert "Sign-up received" in pages[0].text


def test_one_address_signing_up_many_emails_is_made_to_wait(client: TestClient) -> None:
    """Sign-up then sign-in would tell a free address from a taken one; the count per address bounds
    how many a client can try (and how many accounts it can make)."""
    body = {"display_name": "Someone", "password": "another long secret"}
    answers = [
        client.post("/api/v1/users", json={"email": f"probe{n}@example.org", **body}) for n in range(11)
    ]
    assert [a.status_code for a in answers] == [202] * 10 + [429]
    assert answers[-1].json()["code"] == "too_many_attempts"
    assert answers[-1].headers["retry-after"] == "30"
    assert "too many sign-ups from this address" in answers[-1].json()["detail"]
    form = client.get("/signup")
    data = {
        "email": "probe99@example.org",
        "display_name": "Someone",
        "password": "another long secret",
        "role": "client",
        "csrf_token": hidden(form.text, "csrf_token"),
    }
    page = client.post("/signup", data=data)
    assert page.status_code == 429
    assert "Too many sign-ups from this address: try again in" in page.text
    assert page.headers["retry-after"].isdigit()
    assert sign_in(client, "probe10@example.org", "another long secret")[0] == 401  # never made


def test_the_operator_creating_a_taken_email_is_told(runner: CliRunner) -> None:
    first = runner.invoke(
        cli_app,
        ["users", "create", "ada@example.org", "--name", "Ada", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert first.exit_code == 0, first.output
    again = runner.invoke(
        cli_app,
        ["users", "create", "ada@example.org", "--name", "Ada", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert again.exit_code == 1
    assert "exists already" in again.output


@pytest.fixture
def runner(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("MICROCAREER_ARGON2_MEMORY_KIB", "8")
    return CliRunner()


# common passwords ---------------------------------------------------------------------------------


def test_common_passwords_are_refused_everywhere(client: TestClient, runner: CliRunner) -> None:
    api = client.post(
        "/api/v1/users", json={"email": "eve@example.org", "display_name": "Eve", "password": "Password1234"}
    )
    assert api.status_code == 422
    assert api.json()["field"] == "password"
    assert "most common passwords" in api.json()["detail"]
    form = client.get("/signup")
    web = client.post(
        "/signup",
        data={
            "email": "eve@example.org",
            "display_name": "Eve",
            "password": "qwertyuiop",
            "role": "client",
            "csrf_token": hidden(form.text, "csrf_token"),
        },
    )
    assert web.status_code == 422
    assert "most common passwords" in web.text
    assert re.search(r'id="password"[^>]*aria-invalid="true"', web.text)
    cli = runner.invoke(
        cli_app,
        ["users", "create", "eve@example.org", "--name", "Eve", "--password-stdin"],
        input="1q2w3e4r5t\n",
    )
    assert cli.exit_code == 1
    assert "most common passwords" in cli.output


# token expiry -------------------------------------------------------------------------------------


def bearer_token(client: TestClient, email: str, **body: object) -> dict[str, object]:
    with TestClient(client.app) as other:
        login = other.post("/api/v1/sessions", json={"email": email, "password": PASSWORD})
        assert login.status_code == 201, login.text
        created = other.post(
            "/api/v1/tokens", json={"name": "t", **body}, headers={"X-CSRF-Token": login.json()["csrf_token"]}
        )
        return {"status": created.status_code, **created.json()}


def test_api_tokens_expire_by_default_and_never_is_not_on_offer(client: TestClient) -> None:
    default = bearer_token(client, "ada@example.org")
    assert default["status"] == 201
    created = datetime.fromisoformat(str(default["created_at"]))
    assert datetime.fromisoformat(str(default["expires_at"])) - created == timedelta(days=90)
    short = bearer_token(client, "ada@example.org", expires_days=1)
    assert datetime.fromisoformat(str(short["expires_at"])) - created < timedelta(days=1, minutes=1)
    for never in (0, -1, 3651, None):
        if never is None:
            continue
        assert bearer_token(client, "ada@example.org", expires_days=never)["status"] == 422
    listed = client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {default['token']}"})
    assert all(item["expires_at"] is not None for item in listed.json()["items"])


def test_the_web_token_page_makes_expiring_tokens_and_shows_when(client: TestClient) -> None:
    page = client.get("/login")
    form = {"email": "ada@example.org", "password": PASSWORD, "csrf_token": hidden(page.text, "csrf_token")}
    assert client.post("/login", data=form).status_code == 303
    tokens_page = client.get("/tokens")
    assert tokens_page.status_code == 200
    csrf = hidden(tokens_page.text, "csrf_token")
    made = client.post("/tokens", data={"name": "laptop", "expires_days": "", "csrf_token": csrf})
    assert made.status_code == 200
    shown = re.search(r'id="token-value" type="text" readonly value="(mcp_[^"]+)"', made.text)
    assert shown is not None
    expected = (datetime.now(UTC) + timedelta(days=90)).strftime("%Y-%m-%d")
    assert f"It expires on {expected}" in made.text
    me = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {shown.group(1)}"})
    assert me.status_code == 200
    too_long = client.post("/tokens", data={"name": "x", "expires_days": "99999", "csrf_token": csrf})
    assert too_long.status_code == 422
    assert "expires_days: must be between 1 and 3650" in too_long.text
    listed = client.get("/tokens")
    assert expected in listed.text
    assert "never (made before" not in listed.text


def test_an_expired_token_is_refused(settings: Settings) -> None:
    clock = StepClock()
    settings.token_default_days = 2
    platform = bootstrap(settings, passwords=FAST_HASHER, clock=clock)
    try:
        make_user(platform, "ada@example.org")
        with TestClient(create_app(platform)) as client:
            token = bearer_token(client, "ada@example.org")["token"]
            headers = {"Authorization": f"Bearer {token}"}
            assert client.get("/api/v1/users/me", headers=headers).status_code == 200
            clock.now += timedelta(days=2)
            assert client.get("/api/v1/users/me", headers=headers).status_code == 401
    finally:
        platform.dispose()


def test_cli_tokens_expire_by_default_and_the_list_says_when(runner: CliRunner) -> None:
    runner.invoke(
        cli_app,
        ["users", "create", "ada@example.org", "--name", "Ada", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    made = runner.invoke(cli_app, ["tokens", "create", "--user", "ada@example.org", "--name", "ci"])
    assert made.exit_code == 0, made.output
    assert "never" not in made.output
    assert re.search(r"expires: \d{4}-\d\d-\d\d", made.output)
    listed = runner.invoke(cli_app, ["tokens", "list", "--user", "ada@example.org", "--json"])
    assert '"expires_at": null' not in listed.output
    assert '"expires_at": "' in listed.output
    refused = runner.invoke(
        cli_app, ["tokens", "create", "--user", "ada@example.org", "--name", "x", "--expires-days", "0"]
    )
    assert refused.exit_code == 2


# look-alike accounts ------------------------------------------------------------------------------


def test_look_alike_names_and_emails_are_refused_naming_the_field(
    client: TestClient, runner: CliRunner
) -> None:
    body = {"password": "another long secret", "roles": ["client"]}
    name = client.post(
        "/api/v1/users", json={"email": "eve@example.org", "display_name": "\u0410da Lovelace", **body}
    )
    assert name.status_code == 422
    assert name.json()["field"] == "display_name"
    email = client.post(
        "/api/v1/users", json={"email": "\u0430da@example.org", "display_name": "Eve", **body}
    )
    assert email.status_code == 422
    assert email.json()["field"] == "email"
    same_name = client.post(
        "/api/v1/users", json={"email": "ada2@example.org", "display_name": "Ada Lovelace", **body}
    )
    assert same_name.status_code == 202  # two people may share a name
    form = client.get("/signup")
    web = client.post(
        "/signup",
        data={
            "email": "eve2@example.org",
            "display_name": "Ada Lov\u0435lace",
            "password": "another long secret",
            "role": "client",
            "csrf_token": hidden(form.text, "csrf_token"),
        },
    )
    assert web.status_code == 422
    assert "looks like the name of an existing account" in web.text
    cli = runner.invoke(
        cli_app,
        ["users", "create", "eve3@example.org", "--name", "\u0410da Lovelace", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert cli.exit_code == 1
    assert "looks like the name of an existing account" in cli.output


def test_an_organisation_imitating_another_by_name_is_refused(client: TestClient) -> None:
    token = bearer_token(client, "ada@example.org")["token"]
    headers = {"Authorization": f"Bearer {token}"}
    made = client.post(
        "/api/v1/organisations", json={"slug": "northwind", "name": "Northwind"}, headers=headers
    )
    assert made.status_code == 201
    fake = client.post(
        "/api/v1/organisations", json={"slug": "northwind-2", "name": "N\u043erthwind"}, headers=headers
    )
    assert fake.status_code == 422
    assert fake.json()["field"] == "name"
    assert "looks like the name of the organisation 'northwind'" in fake.json()["detail"]


# lifting a lock -----------------------------------------------------------------------------------


def test_a_platform_admin_lifts_a_sign_in_lock_through_the_api_and_nobody_else_may(
    client: TestClient, platform: Platform
) -> None:
    admin = api_token(platform, make_user(platform, "root@example.org", "Root Admin", Role.PLATFORM_ADMIN))
    other = api_token(platform, make_user(platform, "bea@example.org", "Bea Pro"))
    assert [sign_in(client, "ada@example.org", WRONG)[0] for _ in range(5)] == [401] * 4 + [429]
    assert sign_in(client, "ada@example.org", PASSWORD)[0] == 429  # locked: the owner too

    refused = client.post("/api/v1/users/unlock", json={"email": "ada@example.org"}, headers=other)
    assert refused.status_code == 403
    anonymous = client.post("/api/v1/users/unlock", json={"email": "ada@example.org"})
    assert anonymous.status_code in (401, 403)
    assert sign_in(client, "ada@example.org", PASSWORD)[0] == 429  # still locked

    lifted = client.post("/api/v1/users/unlock", json={"email": " ADA@example.org "}, headers=admin)
    assert lifted.status_code == 200, lifted.text
    assert lifted.json() == {"cleared": ["the account ada@example.org"]}
    assert sign_in(client, "ada@example.org", PASSWORD)[0] == 201

    for body in ({}, {"address": "not an address"}):
        bad = client.post("/api/v1/users/unlock", json=body, headers=admin)
        assert bad.status_code == 422, bad.text


def api_token(platform: Platform, user_id: int) -> dict[str, str]:
    uow, clock = platform.uow(), platform.clock
    issued = create_token(uow, actor=Actor.system(), user_id=user_id, name="t", clock=clock)
    return {"Authorization": f"Bearer {issued.plaintext}"}


def test_unlocking_an_address_forgets_its_failures(platform: Platform) -> None:
    policy = ThrottlePolicy(address_free_failures=2)
    now = platform.clock()
    key = ThrottleKey.of(ThrottleScope.ADDRESS, "2001:db8::7")
    for _ in range(3):
        throttle.count_attempt(platform.uow(), [key], now=now, policy=policy)
    assert throttle.locked_until(platform.uow(), [key], now=now, policy=policy) is not None
    cleared = sessions.unlock_sign_in(platform.uow(), actor=Actor.system(), address="2001:DB8:0::7")
    assert cleared == ["the address 2001:db8::7"]
    assert throttle.locked_until(platform.uow(), [key], now=now, policy=policy) is None


def test_the_operator_lifts_a_lock_from_the_cli(client: TestClient, runner: CliRunner) -> None:
    assert [sign_in(client, "ada@example.org", WRONG)[0] for _ in range(5)] == [401] * 4 + [429]
    result = runner.invoke(cli_app, ["users", "unlock", "ada@example.org"])
    assert result.exit_code == 0, result.output
    assert "unlocked the account ada@example.org" in result.output
    assert sign_in(client, "ada@example.org", PASSWORD)[0] == 201
    nothing = runner.invoke(cli_app, ["users", "unlock"])
    assert nothing.exit_code == 1
    assert "give an e-mail or an address" in nothing.output
