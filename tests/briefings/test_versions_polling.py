"""The versions table on the composer: polled every 250 ms for the first 20 s of a render, then
every 2 s, and a poll that would show the same table answers 204 (renders seen within about
half a second of the worker finishing: docs/benchmarks.md, "Render seen")."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from briefings import services
from briefings.models import BriefingVersion

pytestmark = pytest.mark.django_db


def _poll_url(html: str) -> str:
    import html as html_module
    import re

    return html_module.unescape(re.search(r'hx-get="([^"]+)"', html).group(1))


def test_a_render_just_asked_for_is_polled_every_quarter_second(briefing, client_as, business):
    services.briefing_render(briefing=briefing, actor=business, enqueue=False)

    response = client_as(business).get(reverse("briefings:versions", args=[briefing.audit_id]))

    assert b'hx-trigger="every 250ms"' in response.content


def test_polling_slows_to_every_two_seconds_once_a_render_has_waited(briefing, client_as, business):
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
    BriefingVersion.objects.filter(pk=version.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(seconds=21)
    )

    response = client_as(business).get(reverse("briefings:versions", args=[briefing.audit_id]))

    assert b'hx-trigger="every 2s"' in response.content


def test_a_poll_that_changes_nothing_answers_204_and_one_after_a_change_the_new_table(
    briefing, client_as, business
):
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
    client = client_as(business)
    first = client.get(reverse("briefings:versions", args=[briefing.audit_id]))
    poll = _poll_url(first.content.decode())

    unchanged = client.get(poll)
    BriefingVersion.objects.filter(pk=version.pk).update(
        status=BriefingVersion.Status.READY, page_count=5
    )
    changed = client.get(poll)

    assert (unchanged.status_code, unchanged.content) == (204, b"")
    assert changed.status_code == 200
    assert b"Ready" in changed.content
    assert b"hx-trigger" not in changed.content


def test_the_poll_answers_the_new_table_when_its_pace_changes(briefing, client_as, business):
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
    client = client_as(business)
    poll = _poll_url(
        client.get(reverse("briefings:versions", args=[briefing.audit_id])).content.decode()
    )

    BriefingVersion.objects.filter(pk=version.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(seconds=21)
    )
    slower = client.get(poll)

    assert slower.status_code == 200
    assert b'hx-trigger="every 2s"' in slower.content
