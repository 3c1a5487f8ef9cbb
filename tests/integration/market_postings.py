"""Postings files for the market tests: six developer postings (Python and SQL, Lisbon, with pay), an
exact copy and an edited re-post of two of them, a Haskell posting in HTML (Porto, no pay), one line
that is not JSON and one row without a date."""

from __future__ import annotations

import json
from pathlib import Path

from microcareer.adapters.posting_files import PostingFile
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.services import market_ingest

COLUMNS = "id=job,text=body"
TEAMS = ("payments", "search", "maps", "billing", "mobile apps", "reports")
BODY = (
    "Team {n} builds {team} for our customers in the region every single working day. "
    "Orbit Software is growing and looks for a developer to join our team. You work closely with "
    "colleagues across the business and take ownership of your results. Knowledge of {a} is required. "
    "You have solid experience with {b}. We offer flexible hours and a training budget number {n}."
)


def write_postings(path: Path) -> Path:
    rows = [
        {
            "job": f"p{n}",
            "title": "Senior software developer (m/f/d)",
            "body": BODY.format(a="Python", b="SQL", n=n, team=TEAMS[n]),
            "date": f"2026-0{1 + n % 6}-10",
            "place": "Lisbon",
            "pay": 50_000 + 1_000 * n,
        }
        for n in range(6)
    ]
    rows.append({**rows[0], "job": "copy", "date": "2026-01-20"})  # the same text under another id
    rows.append({**rows[1], "job": "edit", "body": str(rows[1]["body"]) + " Apply"})
    rows.append(
        {
            "job": "h",
            "title": "Haskell developer",
            "body": "<p>Haskell &amp; Python</p>",
            "date": "2026-02-01",
            "place": "Porto",
            "pay": "",
        }
    )
    lines = [json.dumps(r) for r in rows]
    lines.insert(3, '{"job": "broken", ')
    lines.append(json.dumps({"job": "nodate", "title": "x", "body": "Python"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ingest_file(platform: Platform, path: Path) -> market_ingest.IngestReport:
    return market_ingest.ingest_file(
        platform.uow(),
        platform.caches,
        platform.lexicons,
        actor=Actor.system(),
        file=PostingFile.at(path),
        columns=COLUMNS,
        source="test",
    )
