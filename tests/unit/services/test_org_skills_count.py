"""The member count's sentence: every member is shown or said why not, in plain words."""

from __future__ import annotations

import pytest

from microcareer.services.org_skills import MemberCount


@pytest.mark.parametrize(
    ("count", "sentence"),
    [
        (MemberCount(2, 1, 1, 0), "1 of 2 members shown; 1 keeps a private profile."),
        (MemberCount(2, 1, 0, 1), "1 of 2 members shown; 1 has no skills on a profile yet."),
        (
            MemberCount(5, 1, 2, 2),
            "1 of 5 members shown; 2 keep a private profile; 2 have no skills on a profile yet.",
        ),
        (MemberCount(1, 1, 0, 0), "1 of 1 member shown."),
    ],
)
def test_the_count_says_why_members_are_not_shown(count: MemberCount, sentence: str) -> None:
    assert count.sentence() == sentence
    assert count.shown + count.left_out == count.members
