"""The network's plain rules: ranking introductions, portfolio handles and links, JSON-LD escaping,
mentorship evidence."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from microcareer.domain.network.connections import Tie, TieKind, how_known
from microcareer.domain.network.introductions import Holder, Link, rank
from microcareer.domain.network.mentorship import (
    MentoringSession,
    Mentorship,
    MentorshipState,
    evidence_of,
)
from microcareer.domain.network.portfolio import (
    PersonFacts,
    check_handle,
    json_ld_script,
    person_json_ld,
    web_url,
)
from microcareer.domain.profiles.evidence import EvidenceKind, assess
from microcareer.errors import Conflict, InvalidInput

CLOSE = Link(1.0, "worked together")
PLAIN = Link(0.5, "connected")


def test_a_connection_with_the_skill_outranks_a_second_hop_with_the_same_evidence() -> None:
    found = rank({2: CLOSE}, {2: {3: PLAIN}}, {2: Holder(0.5, "a"), 3: Holder(0.5, "b")}, limit=10)
    assert [(i.person_id, i.hops, i.via_id) for i in found] == [(2, 1, None), (3, 2, 2)]
    assert found[1].score == pytest.approx(0.5 * 1.0 * 0.5 * 0.5)


def test_strong_evidence_two_hops_away_can_outrank_a_weak_connection() -> None:
    found = rank({2: PLAIN}, {2: {3: CLOSE}}, {2: Holder(0.2, "a"), 3: Holder(0.9, "b")}, limit=10)
    assert [i.person_id for i in found] == [3, 2]  # 0.9 x 0.5 x 1.0 x 0.5 = 0.225 > 0.2 x 0.5 = 0.1


def test_the_best_path_is_kept_and_the_limit_holds() -> None:
    first = {2: PLAIN, 4: CLOSE}
    second = {2: {3: CLOSE}, 4: {3: CLOSE}}
    found = rank(first, second, {3: Holder(0.8, "x")}, limit=10)
    assert [(i.person_id, i.via_id) for i in found] == [(3, 4)]
    assert rank(first, second, {3: Holder(0.8, "x")}, limit=0) == []
    assert rank(first, second, {3: Holder(0.0, "none")}, limit=10) == []


def test_how_you_know_them_says_the_ties_then_the_words() -> None:
    ties = [Tie(2, TieKind.CONTRACT, "“Booking API”"), Tie(2, TieKind.ORGANISATION, "Acme")]
    assert how_known(ties, "hi", requested_by_me=True) == [
        "worked together on the contract “Booking API”",
        "both members of Acme",
        "you wrote: “hi”",
    ]
    assert how_known([], "", requested_by_me=False) == [
        "connected by request (no shared work on the platform yet)"
    ]


@pytest.mark.parametrize("handle", ["ada", "ada-lovelace-2", "a1b"])
def test_good_handles(handle: str) -> None:
    assert check_handle(handle.upper()) == handle


@pytest.mark.parametrize(
    "handle", ["ab", "-ada", "ada-", "a--b", "ada_l", "ada lovelace", "x" * 41, "edit", "../a"]
)
def test_bad_handles(handle: str) -> None:
    with pytest.raises(InvalidInput, match="handle"):
        check_handle(handle)


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,x",
        "//evil.test/x",
        "/p/x",
        "https://",
        "https://a b.test/",
    ],
)
def test_links_are_http_or_https_only(link: str) -> None:
    with pytest.raises(InvalidInput, match="link"):
        web_url(link, "link")


def test_json_ld_cannot_close_its_script_element() -> None:
    data = person_json_ld(
        PersonFacts(
            name="</script><script>alert(1)</script>",
            url="https://x.test/p/a",
            headline="a & b",
            narrative="line\u2028sep",
        )
    )
    text = json_ld_script(data)
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert "\u2028" not in text
    assert json.loads(text) == data


def _mentorship(mentor: int, mentee: int) -> Mentorship:
    return Mentorship(
        1, mentor, mentee, ("s",), "", MentorshipState.ACTIVE, datetime(2026, 11, 1, tzinfo=UTC)
    )


def test_mentorship_evidence_is_dated_on_the_last_session_and_weighs_as_its_kind() -> None:
    sessions = [
        MentoringSession(1, 1, date(2026, 10, 1), 60, "", 2),
        MentoringSession(2, 1, date(2026, 11, 1), 30, "", 3),
    ]
    evidence = evidence_of(_mentorship(2, 3), sessions, for_mentor=False)
    assert (evidence.kind, evidence.last_used, evidence.source) == (
        EvidenceKind.MENTORSHIP,
        date(2026, 11, 1),
        "mentorship:1",
    )
    assert evidence.note == "was mentored: 2 sessions, 1.5 h"
    assert assess([evidence], date(2026, 11, 1)).value == pytest.approx(0.5)
    with pytest.raises(InvalidInput, match="themselves"):
        evidence_of(_mentorship(2, 2), sessions, for_mentor=True)
    with pytest.raises(Conflict, match="session"):
        evidence_of(_mentorship(2, 3), [], for_mentor=True)
