"""The market API's shapes read from the domain's objects: every field, nested rows and enums as their
values (``api/schemas/market.py`` reads attributes of the same names)."""

from __future__ import annotations

from datetime import UTC, datetime

from microcareer.api.schemas.market import (
    CredentialValuePublic,
    IngestJobPublic,
    IssuerSignalPublic,
)
from microcareer.domain.market.ingest_jobs import BadLine, IngestJob, JobState
from microcareer.domain.market.trends import Direction
from microcareer.services.market_credentials import (
    AlignedSkillValue,
    CredentialValue,
    IssuerSignal,
    SignalPart,
)

AT = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_a_credential_value_reads_as_json_with_its_skills_and_their_direction() -> None:
    value = CredentialValue(
        achievement_id=7,
        name="Data pipelines",
        total_postings=120,
        skills=(AlignedSkillValue("esco:1", "use databases", 30, 0.25, Direction.RISING, 0.01),),
        summary="1 of 1 skills in demand",
    )
    assert CredentialValuePublic.of(value).model_dump(mode="json") == {
        "achievement_id": 7,
        "name": "Data pipelines",
        "total_postings": 120,
        "summary": "1 of 1 skills in demand",
        "skills": [
            {
                "uri": "esco:1",
                "label": "use databases",
                "postings": 30,
                "share": 0.25,
                "direction": "rising",
                "q_value": 0.01,
            }
        ],
    }


def test_an_issuer_signal_reads_every_part() -> None:
    signal = IssuerSignal("acme", "Acme", (SignalPart("alignment", None, 0, "nothing to measure"),))
    assert IssuerSignalPublic.of(signal).model_dump(mode="json") == {
        "slug": "acme",
        "name": "Acme",
        "parts": [
            {"name": "alignment", "value": None, "measured_on": 0, "explanation": "nothing to measure"}
        ],
    }


def test_a_job_reads_its_state_as_a_string_and_its_bad_lines() -> None:
    job = IngestJob(
        id=3,
        created_by=1,
        created_at=AT,
        heartbeat_at=AT,
        finished_at=None,
        state=JobState.INTERRUPTED,
        file_name="p.csv",
        source="p",
        columns="text=body",
        rows_total=10,
        rows_done=4,
        bad_count=1,
        bad=(BadLine(2, "body", "text: empty"),),
        owner="pid 1 on h",
    )
    shown = IngestJobPublic.of(job).model_dump(mode="json")
    assert shown["state"] == "interrupted"
    assert shown["bad"] == [{"line": 2, "column": "body", "message": "text: empty"}]
    assert shown["rows_total"] == 10
    assert "owner" not in shown  # what the API does not show
    assert "columns" not in shown
