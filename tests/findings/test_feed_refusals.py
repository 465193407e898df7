"""A flood of refused data feed reads does not fill the trail: the first refusal per address
range per minute is in it, the rest are counted; past the limit the range gets 429."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from auditportal.models import AuditEvent
from findings.feed import feed_token_create
from findings.feed_refusals import MAX_REFUSALS_PER_MINUTE

pytestmark = pytest.mark.django_db

GUESS = "apf_guess"
START = datetime.datetime(2026, 3, 2, 9, 15, 5, tzinfo=datetime.UTC)


def _read(client, token: str | None = GUESS, address: str = "203.0.113.7"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(
        reverse("findings:feed-data", args=["json"]), headers=headers, REMOTE_ADDR=address
    )


def test_a_flood_keeps_one_trail_row_per_range_per_minute(client):
    with time_machine.travel(START, tick=False):
        statuses = [_read(client, address=f"203.0.113.{n % 200}").status_code for n in range(20)]
        other_range = _read(client, address="198.51.100.9")
        _read(client, token=None, address="2001:db8:1:2::5")
        _read(client, token=None, address="2001:db8:1:ffff::9")  # the same /48

    assert statuses == [401] * 20
    assert other_range.status_code == 401
    refused = AuditEvent.objects.filter(code="feed.refused")
    assert refused.count() == 3  # one per range: 203.0.113/24, 198.51.100/24, 2001:db8:1/48
    assert not any("203.0.113" in str(event.changes) for event in refused)


def test_the_next_minute_writes_a_row_that_counts_the_last_minutes_refusals(client):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            _read(client)
    with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
        _read(client)

    rows = list(AuditEvent.objects.filter(code="feed.refused").order_by("pk"))
    assert len(rows) == 2
    assert "refused in the minute before" not in rows[0].changes
    assert rows[1].changes["refused in the minute before"] == 5


def test_past_the_limit_the_range_gets_429_with_retry_after_and_one_row(client, business):
    _feed_token, token = feed_token_create(actor=business, name="Board report")
    with time_machine.travel(START, tick=False):
        statuses = [_read(client).status_code for _ in range(MAX_REFUSALS_PER_MINUTE)]
        throttled = _read(client)
        valid_from_the_range = _read(client, token=token)
        elsewhere = _read(client, token=token, address="198.51.100.9")

    assert statuses == [401] * MAX_REFUSALS_PER_MINUTE
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "55"  # the rest of the minute
    assert valid_from_the_range.status_code == 429  # guessing stops for the whole range
    assert elsewhere.status_code == 200
    assert AuditEvent.objects.filter(code="feed.refused").count() == 1
    throttle = AuditEvent.objects.get(code="feed.throttled")
    assert throttle.changes == {"refusals this minute": MAX_REFUSALS_PER_MINUTE}

    with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
        assert _read(client, token=token).status_code == 200
