"""Look-alike names and addresses: the same skeleton, other characters."""

from __future__ import annotations

import pytest

from microcareer.domain.confusables import imitates, skeleton, skeleton_hash


@pytest.mark.parametrize(
    ("candidate", "existing"),
    [
        ("\u0410da Lovelace", "Ada Lovelace"),  # Cyrillic capital A
        ("Ada Lov\u0435lace", "Ada Lovelace"),  # Cyrillic small ie
        ("\u0440aypal", "paypal"),  # Cyrillic er
        ("Bi\u0399\u0399", "Bill"),  # Greek capital iota for l
        ("b\u043eb@example.org", "bob@example.org"),  # Cyrillic o in an address
        ("\uff21\uff44\uff41 \u0406", "Ada l"),  # fullwidth letters, Ukrainian i
    ],
)
def test_look_alikes_imitate(candidate: str, existing: str) -> None:
    assert imitates(candidate, existing)
    assert skeleton_hash(candidate) == skeleton_hash(existing)


@pytest.mark.parametrize(
    ("candidate", "existing"),
    [
        ("Ada Lovelace", "Ada Lovelace"),  # the same name twice: people share names
        ("ada  LOVELACE", "Ada Lovelace"),  # case and spacing are not imitation
        ("\uff21da", "Ada"),  # fullwidth is the same text after NFKC
        ("Zo\u00eb", "Zoe"),  # accents make another name
        ("M\u00fcller", "Muller"),
        ("Ada", "Bob"),
    ],
)
def test_other_names_and_the_same_name_do_not(candidate: str, existing: str) -> None:
    assert not imitates(candidate, existing)


def test_skeletons_collapse_spaces_and_case() -> None:
    assert skeleton("  Ada\tLovelace ") == skeleton("ada lovelace")
