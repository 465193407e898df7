"""The versions table on the composer: polled every 250 ms for the first 20 s of a render, then
every 2 s, and a poll that would show the same table answers 204 (renders seen within about
half a second of the worker finishing: docs/benchmarks.md, "Render seen")."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from briefings import services
from briefings.models import Briefing, BriefingVersion

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


def _versions(briefing, business, n):
    return [
        services.briefing_render(briefing=briefing, actor=business, enqueue=False) for _ in range(n)
    ]


def test_the_composer_lists_the_newest_ten_versions_and_links_the_rest(
    briefing, client_as, business
):
    _versions(briefing, business, 12)
    BriefingVersion.objects.filter(briefing=briefing).update(status=BriefingVersion.Status.FAILED)

    html = client_as(business).get(reverse("briefings:composer", args=[briefing.audit_id]))
    html = html.content.decode()

    shown = [int(n) for n in re.findall(r'<th scope="row">(\d+)', html)]
    assert shown == list(range(12, 2, -1))
    assert "Show all 12 versions" in html


def test_all_versions_are_listed_when_asked_and_the_published_one_always(
    briefing, client_as, business, business2
):
    first, *_rest = _versions(briefing, business, 12)
    BriefingVersion.objects.filter(briefing=briefing).update(status=BriefingVersion.Status.FAILED)
    Briefing.objects.filter(pk=briefing.pk).update(published_version=first)
    client = client_as(business)

    some = client.get(reverse("briefings:versions", args=[briefing.audit_id])).content.decode()
    every = client.get(
        reverse("briefings:versions", args=[briefing.audit_id]), {"versions": "all"}
    ).content.decode()

    assert [int(n) for n in re.findall(r'<th scope="row">(\d+)', some)] == [*range(12, 2, -1), 1]
    assert len(re.findall(r'<th scope="row">(\d+)', every)) == 12
    assert "Show all" not in every


def _versions_queries(client, briefing) -> int:
    url = reverse("briefings:versions", args=[briefing.audit_id])
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_the_versions_table_costs_the_same_queries_however_many_versions(
    briefing, client_as, business
):
    client = client_as(business)
    _versions(briefing, business, 11)
    eleven = _versions_queries(client, briefing)
    _versions(briefing, business, 29)

    assert _versions_queries(client, briefing) == eleven
