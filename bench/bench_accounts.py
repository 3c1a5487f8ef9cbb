"""What signing in and authenticating cost: Argon2id at the default settings, and the per-request
look-up of a bearer token and of a session cookie on SQLite (median and p99 over many requests).

Run: ``python -m bench.bench_accounts``.
"""

from __future__ import annotations

import contextlib
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from microcareer.adapters.passwords import Argon2PasswordHasher
from microcareer.bootstrap import Platform, bootstrap
from microcareer.config import Settings
from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.errors import NotAuthenticated
from microcareer.services import organisations, sessions, tokens, users
from microcareer.store import migrate

PASSWORD = "correct horse battery staple"  # noqa: S105 - a benchmark user's password
USERS = 200


def timed(func: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"{name:<42} median {statistics.median(times):8.3f} ms   p99 {p99:8.3f} ms   n={len(times)}")


def main() -> None:
    settings = Settings()
    hasher = Argon2PasswordHasher(time_cost=settings.argon2_time_cost, memory_kib=settings.argon2_memory_kib)
    stored = hasher.hash(PASSWORD)
    label = f"argon2id hash (t={settings.argon2_time_cost}, m={settings.argon2_memory_kib} KiB)"
    report(label, timed(lambda: hasher.hash(PASSWORD), 10))
    report("argon2id verify", timed(lambda: hasher.verify(stored, PASSWORD), 10))

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        fast = Argon2PasswordHasher(time_cost=1, memory_kib=8)
        platform = bootstrap(Settings(database_url=url), passwords=fast)
        assert platform.engine is not None
        migrate.upgrade(platform.engine)
        system = Actor.system()
        ids = [
            users.create_user(
                platform.uow(),
                actor=system,
                email=f"user{i}@example.org",
                display_name=f"User {i}",
                password=PASSWORD,
                roles=[Role.PROFESSIONAL],
                passwords=fast,
                clock=platform.clock,
                allow_signup=False,
            ).id
            for i in range(USERS)
        ]
        for n in range(5):
            organisations.create_organisation(
                platform.uow(),
                actor=system,
                slug=f"org-{n}",
                name=f"Org {n}",
                clock=platform.clock,
                admin_user_id=ids[n],
            )
            organisations.add_member(
                platform.uow(),
                actor=system,
                slug=f"org-{n}",
                user_id=ids[-1],
                role=OrgRole.MEMBER,
                clock=platform.clock,
            )
        issued = tokens.create_token(
            platform.uow(), actor=system, user_id=ids[-1], name="b", clock=platform.clock
        )
        session = sessions.start_session(
            platform.uow(),
            user=users.get_user(platform.uow(), actor=system, user_id=ids[-1]),
            clock=platform.clock,
            session_hours=1,
        )
        print(f"store: SQLite, {USERS} users, the caller in 5 organisations")
        report(
            "bearer token -> actor",
            timed(
                lambda: tokens.actor_for_token(platform.uow(), token=issued.plaintext, clock=platform.clock),
                2000,
            ),
        )
        report(
            "session cookie -> user and actor",
            timed(
                lambda: sessions.identify_session(platform.uow(), token=session.token, clock=platform.clock),
                2000,
            ),
        )
        report(
            "unknown bearer token (refused)",
            timed(lambda: _refused(platform, "mcp_" + "x" * 43), 2000),
        )
        report(
            "list 50 users (admin)",
            timed(lambda: users.list_users(platform.uow(), actor=system, offset=0, limit=50), 500),
        )
        platform.dispose()


def _refused(platform: Platform, token: str) -> None:
    with contextlib.suppress(NotAuthenticated):
        tokens.actor_for_token(platform.uow(), token=token, clock=platform.clock)


if __name__ == "__main__":
    main()
