"""One partnership's page in the hosting administration (/hosting/<id>/): the hosting
administrator renames it, adds and removes its host names, deactivates it (with a reason, after
a confirmation page) and reactivates it. Each change is a service of cases.hosting that writes
the audit trail and drops the host map, so the change holds at once in this process.

Who may (the walk of the hosting host) and bad input: test_hosting_permissions.py."""

import pytest
from django.test import Client
from django.urls import reverse

from auditportal.models import AuditEvent
from auditportal.tenancy import system_context
from cases.hosting import LAST_HOST, NO_HOST_TO_REACTIVATE
from cases.models import Partnership, PartnershipHost
from tests.tenancy import HOSTING_HOST, SECOND_HOST

NORTHMOOR = "Northmoor Safeguarding Children Partnership"

HOSTING_URLS = [
    "hosting:partnership",
    "hosting:partnership-rename",
    "hosting:partnership-host-add",
    "hosting:partnership-host-remove",
    "hosting:partnership-deactivate",
    "hosting:partnership-reactivate",
]
# What a hosting administrator's GET gets: the page, the confirmation page, or 405 (POST only).
ADMIN_GET = {
    "hosting:partnership": 200,
    "hosting:partnership-rename": 405,
    "hosting:partnership-host-add": 405,
    "hosting:partnership-host-remove": 405,
    "hosting:partnership-deactivate": 200,
    "hosting:partnership-reactivate": 405,
}
# A POST that would change something if it were allowed.
POSTS = {
    "hosting:partnership": {},
    "hosting:partnership-rename": {"name": "Renamed by someone else"},
    "hosting:partnership-host-add": {"host": "stolen.testserver"},
    "hosting:partnership-host-remove": {"host": SECOND_HOST},
    "hosting:partnership-deactivate": {"reason": "Not theirs to decide."},
    "hosting:partnership-reactivate": {},
}


def url(name: str, partnership: Partnership) -> str:
    return reverse(name, args=[partnership.pk])


def state(partnership: Partnership) -> tuple:
    """What a refused change must leave as it was."""
    with system_context():
        row = Partnership.objects.get(pk=partnership.pk)
        return (
            row.name,
            row.active,
            sorted(PartnershipHost.objects.values_list("host", "partnership_id")),
            AuditEvent.objects.count(),
        )


def hosting_events(code: str) -> list[AuditEvent]:
    with system_context():
        return list(AuditEvent.objects.filter(code=code, partnership=None).order_by("pk"))


def answers_on(host: str) -> int:
    return Client(HTTP_HOST=host).get(reverse("accounts:login")).status_code


# The page -------------------------------------------------------------------------------


def test_the_list_links_each_partnership_to_its_page(hosting_client, second):
    page = hosting_client.get(reverse("hosting:partnerships")).content.decode()

    assert f'href="{url("hosting:partnership", second)}"' in page


def test_the_page_shows_name_hosts_state_benchmarking_and_creation(hosting_client, second):
    second.benchmarking_opt_in = True
    second.save()

    response = hosting_client.get(url("hosting:partnership", second))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{NORTHMOOR}</h1>" in page
    assert f"<code>{SECOND_HOST}</code>" in page
    assert "Active" in page
    assert "Shares aggregate grades" in page
    assert second.created_at is not None
    assert second.created_at.strftime("%Y") in page


def test_a_partnership_created_in_the_browser_shows_when(hosting_client):
    hosting_client.post(
        reverse("hosting:partnership-create"),
        {
            "name": "Eastvale Safeguarding Children Partnership",
            "host": "eastvale.testserver",
            "business_first_name": "Ada",
            "business_last_name": "Lund",
            "business_email": "ada@eastvale.example",
        },
    )
    eastvale = Partnership.objects.get(slug="eastvale-safeguarding-children-partnership")

    page = hosting_client.get(url("hosting:partnership", eastvale)).content.decode()

    assert eastvale.created_at is not None
    assert "Created a partnership" in page  # its history, from the trail


