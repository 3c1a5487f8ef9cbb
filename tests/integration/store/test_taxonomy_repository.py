"""Look-ups on the stored skills graph (mini ESCO), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from microcareer.bootstrap import Platform
from microcareer.domain.profiles.skill_graph import Link, SkillGraph
from microcareer.domain.taxonomy.concepts import OrgLinkRelation, Skill
from microcareer.store.unit_of_work import SqlAlchemyUnitOfWork
from tests.integration.taxonomy_helpers import (
    DEVELOPER,
    DEVELOPER_KEY,
    HASKELL,
    ICT,
    ICT_SOFTWARE,
    PROGRAMMING,
    PYTHON,
    PYTHON_KEY,
    make_organisation,
)


@contextmanager
def counting_queries(platform: Platform) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    assert platform.engine is not None
    event.listen(platform.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(platform.engine, "before_cursor_execute", record)


def test_skill_by_uri_and_by_key(taxonomy_platform: Platform) -> None:
    with taxonomy_platform.uow() as uow:
        skill = uow.taxonomy.get_skill(PYTHON)
        assert skill is not None
        assert skill.preferred_label == "Python (computer programming)"
        assert "Python" in skill.alt_labels
        assert skill.collections == ("digital",)
        assert uow.taxonomy.skill_uri_for_key(PYTHON_KEY) == PYTHON
        assert uow.taxonomy.skill_uri_for_key("0613") == ICT_SOFTWARE
        assert uow.taxonomy.skill_uri_for_key("ccd0a1d9") is None  # a key is a whole segment
        assert uow.taxonomy.skill_uri_for_key("%") is None
        assert uow.taxonomy.get_skill(PYTHON + "x") is None


def test_skill_detail_has_every_broader_chain_related_both_ways_and_occupation_counts(
    taxonomy_platform: Platform,
) -> None:
    with taxonomy_platform.uow() as uow:
        detail = uow.taxonomy.skill_detail(PYTHON, visible_orgs=frozenset())
        programming = uow.taxonomy.skill_detail(PROGRAMMING, visible_orgs=frozenset())
    assert detail is not None
    assert programming is not None
    chains = [[ref.uri for ref in chain] for chain in detail.broader_chain]
    assert chains == [[ICT, ICT_SOFTWARE], [ICT, ICT_SOFTWARE, PROGRAMMING]]
    assert [(r.skill.uri, r.relation) for r in detail.related] == [(PROGRAMMING, "essential")]
    assert (PYTHON, "essential_for") in [(r.skill.uri, r.relation) for r in programming.related]
    assert (detail.occupations_essential, detail.occupations_optional) == (0, 1)
    assert {ref.uri for ref in programming.narrower} == {PYTHON, HASKELL}


def test_skill_detail_costs_a_bounded_number_of_queries(taxonomy_platform: Platform) -> None:
    with taxonomy_platform.uow() as uow, counting_queries(taxonomy_platform) as statements:
        uow.taxonomy.skill_detail(PYTHON, visible_orgs=None)
    # skill, labels, collections, id, counts, 2 per hierarchy level (3 levels + 1 empty), refs,
    # narrower x2, related x4: no query per related or narrower skill.
    assert len(statements) <= 22


def test_occupation_detail_lists_skills_by_label(taxonomy_platform: Platform) -> None:
    with taxonomy_platform.uow() as uow:
        assert uow.taxonomy.occupation_uri_for_key(DEVELOPER_KEY) == DEVELOPER
        detail = uow.taxonomy.occupation_detail(DEVELOPER)
        assert uow.taxonomy.occupation_detail(DEVELOPER + "x") is None
    assert detail is not None
    assert detail.isco_group is not None
    assert detail.isco_group.code == "2512"
    essential = [ref.preferred_label for ref in detail.essential_skills]
    optional = [ref.preferred_label for ref in detail.optional_skills]
    assert essential == sorted(essential, key=str.casefold)
    assert len(essential) == 5
    assert optional == ["Haskell", "Python (computer programming)", "SQL"]
    assert detail.has_skill_list


def test_label_rows_cover_preferred_alt_and_hidden_labels(taxonomy_platform: Platform) -> None:
    with taxonomy_platform.uow() as uow:
        rows = list(uow.taxonomy.skill_label_rows())
        occupation_rows = list(uow.taxonomy.occupation_label_rows())
    assert (PYTHON, "Python (computer programming)", "preferred", None) in rows
    assert (PYTHON, "Python", "alt", None) in rows
    assert sum(1 for row in rows if row[2] == "preferred") == 40  # 14 skills + 26 groups
    assert (DEVELOPER, "software developer", "preferred", None) in occupation_rows


def test_org_skill_is_stored_linked_and_seen_only_by_its_organisation(taxonomy_platform: Platform) -> None:
    org = make_organisation(taxonomy_platform)
    with taxonomy_platform.uow() as uow:
        assert isinstance(uow, SqlAlchemyUnitOfWork)
        before = uow.taxonomy.revision()
        skill = uow.taxonomy.add_org_skill(
            Skill(
                uri="",
                preferred_label="Acme Python style",
                alt_labels=("acme pep8",),
                organisation_id=org.organisation_id,
            ),
            [(PYTHON, OrgLinkRelation.NARROWER), (HASKELL, OrgLinkRelation.RELATED)],
            created_by=org.admin.user_id,
            created_at=taxonomy_platform.clock(),
        )
        uow.commit()
    assert skill.uri.startswith(f"urn:microcareer:org:{org.organisation_id}:skill:")
    mine = frozenset({org.organisation_id})
    with taxonomy_platform.uow() as uow:
        assert uow.taxonomy.revision() == before + 1
        assert uow.taxonomy.skill_uri_for_key(skill.uri.rsplit(":", 1)[1]) == skill.uri
        seen = uow.taxonomy.skill_detail(PYTHON, visible_orgs=mine)
        unseen = uow.taxonomy.skill_detail(PYTHON, visible_orgs=frozenset())
        haskell = uow.taxonomy.skill_detail(HASKELL, visible_orgs=mine)
        own = uow.taxonomy.skill_detail(skill.uri, visible_orgs=mine)
        rows = [row for row in uow.taxonomy.skill_label_rows() if row[0] == skill.uri]
    assert seen is not None
    assert unseen is not None
    assert haskell is not None
    assert own is not None
    assert skill.uri in {ref.uri for ref in seen.narrower}
    assert skill.uri not in {ref.uri for ref in unseen.narrower}
    assert (skill.uri, "related") in [(r.skill.uri, r.relation) for r in haskell.related]
    assert [(r.skill.uri, r.relation) for r in own.related] == [(HASKELL, "related")]
    assert [ref.uri for ref in own.broader_chain[0]] == [ICT, ICT_SOFTWARE, PYTHON]
    assert sorted(rows) == sorted(
        [
            (skill.uri, "Acme Python style", "preferred", org.organisation_id),
            (skill.uri, "acme pep8", "alt", org.organisation_id),
        ]
    )


def test_whole_graph_and_occupation_rows_feed_partial_credit(taxonomy_platform: Platform) -> None:
    org = make_organisation(taxonomy_platform)
    with taxonomy_platform.uow() as uow:
        own = uow.taxonomy.add_org_skill(
            Skill(uri="", preferred_label="Acme Python style", organisation_id=org.organisation_id),
            [(PYTHON, OrgLinkRelation.NARROWER), (HASKELL, OrgLinkRelation.RELATED)],
            created_by=org.admin.user_id,
            created_at=taxonomy_platform.clock(),
        )
        uow.commit()
    with taxonomy_platform.uow() as uow:
        edges = list(uow.taxonomy.skill_graph_rows())
        occupations = list(uow.taxonomy.occupation_skill_rows())
        broader = list(uow.taxonomy.skill_broader_rows())
    # ESCO's hierarchy: the broader edges but an organisation's own links
    assert broader == sorted(broader)
    assert (PYTHON, ICT_SOFTWARE) in broader
    assert set(broader) == {(u, o) for u, o, link in edges if link == "broader"} - {(own.uri, PYTHON)}
    assert (PYTHON, ICT_SOFTWARE, "broader") in edges
    assert (PYTHON, PROGRAMMING, "broader") in edges
    assert (PYTHON, PROGRAMMING, "essential") in edges
    assert (own.uri, PYTHON, "broader") in edges
    assert (own.uri, HASKELL, "related") in edges
    assert len(edges) == len(set(edges))
    assert occupations == sorted(occupations)
    assert any(occupation == DEVELOPER for occupation, _, _ in occupations)
    assert {essential for _, _, essential in occupations} == {True, False}
    graph = SkillGraph.from_rows(edges)
    credited = {credit.target: credit.link for credit in graph.credits_from(own.uri)}
    assert credited[PYTHON] is Link.NARROWER
    assert credited[HASKELL] is Link.RELATED_OPTIONAL
