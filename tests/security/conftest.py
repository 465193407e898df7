"""Fixtures of the tests of the seal between partnerships (test_partnership_*.py): partnership
A is the default test partnership with the permission matrix's world; partnership B answers
on `second.testserver` with one user per role."""

import pytest
from django.test import Client

from accounts.models import User
from auditportal.tenancy import partnership_context
from tests.factories import AgencyFactory, ReturnFactory, UserFactory
from tests.tenancy import SECOND_HOST, second_partnership

from .world import build_world


@pytest.fixture
def second(db):
    return second_partnership()


@pytest.fixture
def world_a(business, practitioner, other_practitioner, agency_a, agency_b):
    return build_world(
        business=business,
        practitioner=practitioner,
        other_practitioner=other_practitioner,
        agency_a=agency_a,
        agency_b=agency_b,
    )


@pytest.fixture
def users_b(second):
    """Partnership B's users, one per role, and a world of B's own with A's names."""
    with partnership_context(second):
        agency_a = AgencyFactory(name="Agency A Children's Social Care", short_name="A")
        agency_b = AgencyFactory(name="Agency B Police", short_name="B")
        users = {
            "business": UserFactory(username="b-business", role=User.Role.BUSINESS),
            "practitioner": UserFactory(
                username="b-practitioner", role=User.Role.PRACTITIONER, agencies=[agency_a]
            ),
            "other_practitioner": UserFactory(
                username="b-other", role=User.Role.PRACTITIONER, agencies=[agency_b]
            ),
            "board": UserFactory(username="b-board", role=User.Role.BOARD),
            "admin": UserFactory(
                username="b-admin", role=User.Role.ADMIN, is_staff=True, is_superuser=True
            ),
            "anonymous": None,
        }
        # B's own audit and child, so B's lists are not empty (and never show A's).
        ReturnFactory(
            case__pseudonym="NM1",
            case__audit__title="Northmoor audit",
            agency=agency_a,
            assignee=users["practitioner"],
        )
    return users


@pytest.fixture
def clients_b(users_b, second):
    clients = {}
    with partnership_context(second):
        for role, user in users_b.items():
            client = Client(HTTP_HOST=SECOND_HOST)
            if user is not None:
                client.force_login(user)
            clients[role] = client
    return clients
