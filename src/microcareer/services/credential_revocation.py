"""Revoking many credentials at once from a CSV (``domain/credentials/revoke_rows``): all or nothing.

Each row names a credential of the issuer, or a recipient (e-mail or DID) whose credentials from
the issuer are all revoked. Every row is resolved before anything changes; a row that names no
credential of this issuer, a credential already revoked, or one another row already names is
reported with its line and column, and then nothing is revoked. Only the issuer's managers may.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.issue_rows import RowError, reject
from microcareer.domain.credentials.records import IssuedCredential, Issuer
from microcareer.domain.credentials.revoke_rows import (
    NOTHING_REVOKED,
    RevokeRow,
    credential_uuid,
    read_revoke_csv,
)
from microcareer.errors import Conflict, InvalidInput, NotFound
from microcareer.services.access import Action, authorize
from microcareer.services.credential_issuers import issuer_resource
from microcareer.services.ports import UnitOfWork


def _targets(uow: UnitOfWork, issuer: Issuer, row: RevokeRow) -> tuple[list[IssuedCredential], str | None]:
    """The credentials a row names, or why it names none."""
    if row.column == "credential_id":
        bare = credential_uuid(row.value)
        record = None if bare is None else uow.credentials.get_credential(bare)
        if record is None or record.issuer_id != issuer.id:
            return [], f"no credential {row.value} of {issuer.name}"
        if record.revoked_at is not None:
            return [], f"credential {row.value} is already revoked"
        return [record], None
    email = row.value if row.column == "email" else None
    did = row.value if row.column == "did" else None
    issued = uow.credentials.issued_to(issuer.id, email=email, did=did)
    live = [record for record in issued if record.revoked_at is None]
    if not live:
        what = "no credential" if not issued else "only revoked credentials"
        return [], f"{issuer.name} issued {what} to {row.value}"
    return live, None


Chosen = dict[str, tuple[IssuedCredential, RevokeRow]]


def _resolve(
    uow: UnitOfWork,
    actor: Actor,
    issuer_slug: str,
    rows: Sequence[RevokeRow],
    source: str,
    row_errors: Sequence[RowError] = (),
) -> Chosen:
    """Each credential the rows name (with the row naming it), or ``BatchRejected`` with every bad row
    (``row_errors``, the rows that could not even be read, among them)."""
    if not rows and not row_errors:
        raise InvalidInput("no rows", field="rows")
    issuer = uow.credentials.issuer_by_slug(issuer_slug)
    if issuer is None:
        raise NotFound(f"no issuer {issuer_slug!r}")
    authorize(actor, Action.ISSUER_MANAGE, issuer_resource(issuer))
    errors: list[RowError] = list(row_errors)
    chosen: Chosen = {}
    for row in rows:
        records, problem = _targets(uow, issuer, row)
        if problem is not None:
            errors.append(RowError(row.line, row.column, problem))
            continue
        for record in records:
            if record.id in chosen:
                other = chosen[record.id][1]
                message = f"credential urn:uuid:{record.id} is named by line {other.line} too"
                errors.append(RowError(row.line, row.column, message))
                break
            chosen[record.id] = (record, row)
    if errors:
        raise reject(sorted(errors, key=lambda e: e.line), source=source, outcome=NOTHING_REVOKED)
    return chosen


def plan_revocation(
    uow: UnitOfWork, *, actor: Actor, issuer_slug: str, rows: Sequence[RevokeRow], source: str = "request"
) -> list[IssuedCredential]:
    """What ``revoke_batch`` would revoke, changing nothing (for a confirmation step)."""
    with uow:
        return [record for record, _ in _resolve(uow, actor, issuer_slug, rows, source).values()]


def plan_csv(
    uow: UnitOfWork, *, actor: Actor, issuer_slug: str, text: str, source: str
) -> list[IssuedCredential]:
    """What ``revoke_csv`` would revoke, changing nothing; every bad row of the file reported."""
    rows, row_errors = read_revoke_csv(text, source=source)
    with uow:
        chosen = _resolve(uow, actor, issuer_slug, rows, source, row_errors)
    return [record for record, _ in chosen.values()]


def revoke_csv(
    uow: UnitOfWork,
    *,
    actor: Actor,
    issuer_slug: str,
    text: str,
    source: str,
    now: datetime,
    expect: Collection[str] | None = None,
) -> list[IssuedCredential]:
    """Revoke what a CSV names (``domain/credentials/revoke_rows``): all, or (any bad row) none; the
    rejection lists every bad row, those the file got wrong and those the store refutes alike.

    ``expect``: the credential ids a person confirmed (``plan_csv``'s); if the file names others now
    (something was issued or revoked in between), nothing is revoked and ``Conflict`` says so."""
    rows, row_errors = read_revoke_csv(text, source=source)
    return revoke_batch(
        uow,
        actor=actor,
        issuer_slug=issuer_slug,
        rows=rows,
        now=now,
        source=source,
        row_errors=row_errors,
        expect=expect,
    )


def revoke_batch(
    uow: UnitOfWork,
    *,
    actor: Actor,
    issuer_slug: str,
    rows: Sequence[RevokeRow],
    now: datetime,
    source: str = "request",
    row_errors: Sequence[RowError] = (),
    expect: Collection[str] | None = None,
) -> list[IssuedCredential]:
    """Revoke every credential the rows name, in one transaction; return them as revoked."""
    with uow:
        chosen = _resolve(uow, actor, issuer_slug, rows, source, row_errors)
        if expect is not None and set(chosen) != set(expect):
            raise Conflict(
                f"{source} now names {len(chosen)} credentials, not the {len(expect)} confirmed "
                "(something was issued or revoked meanwhile); nothing was revoked: check the list again"
            )
        lists: set[int] = set()
        for record, row in chosen.values():
            uow.credentials.set_credential_status(
                record.id, revoked_at=now, suspended=record.suspended, reason=row.reason
            )
            lists.add(record.status_list_id)
            if record.recipient_user_id is not None:
                uow.profiles.remove_evidence_from(record.recipient_user_id, f"urn:uuid:{record.id}")
        for list_id in sorted(lists):
            uow.credentials.touch_status_list(list_id, now)
        uow.commit()
        revoked = [uow.credentials.get_credential(record_id) for record_id in chosen]
    return [record for record in revoked if record is not None]
