"""Refused data feed reads, per address range per minute, so a flood cannot fill the trail.

The first refusal of a range (an IPv4 /24, an IPv6 /48, hashed daily as the survey pages'
rate limit does: surveys.ratelimit) in a clock minute writes a `feed.refused` trail row, which
also says how many refusals the range had in the minute before; the rest are only counted in
the cache. After MAX_REFUSALS_PER_MINUTE refusals the range is answered 429 until the minute
ends (a valid token from that range too: guessing stops), and one `feed.throttled` row says
so. No address or token reaches the trail or the cache.
"""

import datetime

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from auditportal.auditlog import audit_log
from surveys.ratelimit import bump, range_digest

MAX_REFUSALS_PER_MINUTE = 30


def _key(request: HttpRequest, moment: datetime.datetime) -> str:
    return f"feed-refused:{moment:%Y%m%d%H%M}:{range_digest(request)}"


def retry_after(request: HttpRequest) -> int | None:
    """Seconds until the range may read again, or None when it is not throttled."""
    now = timezone.now()
    if int(cache.get(_key(request, now)) or 0) < MAX_REFUSALS_PER_MINUTE:
        return None
    return 60 - now.second


def refusal_recorded(request: HttpRequest, *, fmt: str, reason: str) -> None:
    now = timezone.now()
    count = bump(_key(request, now), window_seconds=120)
    if count == 1:
        changes: dict[str, object] = {"format": fmt, "reason": reason}
        before = int(cache.get(_key(request, now - datetime.timedelta(minutes=1))) or 0)
        if before > 1:
            changes["refused in the minute before"] = before
        audit_log(actor=None, code="feed.refused", changes=changes)
    elif count == MAX_REFUSALS_PER_MINUTE:
        audit_log(actor=None, code="feed.throttled", changes={"refusals this minute": count})
