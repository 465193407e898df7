"""The audit trail: change history and access log rows are written and shown, searchable,
exportable as CSV, for the business team and administrators only, and never editable."""

import csv
import datetime
import io

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.urls import reverse

from auditportal.auditlog import access_log, audit_log
from auditportal.models import AuditEvent
from audits.models import Audit, Return
from cases.models import RecordReference
from tests.factories import (
    AuditFactory,
    CaseAgencyFactory,
    RecordReferenceFactory,
    ReturnFactory,
    UserFactory,
)

EVENTS = reverse("trail:events")
EXPORT = reverse("trail:export")


def test_a_change_writes_a_history_row_shown_with_the_field_diff(client, business):
    audit = AuditFactory(title="Missing from education")
    client.force_login(business)

    audit.title = "Children missing from education"
    audit.save()
    html = client.get(EVENTS).content.decode()

    assert audit.history.count() == 2
    assert "title: Missing from education → Children missing from education" in html
    assert "<td>Created</td>" in html and "<td>Changed</td>" in html


def test_a_change_made_through_a_page_records_who_made_it(client, business, agency_a):
    audit = AuditFactory(status=Audit.Status.OPEN)
    client.force_login(business)

    # Any request that saves a tracked model: the history row names the signed-in user.
    from simple_history.models import HistoricalRecords

    request = client.get(EVENTS).wsgi_request
    HistoricalRecords.context.request = request
    try:
        audit.title = "Renamed"
        audit.save()
    finally:
        del HistoricalRecords.context.request

    assert audit.history.first().history_user == business


def test_viewing_a_return_writes_an_access_row(client, practitioner, agency_a):
    audit = AuditFactory(status=Audit.Status.OPEN)
    involvement = CaseAgencyFactory(case__audit=audit, agency=agency_a)
    audit_return = ReturnFactory(case=involvement.case, agency=agency_a)
    client.force_login(practitioner)

    response = client.get(reverse("audits:return-detail", args=[audit_return.pk]))

    assert response.status_code == 200
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCESS)
    assert event.actor == practitioner
    assert event.target_type == "audits.return"
    assert event.target_id == str(audit_return.pk)


def test_record_reference_history_never_holds_the_plaintext(client, business, agency_a):
    reference = RecordReferenceFactory(involvement__agency=agency_a, reference="LA-55512-X")
    reference.reference = "LA-99931-Y"
    reference.save()
    client.force_login(business)

    table = RecordReference.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (table name from the model)
        rows = cursor.fetchall()
    html = client.get(EVENTS).content.decode()

    assert len(rows) == 2
    assert "55512" not in str(rows) and "99931" not in str(rows)
    assert "reference: changed (the value is never shown)" in html
    assert "55512" not in html and "99931" not in html


@pytest.fixture
def trail(business, practitioner, agency_a):
    """An access row by the practitioner, a change by the business team, a security row."""
    audit = AuditFactory(title="Neglect deep dive")
    audit_return = ReturnFactory(case__audit=audit, agency=agency_a)
    viewed = access_log(actor=practitioner, code="return.viewed", target=audit_return)
    changed = audit_log(actor=business, code="audit.status_changed", target=audit)
    locked = audit_log(actor=None, code="account.sign_in_locked", changes={"username": "someone"})
    return {"audit": audit, "viewed": viewed, "changed": changed, "locked": locked}


def rows_of(response):
    return [(row.source, row.code) for row in response.context["page"].rows]


def test_search_by_user_event_kind_type_and_dates(client, business, trail):
    client.force_login(business)

    by_user = rows_of(client.get(EVENTS, {"user": "practitioner"}))
    by_words = rows_of(client.get(EVENTS, {"event": "status CHANGED"}))
    by_code = rows_of(client.get(EVENTS, {"event": "audit.status_"}))
    by_kind = rows_of(client.get(EVENTS, {"kind": "security"}))
    by_type = client.get(EVENTS, {"target_type": "audits.return"}).context["page"].rows
    today = datetime.date.today()
    in_range = client.get(EVENTS, {"date_from": today - datetime.timedelta(days=1)})
    out_of_range = client.get(EVENTS, {"date_to": today - datetime.timedelta(days=1)})

    assert by_user == [("event", "return.viewed")]
    assert by_words == by_code == [("event", "audit.status_changed")]
    assert by_kind == [("event", "account.sign_in_locked")]
    assert {row.target_type for row in by_type} == {"audits.return"}
    assert ("audits.return", "history.created") in [(r.source, r.code) for r in by_type]
    assert in_range.context["page"].paginator.count >= 3
    assert "Nothing in the trail matches this search" in out_of_range.content.decode()


def test_bad_date_range_says_so(client, business, trail):
    client.force_login(business)

    response = client.get(EVENTS, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    garbage = client.get(EVENTS, {"date_from": "not-a-date", "kind": "<script>"})

    assert response.status_code == 200
    assert "The &#x27;From&#x27; date must be on or before" in response.content.decode()
    assert garbage.status_code == 200


def test_csv_export_for_the_data_protection_officer(client, business, trail):
    # A username may start with a sign a spreadsheet reads as a formula.
    audit_log(actor=UserFactory(username="-2+3"), code="audit.created", target=trail["audit"])
    client.force_login(business)

    response = client.get(EXPORT, {"kind": "change"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert rows[0][:5] == ["When (UTC)", "Who", "Kind", "Event code", "Event"]
    events = [(row[3], row[4]) for row in rows[1:]]
    assert ("audit.status_changed", "Status changed") in events
    assert ("return.viewed", "Viewed a return") not in events  # an access, not a change
    assert [row[1] for row in rows[1:] if row[3] == "audit.created"] == ["'-2+3"]
    assert AuditEvent.objects.filter(code="trail.exported", actor=business).exists()


def test_pages_are_paginated(client, business, agency_a):
    for n in range(60):
        audit_log(actor=business, code="audit.updated", changes={"n": n})
    client.force_login(business)

    first = client.get(EVENTS)
    second = client.get(EVENTS, {"page": 2})

    assert len(first.context["page"].rows) == 50
    assert len(second.context["page"].rows) == 10
    assert first.context["page"].rows[0].details == ["N: 59"]


def test_the_trail_cannot_be_changed_through_the_app(client, business, admin_user, trail):
    client.force_login(business)
    before = AuditEvent.objects.count()

    assert client.post(EVENTS).status_code == 405
    assert client.post(EXPORT).status_code == 405
    model_admin = site._registry[AuditEvent]
    request = client.get(EVENTS).wsgi_request
    request.user = admin_user
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_add_permission(request)
    assert AuditEvent.objects.count() == before


def test_trail_page_queries_do_not_grow_with_rows(
    client, business, agency_a, django_assert_num_queries
):
    client.force_login(business)
    audit = AuditFactory()
    audit_log(actor=business, code="audit.updated", target=audit)
    Return  # noqa: B018  (imported for the type list)

    def count():
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(EVENTS).status_code == 200
        return len(captured)

    one = count()
    for n in range(3):
        audit.title = f"Title {n}"
        audit.save()
        audit_log(actor=business, code="audit.updated", target=audit, changes={"n": n})
    three = count()

    assert one == three


def test_navigation_offers_the_trail_to_the_business_team_only(client_as, users):
    link = f'href="{EVENTS}"'

    assert link in client_as(users["business"]).get("/audits/").content.decode()
    assert link not in client_as(users["practitioner"]).get("/audits/my-returns/").content.decode()
    assert link not in client_as(users["board"]).get("/briefings/").content.decode()