def test_an_unknown_id_is_404_on_every_page_and_post(hosting_client):
    missing = Partnership(pk=2_147_483_000)
    for name in HOSTING_URLS:
        # A POST-only endpoint answers a GET 405 whatever the id, as everywhere.
        assert hosting_client.get(url(name, missing)).status_code == (
            404 if ADMIN_GET[name] == 200 else 405
        ), name
        if name != "hosting:partnership":
            assert hosting_client.post(url(name, missing), POSTS[name]).status_code == 404, name


# Renaming -------------------------------------------------------------------------------


def test_renaming_changes_the_name_on_the_partnerships_own_pages_at_once(hosting_client, second):
    response = hosting_client.post(
        url("hosting:partnership-rename", second), {"name": "  Northmoor and Dale SCP  "}
    )

    assert response.status_code == 302
    second.refresh_from_db()
    assert second.name == "Northmoor and Dale SCP"
    assert (
        "Northmoor and Dale SCP"
        in Client(HTTP_HOST=SECOND_HOST).get(reverse("accounts:login")).content.decode()
    )
    (event,) = hosting_events("partnership.renamed")
    assert (event.actor_label, event.target_id, event.changes) == (
        "hoster",
        str(second.pk),
        {"name": [NORTHMOOR, "Northmoor and Dale SCP"]},
    )
    page = hosting_client.get(url("hosting:partnership", second)).content.decode()
    assert f"{NORTHMOOR} → Northmoor and Dale SCP" in page


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 121, "Ensure this value has at most 120 characters (it has 121)."),
        ("Northmoor\nand Dale", "Write this on one line (no line breaks)."),
    ],
)
def test_a_bad_name_is_refused_on_the_page_and_nothing_changes(
    hosting_client, second, name, message
):
    before = state(second)

    response = hosting_client.post(url("hosting:partnership-rename", second), {"name": name})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert state(second) == before


# Host names -----------------------------------------------------------------------------


def test_an_added_host_name_answers_at_once_and_is_in_the_trail(hosting_client, second):
    assert answers_on("dale.testserver") == 404

    response = hosting_client.post(
        url("hosting:partnership-host-add", second), {"host": " Dale.TestServer. "}
    )

    assert response.status_code == 302
    assert sorted(second.hosts.values_list("host", flat=True)) == [
        "dale.testserver",
        SECOND_HOST,
    ]
    assert answers_on("dale.testserver") == 200
    (event,) = hosting_events("partnership.host_added")
    assert event.changes == {"host": "dale.testserver"}


@pytest.mark.parametrize(
    ("host", "message"),
    [
        ("not a host/../", "Enter a host name such as riverbend.example.org."),
        ("testserver", "Another partnership answers on this host name."),
        (SECOND_HOST, "The partnership already answers on this host name."),
        (HOSTING_HOST, "This is the hosting administration&#x27;s host name."),
        ("", "This field is required."),
        ("a" * 254, "Ensure this value has at most 253 characters (it has 254)."),
    ],
)
def test_a_bad_host_name_is_refused_on_the_page_and_nothing_changes(
    hosting_client, second, host, message
):
    before = state(second)

    response = hosting_client.post(url("hosting:partnership-host-add", second), {"host": host})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert state(second) == before


def test_a_removed_host_name_answers_404_at_once(hosting_client, second):
    PartnershipHost.objects.create(host="dale.testserver", partnership=second)
    assert answers_on(SECOND_HOST) == 200

    response = hosting_client.post(
        url("hosting:partnership-host-remove", second), {"host": SECOND_HOST}
    )

    assert response.status_code == 302
    assert list(second.hosts.values_list("host", flat=True)) == ["dale.testserver"]
    assert answers_on(SECOND_HOST) == 404
    assert answers_on("dale.testserver") == 200
    (event,) = hosting_events("partnership.host_removed")
    assert event.changes == {"host": SECOND_HOST}


def test_the_last_host_name_of_an_active_partnership_cannot_be_removed(hosting_client, second):
    before = state(second)

    response = hosting_client.post(
        url("hosting:partnership-host-remove", second), {"host": SECOND_HOST}
    )

    assert response.status_code == 200
    assert LAST_HOST.replace("'", "&#x27;") in response.content.decode()
    assert state(second) == before
    assert answers_on(SECOND_HOST) == 200


