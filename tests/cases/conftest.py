"""Fixtures of the hosting administration's tests (test_hosting_*.py): the second partnership,
a hosting administrator and a client signed in as them on the hosting host."""

import pytest
from django.test import Client

from accounts.models import User
from auditportal.tenancy import partnership_context
from tests.factories import UserFactory
from tests.tenancy import HOSTING_HOST, second_partnership


@pytest.fixture
def second(db):
    return second_partnership()


@pytest.fixture
def hoster(db):
    with partnership_context(None):
        return UserFactory(username="hoster", role=User.Role.HOSTING)


@pytest.fixture
def hosting_client(hoster):
    with partnership_context(None):
        client = Client(HTTP_HOST=HOSTING_HOST)
        client.force_login(hoster)
    return client
