"""The skills-graph services on a real database: search, look-ups, organisation skills and who may do what."""

from __future__ import annotations

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.taxonomy.concepts import OrgLinkRelation
from microcareer.domain.taxonomy.search import MatchKind
from microcareer.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import taxonomy
from tests.integration.taxonomy_helpers import DEVELOPER_KEY, HASKELL, PYTHON, PYTHON_KEY, make_organisation


def search(platform: Platform, query: str, actor: Actor | None = None, **kwargs: int) -> list[str]:
    page = taxonomy.search_skills(
        platform.uow(),
        taxonomy.label_index_cache(platform.caches),
        actor=actor or Actor.anonymous(),
        query=query,
        **kwargs,
    )
    return [hit.concept.uri for hit in page.hits]


def add_skill(platform: Platform, actor: Actor, organisation_id: int, **kwargs: object) -> str:
    arguments: dict[str, object] = {
        "label": "Acme Python style",
        "links": [(PYTHON, OrgLinkRelation.NARROWER)],
    }
    arguments.update(kwargs)
    skill = taxonomy.add_org_skill(
        platform.uow(),
        actor=actor,
        clock=platform.clock,
        organisation_id=organisation_id,
        **arguments,  # type: ignore[arg-type]
    )
    return skill.uri


def test_python_finds_python_computer_programming_first(taxonomy_platform: Platform) -> None:
    page = taxonomy.search_skills(
        taxonomy_platform.uow(),
        taxonomy.label_index_cache(taxonomy_platform.caches),
        actor=Actor.anonymous(),
        query="python",
    )
    first = page.hits[0]
    assert first.concept.preferred_label == "Python (computer programming)"
    assert first.match_kind is MatchKind.EXACT
    assert search(taxonomy_platform, "pyhton")[0] == PYTHON


def test_occupation_search_and_look_up(taxonomy_platform: Platform) -> None:
    page = taxonomy.search_occupations(
        taxonomy_platform.uow(),
        taxonomy.label_index_cache(taxonomy_platform.caches),
        actor=Actor.anonymous(),
        query="sofware develper",
    )
    assert page.hits[0].concept.preferred_label == "software developer"
    detail = taxonomy.get_occupation(
        taxonomy_platform.uow(), actor=Actor.anonymous(), uri_or_key=DEVELOPER_KEY
    )
    assert detail.occupation.preferred_label == "software developer"


@pytest.mark.parametrize("wanted", [PYTHON_KEY, PYTHON, f"  {PYTHON_KEY} "])
def test_get_skill_by_key_or_uri(taxonomy_platform: Platform, wanted: str) -> None:
    detail = taxonomy.get_skill(taxonomy_platform.uow(), actor=Actor.anonymous(), uri_or_key=wanted)
    assert detail.skill.uri == PYTHON


@pytest.mark.parametrize("wanted", ["nope", "", "../etc", "http://example.org/skill/1"])
def test_unknown_skill_or_occupation_is_not_found(taxonomy_platform: Platform, wanted: str) -> None:
    with pytest.raises(NotFound, match="no skill"):
        taxonomy.get_skill(taxonomy_platform.uow(), actor=Actor.anonymous(), uri_or_key=wanted)
    with pytest.raises(NotFound, match="no occupation"):
        taxonomy.get_occupation(taxonomy_platform.uow(), actor=Actor.anonymous(), uri_or_key=wanted)


def test_org_skill_is_searchable_by_members_only_and_the_index_follows_additions(
    taxonomy_platform: Platform,
) -> None:
    org = make_organisation(taxonomy_platform)
    assert search(taxonomy_platform, "acme") == []  # builds the index before the addition
    uri = add_skill(
        taxonomy_platform, org.admin, org.organisation_id, alt_labels=["house style", "House  style"]
    )
    assert search(taxonomy_platform, "acme", org.admin) == [uri]
    assert search(taxonomy_platform, "house style", org.admin) == [uri]
    assert search(taxonomy_platform, "acme", Actor.system()) == [uri]
    assert search(taxonomy_platform, "acme", org.outsider) == []
    assert search(taxonomy_platform, "acme") == []
    detail = taxonomy.get_skill(taxonomy_platform.uow(), actor=org.admin, uri_or_key=uri)
    assert detail.skill.alt_labels == ("house style",)
    with pytest.raises(PermissionDenied):
        taxonomy.get_skill(taxonomy_platform.uow(), actor=org.outsider, uri_or_key=uri)
    with pytest.raises(NotAuthenticated):
        taxonomy.get_skill(taxonomy_platform.uow(), actor=Actor.anonymous(), uri_or_key=uri)


def test_only_organisation_admins_add_its_skills(taxonomy_platform: Platform) -> None:
    org = make_organisation(taxonomy_platform)
    with pytest.raises(PermissionDenied):
        add_skill(taxonomy_platform, org.outsider, org.organisation_id)
    with pytest.raises(NotAuthenticated):
        add_skill(taxonomy_platform, Actor.anonymous(), org.organisation_id)
    assert search(taxonomy_platform, "acme", Actor.system()) == []


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"links": [(PYTHON + "-missing", OrgLinkRelation.RELATED)]}, NotFound, PYTHON + "-missing"),
        ({"label": "   "}, InvalidInput, "label is empty"),
        ({"alt_labels": ["x" * 201]}, InvalidInput, "over 200"),
        ({"description": "x" * 5001}, InvalidInput, "description"),
    ],
)
def test_bad_org_skill_is_refused_and_nothing_is_stored(
    taxonomy_platform: Platform, kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    org = make_organisation(taxonomy_platform)
    with pytest.raises(error, match=message):
        add_skill(taxonomy_platform, org.admin, org.organisation_id, **kwargs)
    with taxonomy_platform.uow() as uow:
        assert uow.taxonomy.info().counts.organisation_skills == 0


def test_unknown_organisation_and_other_organisations_skills_cannot_be_used(
    taxonomy_platform: Platform,
) -> None:
    acme = make_organisation(taxonomy_platform, "acme")
    globex = make_organisation(taxonomy_platform, "globex")
    with pytest.raises(NotFound, match="organisation"):
        add_skill(taxonomy_platform, Actor.system(), 999_999)
    hidden = add_skill(taxonomy_platform, globex.admin, globex.organisation_id, label="Globex thing")
    with pytest.raises(NotFound, match=hidden):
        add_skill(
            taxonomy_platform, acme.admin, acme.organisation_id, links=[(hidden, OrgLinkRelation.RELATED)]
        )
    linked = add_skill(
        taxonomy_platform, acme.admin, acme.organisation_id, links=[(HASKELL, OrgLinkRelation.RELATED)]
    )
    assert linked.startswith(f"urn:microcareer:org:{acme.organisation_id}:skill:")
