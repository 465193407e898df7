"""The programme's dates as an iCalendar feed (RFC 5545), and the signed addresses that let a
calendar app fetch it without a session cookie.

The feed holds audit titles and dates only: never cases, agencies' records or answers.
"""

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from auditportal.auditlog import audit_log

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
        host = urlsplit(settings.SITE_URL).hostname or "auditportal.invalid"
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


# Writing iCalendar ---------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """TEXT escaping of RFC 5545 §3.3.11."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1) without splitting a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts = []
    current = b""
    limit = 75
    for char in line:
        char_bytes = char.encode("utf-8")
        if len(current) + len(char_bytes) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
            limit = 74  # continuation lines start with a space
        current += char_bytes
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc_stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def programme_ics(dates: Iterable[ProgrammeDate], *, calendar_name: str) -> str:
    """An iCalendar document with one all-day VEVENT per programme date (CRLF line ends)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(calendar_name)}",
    ]
    site = settings.SITE_URL
    for date in dates:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{date.uid}",
            f"DTSTAMP:{_utc_stamp(date.audit.updated_at or timezone.now())}",
            f"DTSTART;VALUE=DATE:{date.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{date.day + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(date.summary)}",
            f"URL:{site}{date.audit.get_absolute_url()}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


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
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(user_id=payload.get("u"), key=str(payload.get("k")), user__is_active=True)
        .first()
    )
    if feed is None or not feed.user.is_business_team:
        return None
    return feed.user


def feed_url(feed: CalendarFeed) -> str:
    return settings.SITE_URL + reverse("audits:ics", args=[feed_token(feed)])


@transaction.atomic
def calendar_feed_issue(*, user: User) -> CalendarFeed:
    """Give a business-team member a feed address, or a new one (revoking the old)."""
    if not user.is_business_team:
        raise PermissionDenied("Only the business team has a programme calendar feed.")
    key = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.update_or_create(user=user, defaults={"key": key})
    audit_log(
        actor=user, verb="calendar_feed.issued" if created else "calendar_feed.renewed", target=feed
    )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> None:
    """Switch the feed off: the old address stops working at once."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None:
        audit_log(actor=user, verb="calendar_feed.revoked", target=feed)
        feed.delete()
