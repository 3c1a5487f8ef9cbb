"""Sign-in under guessing (issue 15, point 4), at the default Argon2id settings, through the API in-process
on a fresh SQLite database:

- 200 wrong passwords in a row for one account: how many are answered 401 (a password checked), how
  many 429 (refused before any check), how many passwords were hashed or verified, and whether the
  right password then gets in (it must not, while locked);
- unknown e-mail against wrong password (locks off, so every attempt is checked): the median and p90
  time of each, side by side, and their ratio, so the answer's time does not tell which e-mails exist;
- a locked refusal's median time (no hashing: a guesser costs the server little).

Results: printed, and JSON in bench/results/sign-in-<date>.json.
Run: ``python -m bench.bench_sign_in [--rounds N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from bench import report_file
from microcareer.adapters.passwords import Argon2PasswordHasher
from microcareer.asgi import create_app
from microcareer.bootstrap import bootstrap
from microcareer.config import Settings
from microcareer.domain.accounts import Actor, Role
from microcareer.services import users
from microcareer.store import migrate

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
PASSWORD = "violet kettle harbour"  # noqa: S105 - a benchmark user's password


class CountingHasher(Argon2PasswordHasher):
    def __init__(self, *, time_cost: int, memory_kib: int) -> None:
        super().__init__(time_cost=time_cost, memory_kib=memory_kib)
        self.calls = 0

    def hash(self, password: str) -> str:
        self.calls += 1
        return super().hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        self.calls += 1
        return super().verify(password_hash, password)


def _app(folder: Path, name: str, *, locks: bool = True) -> tuple[TestClient, CountingHasher]:
    settings = Settings(database_url=f"sqlite:///{folder / name}", cache_dir=str(folder / "cache"))
    if not locks:  # every attempt checked, for timing the check itself
        settings.sign_in_account_failures = 1000
        settings.sign_in_address_failures = 100_000
    hasher = CountingHasher(time_cost=settings.argon2_time_cost, memory_kib=settings.argon2_memory_kib)
    platform = bootstrap(settings, passwords=hasher)
    assert platform.engine is not None
    migrate.upgrade(platform.engine)
    users.create_user(
        platform.uow(),
        actor=Actor.system(),
        email="ada@example.org",
        display_name="Ada",
        password=PASSWORD,
        roles=[Role.PROFESSIONAL],
        passwords=hasher,
        clock=platform.clock,
        allow_signup=False,
    )
    hasher.calls = 0
    return TestClient(create_app(platform)), hasher


def _sign_in(client: TestClient, email: str, password: str) -> tuple[int, float]:
    started = time.perf_counter()
    status = client.post("/api/v1/sessions", json={"email": email, "password": password}).status_code
    return status, (time.perf_counter() - started) * 1000


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="attempts of each kind for the timing pair")
    parser.add_argument("--out", type=Path, default=None, help="JSON results file")
    args = parser.parse_args([] if __name__ != "__main__" else None)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        client, hasher = _app(folder, "guess.sqlite3")
        with client:
            statuses, times = zip(
                *(_sign_in(client, "ada@example.org", f"guess {n}") for n in range(200)), strict=True
            )
            checked = hasher.calls
            right_status, _ = _sign_in(client, "ada@example.org", PASSWORD)
        guessing = {
            "attempts": 200,
            "answered_401": statuses.count(401),
            "answered_429": statuses.count(429),
            "first_429_at_attempt": statuses.index(429) + 1 if 429 in statuses else None,
            "passwords_checked": checked,
            "right_password_while_locked": right_status,
            "checked_attempt_ms": _ms([t for s, t in zip(statuses, times, strict=True) if s == 401]),
            "locked_refusal_ms": _ms([t for s, t in zip(statuses, times, strict=True) if s == 429][5:]),
            "elapsed_s": round(sum(times) / 1000, 2),
        }
        client, hasher = _app(folder, "parity.sqlite3", locks=False)
        known: list[float] = []
        unknown: list[float] = []
        with client:
            _sign_in(client, "warm@example.org", "warm up")
            for n in range(args.rounds):  # alternated, so load on the machine falls on both alike
                known.append(_sign_in(client, "ada@example.org", f"wrong {n}")[1])
                unknown.append(_sign_in(client, f"nobody{n}@example.org", f"wrong {n}")[1])
        parity = {
            "rounds": args.rounds,
            "wrong_password": _ms(known),
            "unknown_email": _ms(unknown),
            "ratio_of_medians_unknown_to_wrong": round(
                statistics.median(unknown) / statistics.median(known), 3
            ),
        }
    settings = Settings()
    report = {
        **report_file.header("sign-in", "bench.bench_sign_in", sys.argv[1:]),
        "settings": {
            "argon2_time_cost": settings.argon2_time_cost,
            "argon2_memory_kib": settings.argon2_memory_kib,
            "sign_in_account_failures": settings.sign_in_account_failures,
            "sign_in_lock_seconds": settings.sign_in_lock_seconds,
        },
        "two_hundred_wrong_passwords": guessing,
        "unknown_email_against_wrong_password": parity,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(report, indent=2))
    target = report_file.write(report, args.out or RESULTS / f"sign-in-{dt.date.today().isoformat()}.json")
    print(f"results: {target}")


if __name__ == "__main__":
    main()
