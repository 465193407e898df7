"""The month calendar of the programme and the iCalendar feed behind a signed address."""

import datetime
import re

import pytest
from django.urls import reverse
from icalendar import Calendar, Event

from accounts.models import User
from audits.ics import (
    PRODID,
    calendar_feed_issue,
    calendar_feed_revoke,
    feed_token,
    feed_user,
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


def events_by_uid(calendar: Calendar) -> dict[str, Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_ics_has_one_event_per_date_with_stable_uids(audit):
    body = programme_ics(programme_dates([audit]), calendar_name="Riverbend programme")

    calendar = Calendar.from_ical(body)
    events = events_by_uid(calendar)
    uid = f"audit-{audit.pk}-{{}}@127.0.0.1"  # the SITE_URL's host
    assert set(events) == {
        uid.format(m) for m in ("returns-open", "returns-due", "moderation-date")
    }
    due = events[uid.format("returns-due")]
    assert (due.decoded("DTSTART"), due.decoded("DTEND")) == (D(2026, 11, 20), D(2026, 11, 21))
    assert not isinstance(due.decoded("DTSTART"), datetime.datetime)  # all day: VALUE=DATE
    assert str(due["SUMMARY"]) == "Returns due: Deep dive: neglect; babies, and toddlers"
    assert str(due["URL"]) == f"http://127.0.0.1:8000/audits/{audit.pk}/"
    assert str(due["TRANSP"]) == "TRANSPARENT"
    assert due.decoded("DTSTAMP") == audit.updated_at.replace(microsecond=0)
    assert [str(calendar[name]) for name in ("VERSION", "PRODID", "METHOD", "X-WR-CALNAME")] == [
        "2.0",
        PRODID,
        "PUBLISH",
        "Riverbend programme",
    ]
    # The same programme is the same document: calendar apps see nothing changed.
    assert body == programme_ics(programme_dates([audit]), calendar_name="Riverbend programme")


def test_ics_lines_end_in_crlf_and_fold_at_75_octets(audit):
    audit.title = "Négligence précoce; " * 8
    audit.save()

    body = programme_ics(programme_dates([audit]), calendar_name="Riverbend")

    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    body.decode("utf-8")  # folding never splits a character
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(body).walk("VEVENT")]
    assert summaries[0] == "Returns open: " + audit.title


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

    # The token is signed with the time (signing.dumps), so it is read off the page, not
    # made again here (a second later it would differ).
    tokens = re.findall(r"calendar/feed/([^\"/<\s]+)\.ics", response.content.decode())
    assert tokens
    assert {feed_user(token) for token in tokens} == {business}


@pytest.mark.parametrize("role", ["practitioner", "other_practitioner", "board", "anonymous"])
def test_feed_address_writes_refused(client_as, users, role):
    client = client_as(users[role])

    renew = client.post(reverse("audits:ics-renew"))
    revoke = client.post(reverse("audits:ics-revoke"))

    assert {renew.status_code, revoke.status_code} <= {302, 403}
    assert not CalendarFeed.objects.exists()


def test_ics_uids_are_unique_to_this_deployment(audit, settings):
    settings.SITE_URL = "https://audit.riverbend.example:8443"

    calendar = Calendar.from_ical(programme_ics(programme_dates([audit]), calendar_name="R"))

    uids = set(events_by_uid(calendar))
    assert f"audit-{audit.pk}-returns-open@audit.riverbend.example" in uids
    assert all(uid.endswith("@audit.riverbend.example") for uid in uids)


def test_feed_strips_control_characters_and_parses(audit):
    # Not saved: PostgreSQL refuses NUL, and the feed must strip it whatever holds it.
    audit.title = "Neglect\x07\x1b[31m; babies\x00 and\x7f\x85 toddlers\r"

    body = programme_ics(programme_dates([audit]), calendar_name="Riverbend\x0b programme")

    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]", body.decode())
    calendar = Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "Riverbend programme"
    summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert "Returns due: Neglect[31m; babies and toddlers" in summaries
