"""A person's reviews and reputation follow their profile's visibility, as the profile does."""

from __future__ import annotations

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.errors import NotFound
from microcareer.services import reviews
from tests.integration.job_market_helpers import NOW, make_people, uid


def _set(platform: Platform, user_id: int, visibility: Visibility) -> None:
    with platform.uow() as uow:
        uow.profiles.save(user_id, Profile(visibility=visibility), resume_extras={}, at=NOW)
        uow.commit()


def _sees(platform: Platform, actor: Actor, user_id: int) -> bool:
    try:
        reviews.reviews_of(platform.uow(), actor=actor, user_id=user_id)
        reviews.reputation_of(platform.uow(), actor=actor, user_id=user_id, today=NOW.date())
    except NotFound:
        return False
    return True


def test_reviews_and_reputation_follow_profile_visibility(platform: Platform) -> None:
    people = make_people(platform)
    employee = uid(people.employee)
    root = Actor(user_id=None, roles=frozenset({Role.PLATFORM_ADMIN}), is_system=True)
    anonymous = Actor.anonymous()
    cases: list[tuple[Visibility, list[tuple[Actor, bool]]]] = [
        (
            Visibility.PRIVATE,
            [(people.employee, True), (root, True), (people.colleague, False), (anonymous, False)],
        ),
        (Visibility.ORGANISATION, [(people.colleague, True), (people.stranger, False), (anonymous, False)]),
        (Visibility.PUBLIC, [(people.stranger, True), (anonymous, True), (people.client, True)]),
    ]
    for visibility, expected in cases:
        _set(platform, employee, visibility)
        for actor, sees in expected:
            assert _sees(platform, actor, employee) is sees, (visibility, actor)


def test_a_hidden_record_answers_as_no_user_at_all(platform: Platform) -> None:
    people = make_people(platform)
    with pytest.raises(NotFound) as hidden:
        reviews.reviews_of(platform.uow(), actor=people.stranger, user_id=uid(people.employee))
    with pytest.raises(NotFound) as missing:
        reviews.reviews_of(platform.uow(), actor=people.stranger, user_id=999_999)
    assert str(hidden.value.detail).replace(str(uid(people.employee)), "N") == str(
        missing.value.detail
    ).replace("999999", "N")
