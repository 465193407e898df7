"""Who may use a partnership's page in the hosting administration, and bad input on it.

The project's URL walk (tests/security/test_url_permissions.py) is on the partnerships' own
addresses, where every hosting page answers 404. This is the walk of the hosting host: every
hosting URL naming either partnership, GET and POST, for every role of both partnerships (their
sessions belong to their own addresses: anonymous here), anonymous, and a user of no
partnership who is not a hosting administrator; refused POSTs change nothing."""

import pytest
from django.test import Client
from django.urls import resolve

from accounts.models import User
from auditportal.tenancy import partnership_context
from tests.factories import UserFactory
from tests.tenancy import HOSTING_HOST, SECOND_HOST

from .test_hosting_partnership import ADMIN_GET, HOSTING_URLS, POSTS, state, url


@pytest.fixture
def refused_clients(users, partnership, second):
    """Everyone but a hosting administrator, on the hosting host: every role of partnership A
    and of partnership B (their sessions belong to their own addresses), anonymous, and a user
    of no partnership without the hosting role."""
    clients = {}
    with partnership_context(partnership):
        for role, user in users.items():
            client = Client(HTTP_HOST=HOSTING_HOST)
            if user is not None:
                client.force_login(user)
            clients[f"A's {role}"] = client
    with partnership_context(second):
        for role in ("business", "practitioner", "board", "admin"):
            user = UserFactory(
                username=f"b-{role}",
                role=role,
                is_staff=role == "admin",
                is_superuser=role == "admin",
            )
            client = Client(HTTP_HOST=HOSTING_HOST)
            client.force_login(user)
            clients[f"B's {role}"] = client
    with partnership_context(None):
        stray = UserFactory(username="no-partnership", role=User.Role.BUSINESS)
        client = Client(HTTP_HOST=HOSTING_HOST)
        client.force_login(stray)
        clients["a business user of no partnership"] = client
    return clients


def _sign_in_or_refused(response) -> bool:
    """Sent to sign in, refused, or (a GET of a POST-only endpoint) not allowed."""
    if response.status_code == 302:
        return "/accounts/sign-in/" in response["Location"]
    return response.status_code in {403, 404, 405}


def test_every_hosting_page_is_the_hosting_administrators_alone(
    hosting_client, refused_clients, second, partnership
):
    problems = []
    for name in HOSTING_URLS:
        for target in (partnership, second):
            path = url(name, target)
            got = hosting_client.get(path).status_code
            if got != ADMIN_GET[name]:
                problems.append(f"{name} as the hosting administrator: {got}")
            for who, client in refused_clients.items():
                response = client.get(path)
                if not _sign_in_or_refused(response):
                    problems.append(f"GET {name} as {who}: {response.status_code}")
                before = state(target)
                response = client.post(path, POSTS[name] | {"host": target.hosts.first().host})
                if not _sign_in_or_refused(response):
                    problems.append(f"POST {name} as {who}: {response.status_code}")
                if state(target) != before:
                    problems.append(f"POST {name} as {who}: refused but changed")
    assert not problems, "\n".join(problems)


def test_the_stray_user_of_no_partnership_is_refused_not_sent_to_sign_in(refused_clients, second):
    response = refused_clients["a business user of no partnership"].get(
        url("hosting:partnership", second)
    )

    assert response.status_code == 403


@pytest.mark.parametrize("host", ["testserver", SECOND_HOST])
def test_posts_on_a_partnerships_address_are_404_and_change_nothing(users, second, host):
    problems = []
    for name in HOSTING_URLS:
        for role, user in users.items():
            client = Client(HTTP_HOST=host)
            if user is not None and host == "testserver":
                client.force_login(user)
            before = state(second)
            response = client.post(url(name, second), POSTS[name])
            if response.status_code != 404 or state(second) != before:
                problems.append(f"{name} on {host} as {role}: {response.status_code}")
    assert not problems, "\n".join(problems)


def test_hostile_values_on_the_hosting_forms_never_cause_a_500_or_a_half_save(hoster, second):
    """The project's bad-input sweep (tests/security/test_hostile_input.py) over the forms of
    the partnership's page and its confirmation page, as the hosting administrator."""
    from tests.security.test_hostile_input import FormParser, make_sweep, order

    with partnership_context(None):
        client = Client(HTTP_HOST=HOSTING_HOST, raise_request_exception=False)
        client.force_login(hoster)
    endpoints: dict[str, tuple[str, str, set[str]]] = {}
    for page in ("hosting:partnership", "hosting:partnership-deactivate"):
        parser = FormParser()
        parser.feed(client.get(url(page, second)).content.decode())
        for action, fields in parser.forms:
            path = action or url(page, second)
            name = resolve(path).view_name
            endpoints.setdefault(path, (name, "hosting", set()))[2].update(fields)
    assert {name for name, _, _ in endpoints.values()} >= {
        "hosting:partnership-rename",
        "hosting:partnership-host-add",
        "hosting:partnership-host-remove",
        "hosting:partnership-deactivate",
    }
    failures: list[str] = []
    for path, (name, _role, fields) in sorted(endpoints.items(), key=order):
        make_sweep(client, path, name, sorted(fields) or ["x"], failures)()
    assert not failures, "\n".join(failures[:20])
