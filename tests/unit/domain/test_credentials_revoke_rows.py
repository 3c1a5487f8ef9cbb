"""The bulk revocation CSV: one target a row, every bad row reported with its line and column."""

from __future__ import annotations

import pytest

from microcareer.domain.credentials.issue_rows import BatchRejected
from microcareer.domain.credentials.revoke_rows import RevokeRow, credential_uuid, parse_revoke_csv
from microcareer.errors import InvalidInput

UUID = "3f6d1b8e-2c44-4d4e-9a51-7d0b6c2e8f10"


def test_rows_name_a_credential_or_a_recipient_with_a_reason() -> None:
    text = (
        f"\ufeffcredential_id, email ,did,reason\nurn:uuid:{UUID},,,copied\n,Ann@x.test,,\n,,did:key:z6Mk,\n"
    )
    assert parse_revoke_csv(text, source="f.csv") == [
        RevokeRow(2, "credential_id", f"urn:uuid:{UUID}", "copied"),
        RevokeRow(3, "email", "Ann@x.test"),
        RevokeRow(4, "did", "did:key:z6Mk"),
    ]


def test_every_bad_row_is_reported_with_line_and_column() -> None:
    text = (
        "credential_id,email,did,reason\n"
        "not-a-uuid,,,\n"
        ",ann,,\n"
        ",,key:z6Mk,\n"
        ",,,\n"
        f"{UUID},ann@x.test,,\n"
        f"{UUID},,,\n"
        f"urn:uuid:{UUID},,,\n"
        f",,,{'x' * 501}\n"
        f",bob@x.test,,{'x' * 501}\n"
        "a,b,c,d,e\n"
    )
    with pytest.raises(BatchRejected) as rejected:
        parse_revoke_csv(text, source="f.csv")
    rows = [(row["line"], row["column"]) for row in rejected.value.extra["rows"]]
    assert rows == [
        (2, "credential_id"),
        (3, "email"),
        (4, "did"),
        (5, "credential_id"),
        (6, "email"),
        (8, "credential_id"),
        (9, "credential_id"),
        (10, "reason"),
        (11, "(row)"),
    ]
    assert str(rejected.value).startswith("f.csv: line 2, credential_id:")
    assert "nothing was revoked" in str(rejected.value)


def test_the_header_must_name_known_columns_and_a_target() -> None:
    with pytest.raises(BatchRejected) as rejected:
        parse_revoke_csv("name,reason\nx,y\n", source="f.csv")
    assert [(r["line"], r["column"]) for r in rejected.value.extra["rows"]] == [
        (1, "name"),
        (1, "credential_id"),
    ]
    with pytest.raises(InvalidInput, match="empty file"):
        parse_revoke_csv("", source="f.csv")
    with pytest.raises(InvalidInput, match="no rows"):
        parse_revoke_csv("email\n", source="f.csv")
    with pytest.raises(InvalidInput, match="line 2 holds a NUL"):
        parse_revoke_csv("email\na\x00@x.test\n", source="f.csv")


def test_credential_ids_are_read_with_or_without_their_urn() -> None:
    assert credential_uuid(f"urn:uuid:{UUID.upper()}") == UUID
    assert credential_uuid(UUID) == UUID
    assert credential_uuid("urn:uuid:nope") is None
