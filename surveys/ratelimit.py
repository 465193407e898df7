"""A rate limit on the public survey pages per address range, without storing addresses.

The client's address is narrowed to its range (an IPv4 /24, an IPv6 /48: a school or a
household shares one, so a flood from it is slowed, not one device), then hashed with the
secret key and the day, so the cache holds only an unreadable key that changes daily and
expires with its window. Nothing reaches the database. Code attempts that fail count more
than ordinary pages: guessing codes is what the limit is for.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from auditportal.security import client_address

WINDOW_SECONDS = 600
# Requests per range per window: a class of thirty answering at once stays well inside.
MAX_REQUESTS = 600
# Unknown or used codes per range per window.
MAX_BAD_CODES = 20


def address_range(address: str | None) -> str:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def range_digest(request: HttpRequest) -> str:
    """The client's address range hashed with the secret key and the day: a cache key part
    that names no address (also used by the data feed's refusals, findings.feed_refusals)."""
    day = timezone.now().strftime("%Y-%m-%d")
    return hashlib.sha256(
        f"{settings.SECRET_KEY}|{day}|{address_range(client_address(request))}".encode()
    ).hexdigest()[:32]


def _key(request: HttpRequest, what: str) -> str:
    return f"survey-rate:{what}:{range_digest(request)}"


def bump(key: str, window_seconds: int = WINDOW_SECONDS) -> int:
    """Count one more under `key` (kept for `window_seconds`); returns the count."""
    if cache.add(key, 1, window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window_seconds)
        return 1


_bump = bump


def request_allowed(request: HttpRequest) -> bool:
    """Count this request for its range; False once the range is past the limit."""
    return _bump(_key(request, "all")) <= MAX_REQUESTS


def bad_code_recorded(request: HttpRequest) -> None:
    _bump(_key(request, "bad"))


def bad_codes_exceeded(request: HttpRequest) -> bool:
    return int(cache.get(_key(request, "bad")) or 0) >= MAX_BAD_CODES
