"""The seal between partnerships (issue 14), first lock: the request's host names its
partnership, and nothing of another partnership is read or written.

The URL walk here runs with two partnerships: partnership A is the default test partnership
(`testserver`) with the permission matrix's world; partnership B (`second.testserver`) has a
world of its own with the same names, and its users, one per role. Every URL with A's ids,
asked by every role of B on B's address: 404 (anonymous: the sign-in page), never a page of
A's; every POST form of A, posted by B's business team: refused, and no row changes.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from accounts.models import User
from auditportal.tenancy import (
    CrossPartnershipWrite,
    PartnershipManager,
    owned_models,
    partnership_context,
    system_context,
)
from audits.models import Audit, Return, Theme
from cases.models import Agency, Case, Partnership, PartnershipHost
from tests.factories import AgencyFactory, AuditFactory, ReturnFactory, UserFactory
from tests.tenancy import HOSTING_HOST, SECOND_HOST

from .test_hostile_input import find_forms
from .test_url_permissions import status_of
from .world import ROLES, all_routes, pk_object, url_kwargs

PROJECT_APPS = {"accounts", "cases", "audits", "findings", "briefings", "auditportal", "demo"}

# Global tables: not owned by one partnership. Keep this list short; each entry says why.
GLOBAL_MODELS = {
    # The tenants themselves, read before any partnership is known.
    "cases.Partnership",
    # Host name -> partnership: read by the middleware to find the request's partnership.
    "cases.PartnershipHost",
    # The relay hands every partnership's tasks to the queue; a message holds task names and
    # ids only, and the task it starts runs in its partnership's context.
    "auditportal.OutboxMessage",
}
# Owned, with a blank partnership allowed: hosting administrators (users of no partnership)
# and the trail of their own actions.
NULLABLE_PARTNERSHIP = {"accounts.User", "auditportal.AuditEvent", "auditportal.AccessedRecord"}

A_IDENTIFIERS = ("RB1", "RB2", "RB-SC-1001", "Riverbend neglect deep dive")


def project_models():
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy
    ]


def test_every_model_is_partnership_owned_or_a_listed_global_table():
    """A new model of any app fails here until it is partnership-owned (inherit
    auditportal.tenancy.PartnershipOwned: docs/architecture.md) or listed above with why."""
    owned = set(owned_models())
    problems = []
    for model in project_models():
        label = model._meta.label
        if label in GLOBAL_MODELS:
            continue
        if model not in owned:
            problems.append(f"{label}: neither partnership-owned nor in GLOBAL_MODELS")
            continue
        field = model._meta.get_field("partnership")
        if (
            field.null
            and label not in NULLABLE_PARTNERSHIP
            and not label.split(".")[1].startswith("Historical")
        ):
            problems.append(f"{label}: its partnership may be blank")
        if not model.__name__.startswith("Historical") and label != "accounts.User":
            manager = model._default_manager
            if not isinstance(manager, PartnershipManager):
                problems.append(f"{label}: default manager {manager!r} does not scope")
    stale = GLOBAL_MODELS - {model._meta.label for model in project_models()}
    problems.extend(f"{label}: listed global but no such model" for label in sorted(stale))
    assert not problems, "\n".join(problems)


def _object_kwargs(route) -> bool:
    """The URL names an object (or a token standing for one) of the world."""
    return any(kwarg == "pk" or kwarg.endswith("_pk") for kwarg in route.kwargs) or route.name in {
        "audits:ics",
        "briefings:public",
        "survey_public:code",
    }


MISSING_ID = 2_147_483_000


def _missing(route, kwargs: dict) -> dict:
    """The same URL naming objects that exist in no partnership."""
    changed = {}
    for key, value in kwargs.items():
        if key == "pk" or key.endswith("_pk"):
            changed[key] = MISSING_ID
        elif key == "token" and route.name in {"audits:ics", "briefings:public"}:
            changed[key] = "not-a-token-of-anyone"
        elif key == "code":
            changed[key] = "ABCD-EFGH-JKMN"  # well formed, a code of nobody
        else:
            changed[key] = value
    return changed


def partnership_row_counts(partnership_id: int) -> tuple[int, ...]:
    """Row counts of one partnership in every partnership-owned table, one query, read past
    the managers (so they count what is there, not what the context lets through)."""
    tables = sorted({model._meta.db_table for model in owned_models()})
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM {table} WHERE partnership_id = %s)"  # noqa: S608
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}", [partnership_id] * len(tables))
        return tuple(cursor.fetchone())


def _body(response) -> str:
    """A 200 page's text without its random strings (a two-factor secret, a QR code's data
    URI, a CSRF token), which may hold "RB2" by chance."""
    if response.status_code != 200 or response.streaming:
        return ""
    text = response.content.decode(errors="replace")
    return re.sub(r"data:[^\"']+|[A-Za-z0-9]{24,}", "", text)


def test_every_url_with_partnership_a_ids_is_404_to_every_role_of_partnership_b(world_a, clients_b):
    """An id of A answers exactly what an id of nobody answers: 404, or for a role the page
    refuses whatever the id, that refusal (403; 405 for a POST-only endpoint; sign-in)."""
    problems = []
    walked = 0
    for route in all_routes():
        kwargs = url_kwargs(route, world_a)
        url = reverse(route.name, kwargs=kwargs)
        nobody = reverse(route.name, kwargs=_missing(route, kwargs))
        for role in (*ROLES, "admin"):
            response = clients_b[role].get(url)
            status = status_of(response)
            leaked = [text for text in A_IDENTIFIERS if text in _body(response)]
            if leaked:
                problems.append(f"{route.name} as B's {role}: shows A's {leaked}")
            if status >= 500:
                problems.append(f"{route.name} as B's {role}: {status}")
            if not _object_kwargs(route):
                continue
            walked += 1
            of_nobody = status_of(clients_b[role].get(nobody))
            if status != of_nobody or status not in {302, 401, 403, 404, 405}:
                problems.append(
                    f"{route.name} ({url}) as B's {role}: {status} (an id of nobody: {of_nobody})"
                )
    assert walked > 300
    assert not problems, "\n".join(problems)


def test_partnership_a_forms_posted_by_partnership_b_change_nothing_of_a(
    partnership, world_a, business, practitioner, clients_b
):
    clients_a = {}
    for role, user in (("business", business), ("practitioner", practitioner)):
        client = Client()
        client.force_login(user)
        clients_a[role] = client
    endpoints = find_forms(clients_a, world_a)
    assert len(endpoints) >= 10
    problems = []
    posts = 0
    for path, (name, _role, fields) in sorted(endpoints.items()):
        for role in ("business", "practitioner", "admin", "anonymous"):
            before = partnership_row_counts(partnership.pk)
            status = status_of(clients_b[role].post(path, {field: "1" for field in fields}))
            posts += 1
            if partnership_row_counts(partnership.pk) != before:
                problems.append(f"{name} {path} as B's {role}: A's rows changed ({status})")
            if status >= 500:
                problems.append(f"{name} {path} as B's {role}: {status}")
            if _names_object(path) and status not in {302, 401, 403, 404, 405}:
                problems.append(f"{name} {path} as B's {role}: {status}")
    assert posts > 200
    assert not problems, "\n".join(problems)


def _names_object(path: str) -> bool:
    return any(part.isdigit() for part in path.split("/"))


@pytest.fixture
def a_ids(world_a):
    """Every id partnership A has, by model, for the sweep."""
    return sorted({obj.pk for obj in world_a.values() if hasattr(obj, "pk")})


OBJECT_ROUTES = [route for route in all_routes() if "pk" in route.kwargs]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_sweep_of_ids_finds_nothing_of_partnership_a_from_partnership_b(
    data, partnership, world_a, a_ids, clients_b
):
    route = data.draw(st.sampled_from(OBJECT_ROUTES), label="route")
    pk = data.draw(st.one_of(st.sampled_from(a_ids), st.integers(1, 2**31 - 1)), label="pk")
    role = data.draw(st.sampled_from(["business", "practitioner", "board", "admin"]))
    model = type(pk_object(route.name, world_a))
    # An id of B's own object of that kind is B's to see; no partnership is seen on a
    # partnership's address by id (the hosting administration's pages: 404 there).
    if model is not Partnership:
        with system_context():
            assume(not model._base_manager.filter(pk=pk).exclude(partnership=partnership).exists())
    kwargs = url_kwargs(route, world_a) | {"pk": pk}
    url = reverse(route.name, kwargs=kwargs)
    nobody = reverse(route.name, kwargs=kwargs | {"pk": MISSING_ID})
    before = partnership_row_counts(partnership.pk)

    got = clients_b[role].get(url)
    posted = clients_b[role].post(url, {})

    of_nobody = status_of(clients_b[role].get(nobody))
    assert status_of(got) == of_nobody, (url, nobody, role, got.status_code, of_nobody)
    assert status_of(got) in {403, 404, 405}, (url, role, got.status_code)
    assert status_of(posted) in {403, 404, 405}, (url, role, posted.status_code)
    assert not [text for text in A_IDENTIFIERS if text in _body(got)]
    assert partnership_row_counts(partnership.pk) == before


def test_an_unknown_host_is_404_before_anything_is_read(client, business):
    client.force_login(business)

    response = client.get(reverse("audits:programme"), HTTP_HOST="unknown.testserver")

    assert response.status_code == 404
    assert response.content == b"No partnership answers at this address.\n"


def test_a_deactivated_partnership_answers_404(client, partnership, business):
    client.force_login(business)
    partnership.active = False
    partnership.save()

    response = client.get(reverse("audits:programme"))

    assert response.status_code == 404


def test_a_user_of_partnership_a_cannot_sign_in_on_partnership_b(second, business):
    client = Client(HTTP_HOST=SECOND_HOST)

    response = client.post(
        reverse("accounts:login"),
        {"username": "business", "password": "correct-horse-battery-staple"},
    )

    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session


def test_a_session_of_partnership_a_is_anonymous_on_partnership_b(second, business):
    client = Client(HTTP_HOST=SECOND_HOST)
    client.force_login(business)

    response = client.get(reverse("audits:programme"))

    assert status_of(response) == 302


def test_managers_scope_every_read_by_the_running_partnership(second, world_a):
    with partnership_context(second):
        AuditFactory(title="Northmoor audit")

        seen_in_b = list(Audit.objects.values_list("title", flat=True))
        returns_of_a = world_a["audit"].returns.count()  # a related manager
        agencies_in_b = Agency.objects.count()

    assert seen_in_b == ["Northmoor audit"]
    assert returns_of_a == 0
    assert agencies_in_b == 0
    assert Audit.objects.filter(title="Northmoor audit").count() == 0


def test_a_row_of_partnership_a_cannot_be_saved_for_partnership_b(second, world_a):
    audit = world_a["audit"]
    count = Return.objects.count()

    with partnership_context(second), pytest.raises(CrossPartnershipWrite):
        audit.title = "Renamed from another partnership"
        audit.save()
    with partnership_context(second), pytest.raises(CrossPartnershipWrite):
        Return(audit=audit, case=world_a["case"], agency=world_a["return"].agency).save()

    audit.refresh_from_db()
    assert audit.title == "Riverbend neglect deep dive"
    assert Return.objects.count() == count


def test_a_child_row_cannot_point_at_another_partnerships_parent(second, world_a):
    with partnership_context(second):
        agency_b = AgencyFactory(name="Northmoor Police")
    with pytest.raises(CrossPartnershipWrite):
        ReturnFactory(case=world_a["case"], agency=agency_b)


def test_names_are_unique_per_partnership_not_across(second):
    with partnership_context(second):
        Theme.objects.create(name="Voice of the child")
        Agency.objects.create(name="Police", sector=Agency.Sector.POLICE)

    Theme.objects.create(name="Voice of the child")
    Agency.objects.create(name="Police", sector=Agency.Sector.POLICE)

    assert Theme._base_manager.filter(name="Voice of the child").count() == 2


def test_the_hosting_host_sees_no_partnerships_rows(world_a):
    client = Client(HTTP_HOST=HOSTING_HOST)
    with partnership_context(None):
        hosting_admin = UserFactory(username="hoster", role=User.Role.HOSTING)
        assert Case.objects.count() == 0
        assert list(User.objects.all()) == [hosting_admin]
        client.force_login(hosting_admin)

    response = client.get(reverse("audits:programme"))

    assert response.status_code in {403, 404}


def test_host_names_are_matched_without_port_or_case(second):
    from cases.hosts import partnership_for_host

    assert partnership_for_host("SECOND.testserver:8000") == second
    assert partnership_for_host("nowhere.testserver") is None
    assert PartnershipHost.objects.filter(partnership=second).count() == 1
