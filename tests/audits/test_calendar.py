"""The month calendar of the programme and the iCalendar feed behind a signed address."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import User
from audits.ics import (
    calendar_feed_issue,
    calendar_feed_revoke,
    escape_text,
    feed_token,
    fold,
    programme_dates,
    programme_ics,
)
from audits.models import CalendarFeed
from tests.factories import AuditFactory, CaseAgencyFactory, CaseFactory, RecordReferenceFactory

D = datetime.date


@pytest.fixture
def audit(db):
    audit = AuditFactory(
        title="Deep dive: neglect; babies, and toddlers",
        returns_open=D(2026, 11, 2),
        returns_due=D(2026, 11, 20),
        moderation_date=D(2026, 12, 3),
        briefing_due=None,
    )
    case = CaseFactory(audit=audit, pseudonym="Child Q")
    RecordReferenceFactory(involvement=CaseAgencyFactory(case=case), reference="SECRET-REF-123")
    return audit


def unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def test_calendar_shows_dates_of_the_month(client_as, business, audit):
    response = client_as(business).get(reverse("audits:calendar"), {"month": "2026-11"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "November 2026" in body
    assert "Returns open: Deep dive: neglect; babies, and toddlers" in body
    assert "Returns due: Deep dive" in body
    assert "Moderation meeting" not in body.split("Dates in November 2026")[1]
    assert 'href="?month=2026-10"' in body and 'href="?month=2026-12"' in body
    days = {day: dates for week in response.context["weeks"] for day, dates in week}
    assert [d.label for d in days[D(2026, 11, 20)]] == ["Returns due"]
    assert days[D(2026, 12, 3)][0].label == "Moderation meeting"  # the grid runs into December


def test_calendar_bad_month_falls_back_to_this_month(client_as, business):
    response = client_as(business).get(reverse("audits:calendar"), {"month": "2026-13"})

    assert response.status_code == 200
    assert response.context["month"].month == datetime.date.today().month


@pytest.mark.parametrize("n", [1, 3])
def test_calendar_query_count(client_as, business, django_assert_num_queries, n):
    for _ in range(n):
        AuditFactory(returns_open=D(2026, 11, 2), returns_due=D(2026, 11, 20))
    client = client_as(business)

    with django_assert_num_queries(5):  # session, user, two-factor device, audits, feed
        response = client.get(reverse("audits:calendar"), {"month": "2026-11"})

    assert response.status_code == 200


def test_ics_has_one_event_per_date_with_stable_uids(audit):
    body = programme_ics(programme_dates([audit]), calendar_name="Riverbend programme")

    lines = unfold(body)
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert lines.count("BEGIN:VEVENT") == 3
    assert f"UID:audit-{audit.pk}-returns-open@127.0.0.1" in lines  # the SITE_URL's host
    assert f"UID:audit-{audit.pk}-moderation-date@127.0.0.1" in lines
    assert "DTSTART;VALUE=DATE:20261120" in lines
    assert "DTEND;VALUE=DATE:20261121" in lines
    assert "SUMMARY:Returns due: Deep dive: neglect\\; babies\\, and toddlers" in lines
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert body == programme_ics(programme_dates([audit]), calendar_name="Riverbend programme")


def test_ics_escaping_and_folding():
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    long = "SUMMARY:" + "é" * 60

    folded = fold(long)

    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == long


def test_feed_by_token_without_session(client, business, audit):
    feed = calendar_feed_issue(user=business)

    response = client.get(reverse("audits:ics", args=[feed_token(feed)]))

    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "BEGIN:VCALENDAR" in body
    assert "Child Q" not in body
    assert "SECRET-REF-123" not in body
    assert audit.key_question not in body


def test_feed_renewed_or_revoked_stops_the_old_address(client, business, audit):
    old = feed_token(calendar_feed_issue(user=business))
    new = feed_token(calendar_feed_issue(user=business))

    assert client.get(reverse("audits:ics", args=[old])).status_code == 404
    assert client.get(reverse("audits:ics", args=[new])).status_code == 200
    calendar_feed_revoke(user=business)
    assert client.get(reverse("audits:ics", args=[new])).status_code == 404


def test_feed_refused_for_tampered_token_or_former_business_member(client, business, audit):
    token = feed_token(calendar_feed_issue(user=business))

    tampered = client.get(reverse("audits:ics", args=[token[:-2] + "xx"]))
    business.role = User.Role.PRACTITIONER
    business.save()
    demoted = client.get(reverse("audits:ics", args=[token]))

    assert (tampered.status_code, demoted.status_code) == (404, 404)


def test_feed_only_issued_to_business_team(practitioner):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        calendar_feed_issue(user=practitioner)

    assert not CalendarFeed.objects.exists()


def test_calendar_page_issues_and_shows_the_address(client_as, business):
    client = client_as(business)

    client.post(reverse("audits:ics-renew"))
    response = client.get(reverse("audits:calendar"))

    feed = CalendarFeed.objects.get(user=business)
    assert feed_token(feed) in response.content.decode()


MATRIX = [
    ("business", 200),
    ("practitioner", 403),
    ("other_practitioner", 403),
    ("board", 403),
    ("anonymous", 302),
]


@pytest.mark.parametrize(("role", "expected"), MATRIX)
def test_calendar_permissions(client_as, users, role, expected):
    response = client_as(users[role]).get(reverse("audits:calendar"))

    assert response.status_code == expected


@pytest.mark.parametrize("role", ["practitioner", "other_practitioner", "board", "anonymous"])
def test_feed_address_writes_refused(client_as, users, role):
    client = client_as(users[role])

    renew = client.post(reverse("audits:ics-renew"))
    revoke = client.post(reverse("audits:ics-revoke"))

    assert {renew.status_code, revoke.status_code} <= {302, 403}
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize("role", ["business", "practitioner", "board", "anonymous"])
def test_feed_needs_the_token_not_a_session(client_as, users, role):
    response = client_as(users[role]).get(reverse("audits:ics", args=["not-a-token"]))

    assert response.status_code == 404


def test_ics_uids_are_unique_to_this_deployment(audit, settings):
    settings.SITE_URL = "https://audit.riverbend.example:8443"

    lines = unfold(programme_ics(programme_dates([audit]), calendar_name="Riverbend"))

    uids = [line for line in lines if line.startswith("UID:")]
    assert f"UID:audit-{audit.pk}-returns-open@audit.riverbend.example" in uids
    assert all(uid.endswith("@audit.riverbend.example") for uid in uids)
