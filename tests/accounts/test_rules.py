"""The roles, defined once (accounts/rules.py): each role answers its own predicate only."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.rules import is_board_member, is_business_team, is_practitioner

ROLE_PREDICATES = {
    "business": (True, False, False),
    "admin": (True, False, False),
    "practitioner": (False, True, False),
    "other_practitioner": (False, True, False),
    "board": (False, False, True),
}


@pytest.mark.parametrize(("role", "expected"), ROLE_PREDICATES.items())
def test_role_predicates_each_role_is_exactly_its_role(users, role, expected):
    user = users[role]

    answers = (is_business_team.test(user), is_practitioner.test(user), is_board_member.test(user))

    assert answers == expected


def test_role_predicates_anonymous_is_no_role():
    anonymous = AnonymousUser()

    answers = (
        is_business_team.test(anonymous),
        is_practitioner.test(anonymous),
        is_board_member.test(anonymous),
    )

    assert answers == (False, False, False)
