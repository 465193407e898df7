"""With Redis away, Render answers with a page, not a 500: the version is saved, its render
waits in the outbox, and the composer says so."""

from django.urls import reverse

from auditportal.models import OutboxMessage
from briefings.models import BriefingVersion
from tests.queue import messages_of


def test_render_with_the_queue_away_is_saved_and_says_it_waits(
    client_as, business, briefing, queue_away, transactional_db
):
    url = reverse("briefings:render", args=[briefing.audit_id])

    response = client_as(business).post(url)

    version = BriefingVersion.objects.get()
    assert response.status_code == 302
    assert messages_of(response) == [
        "Version 1 is queued: it will start when the queue is back. Its status updates below."
    ]
    assert version.status == BriefingVersion.Status.QUEUED
    message = OutboxMessage.objects.get(task="briefings.render_pdf")
    assert (message.status, message.kwargs) == (
        "pending",
        {"version_id": version.pk, "partnership_id": version.partnership_id},
    )


def test_the_versions_list_says_a_queued_version_waits_for_the_queue(
    client_as, business, briefing, queue_away, transactional_db
):
    client = client_as(business)
    client.post(reverse("briefings:render", args=[briefing.audit_id]))

    html = client.get(reverse("briefings:versions", args=[briefing.audit_id])).content.decode()

    assert "Queued: it will start when the queue is back." in html
