"""The programme's dates as an iCalendar feed (RFC 5545), and the signed addresses that let a
calendar app fetch it without a session cookie.

The feed holds audit titles and dates only: never cases, agencies' records or answers.
"""

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vText

from accounts.models import User
from auditportal.auditlog import audit_log
from auditportal.text import strip_control_characters
from audits.rules import may_manage_programme
from cases.hosts import base_url

from .models import Audit, CalendarFeed

FEED_SALT = "audits.calendar-feed"
PRODID = "-//AuditPortal//Audit programme//EN"


@dataclass(frozen=True)
class ProgrammeDate:
    """One dated milestone of an audit, as shown on the calendar and in the feed."""

    audit: Audit
    kind: str  # returns_open, returns_due, moderation_date, briefing_due
    label: str
    day: datetime.date

    @property
    def uid(self) -> str:
        # Stable: the same audit and milestone always has the same UID, so a moved date
        # updates the event in people's calendars instead of adding a second one. The site's
        # host makes it unique across deployments (RFC 5545 3.8.4.7): two partnerships' audit
        # 3 are different events in one calendar.
        host = urlsplit(base_url()).hostname or "auditportal.invalid"
        return f"audit-{self.audit.pk}-{self.kind.replace('_', '-')}@{host}"

    @property
    def summary(self) -> str:
        return f"{self.label}: {self.audit.title}"


MILESTONES = [
    ("returns_open", "Returns open"),
    ("returns_due", "Returns due"),
    ("moderation_date", "Moderation meeting"),
    ("briefing_due", "Briefing due"),
]


def programme_dates(audits: Iterable[Audit]) -> list[ProgrammeDate]:
    dates = []
    for audit in audits:
        for field, label in MILESTONES:
            day = getattr(audit, field)
            if day is not None:
                dates.append(ProgrammeDate(audit=audit, kind=field, label=label, day=day))
    dates.sort(key=lambda d: (d.day, d.audit.title, d.kind))
    return dates


# Writing iCalendar (the icalendar library escapes, folds at 75 octets and writes dates) -------


def _text(value: str) -> vText:
    # Titles are users' text: control characters have no place in a calendar (RFC 5545 TEXT).
    return vText(strip_control_characters(value))


def programme_ics(dates: Iterable[ProgrammeDate], *, calendar_name: str) -> bytes:
    """An iCalendar document (CRLF line ends) with one all-day VEVENT per programme date."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _text(calendar_name))
    site = base_url()
    for date in dates:
        event = Event()
        event.add("uid", date.uid)
        event.add("dtstamp", (date.audit.updated_at or timezone.now()).astimezone(datetime.UTC))
        event.add("dtstart", date.day)
        event.add("dtend", date.day + datetime.timedelta(days=1))
        event.add("summary", _text(date.summary))
        event.add("url", f"{site}{date.audit.get_absolute_url()}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


# Signed feed addresses -----------------------------------------------------------------------


def feed_token(feed: CalendarFeed) -> str:
    return signing.dumps({"u": feed.user_id, "k": feed.key}, salt=FEED_SALT)


def feed_user(token: str) -> User | None:
    """The business-team member a feed token belongs to, or None (bad, revoked, or no longer
    in the business team)."""
    try:
        payload = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    user_id = payload.get("u")
    if not isinstance(user_id, int):
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(user_id=user_id, key=str(payload.get("k")), user__is_active=True)
        .first()
    )
    if feed is None or not may_manage_programme.test(feed.user):
        return None
    return feed.user


def feed_url(feed: CalendarFeed) -> str:
    return base_url() + reverse("audits:ics", args=[feed_token(feed)])


@transaction.atomic
def calendar_feed_issue(*, user: User) -> CalendarFeed:
    """Give a business-team member a feed address, or a new one (revoking the old)."""
    if not may_manage_programme.test(user):
        raise PermissionDenied("Only the business team has a programme calendar feed.")
    key = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.update_or_create(user=user, defaults={"key": key})
    audit_log(
        actor=user, code="calendar_feed.issued" if created else "calendar_feed.renewed", target=feed
    )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> None:
    """Switch the feed off: the old address stops working at once."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None:
        audit_log(actor=user, code="calendar_feed.revoked", target=feed)
        feed.delete()
