"""Revision 0019 gives the skill rows stored before it their posting's facts, on each database, and the
counts of demand and trends (read from the skill rows alone since) then find them, filters included."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import text
from sqlalchemy.orm import Session

from microcareer.domain.market.records import MarketFilter
from microcareer.store import migrate
from microcareer.store.engine import build_engine
from microcareer.store.repositories.market import SqlAlchemyMarketRepository

SKILL = "http://data.europa.eu/esco/skill/python"


def test_upgrading_copies_each_postings_facts_to_its_skills(database_url: str) -> None:
    engine = build_engine(database_url)
    config = migrate.alembic_config(engine.url.render_as_string(hide_password=False))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0018")
            for n, (day, place, pay) in enumerate(
                [("2026-01-10", "lisbon", 40000.0), ("2026-02-03", "porto", None)], start=1
            ):
                connection.execute(
                    text(
                        "INSERT INTO market_postings (id, source, external_id, content_hash, title, text, "
                        "posted_on, month, place, place_key, organisation, pay, occupation_uri, signature) "
                        "VALUES (:id, 'b', :ext, :hash, 'Developer', 'Python', :day, :month, :place, "
                        ":place, '', :pay, 'occ', :sig)"
                    ),
                    {
                        "id": n,
                        "ext": f"p{n}",
                        "hash": f"h{n}",
                        "day": day,
                        "month": day[:7],
                        "place": place,
                        "pay": pay,
                        "sig": b"x",
                    },
                )
                connection.execute(
                    text(
                        "INSERT INTO market_posting_skills (posting_id, skill_uri, confidence) "
                        "VALUES (:id, :uri, 0.9)"
                    ),
                    {"id": n, "uri": SKILL},
                )
            command.upgrade(config, "head")
        with Session(engine) as session:
            rows = session.execute(
                text(
                    "SELECT posting_id, month, posted_on, place_key, occupation_uri, pay "
                    "FROM market_posting_skills ORDER BY posting_id"
                )
            ).all()
            assert [(r[0], r[1], str(r[2]), r[3], r[4], r[5]) for r in rows] == [
                (1, "2026-01", "2026-01-10", "lisbon", "occ", 40000.0),
                (2, "2026-02", "2026-02-03", "porto", "occ", None),
            ]
            market = SqlAlchemyMarketRepository(session)
            assert market.skill_counts(MarketFilter()) == {SKILL: 2}
            assert market.skill_counts(MarketFilter(place_key="porto")) == {SKILL: 1}
            assert market.skill_month_counts(MarketFilter(start=date(2026, 2, 1))) == {SKILL: {"2026-02": 1}}
            assert market.pay_by_skill(MarketFilter(occupation_uri="occ")) == {SKILL: (1, 40000.0)}
    finally:
        engine.dispose()