@pytest.mark.parametrize("host", ["testserver", "nowhere.testserver", "", "x" * 300])
def test_a_host_name_that_is_not_the_partnerships_is_not_removed(hosting_client, second, host):
    PartnershipHost.objects.create(host="dale.testserver", partnership=second)
    before = state(second)

    response = hosting_client.post(url("hosting:partnership-host-remove", second), {"host": host})

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert state(second) == before


# Deactivating and reactivating ----------------------------------------------------------

seen: list[object] = []


def _record_context() -> int:
    from auditportal import tenancy

    seen.append(tenancy.current())
    return 1


def test_deactivating_asks_for_confirmation_first(hosting_client, second):
    before = state(second)

    response = hosting_client.get(url("hosting:partnership-deactivate", second))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Deactivate {NORTHMOOR}?" in page
    assert 'name="reason"' in page
    assert state(second) == before


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_deactivating_needs_a_reason(hosting_client, second, reason):
    before = state(second)

    response = hosting_client.post(
        url("hosting:partnership-deactivate", second), {"reason": reason}
    )

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert state(second) == before


def test_a_deactivated_partnership_answers_404_and_its_tasks_stop_until_reactivated(
    hosting_client, second, partnership
):
    from auditportal.celery import app
    from auditportal.tenant_tasks import PerPartnershipTask

    queued = app.task(name="tests.hosting_queued")(_record_context)
    periodic = app.task(name="tests.hosting_periodic", base=PerPartnershipTask)(_record_context)
    assert answers_on(SECOND_HOST) == 200

    response = hosting_client.post(
        url("hosting:partnership-deactivate", second),
        {"reason": "The partnership merged\ninto Dale."},
    )

    assert response.status_code == 302
    second.refresh_from_db()
    assert second.active is False
    assert answers_on(SECOND_HOST) == 404
    seen.clear()
    assert queued.apply(kwargs={"partnership_id": second.pk}).get() is None
    with system_context():
        periodic.apply().get()
    assert seen == [partnership.pk]  # the periodic task ran for the active partnership only
    (event,) = hosting_events("partnership.deactivated")
    assert event.changes == {"active": [True, False], "reason": "The partnership merged into Dale."}
    page = hosting_client.get(url("hosting:partnership", second)).content.decode()
    assert "Deactivated" in page
    assert "Reason: The partnership merged into Dale." in page

    response = hosting_client.post(url("hosting:partnership-reactivate", second))

    assert response.status_code == 302
    second.refresh_from_db()
    assert second.active is True
    assert answers_on(SECOND_HOST) == 200
    seen.clear()
    queued.apply(kwargs={"partnership_id": second.pk}).get()
    assert seen == [second.pk]
    (event,) = hosting_events("partnership.reactivated")
    assert event.changes == {"active": [False, True]}


def test_a_deactivated_partnership_may_lose_its_last_host_but_not_be_reactivated_without_one(
    hosting_client, second
):
    hosting_client.post(url("hosting:partnership-deactivate", second), {"reason": "Closing."})

    removed = hosting_client.post(
        url("hosting:partnership-host-remove", second), {"host": SECOND_HOST}
    )
    before = state(second)
    refused = hosting_client.post(url("hosting:partnership-reactivate", second))

    assert removed.status_code == 302
    assert refused.status_code == 200
    assert NO_HOST_TO_REACTIVATE in refused.content.decode()
    assert state(second) == before


def test_deactivating_twice_or_reactivating_an_active_partnership_changes_nothing(
    hosting_client, second
):
    before = state(second)
    again = hosting_client.post(url("hosting:partnership-reactivate", second))
    assert again.status_code == 200
    assert "The partnership is already active." in again.content.decode()
    assert state(second) == before

    hosting_client.post(url("hosting:partnership-deactivate", second), {"reason": "Closing."})
    before = state(second)
    twice = hosting_client.post(url("hosting:partnership-deactivate", second), {"reason": "Again."})

    assert twice.status_code == 302  # back to the page, which says it is deactivated already
    assert state(second) == before
