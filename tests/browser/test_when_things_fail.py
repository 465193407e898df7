"""What the business team sees when Redis, the worker or the mail server fails, in Chromium
with axe-core: a render waiting for the queue, a stuck render offered again, and an
immediate-concern alert that could not be e-mailed (programme banner, the concern's page)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from auditportal import outbox
from auditportal.models import OutboxMessage
from audits.models import ConcernAlert
from audits.services import concern_raise
from briefings import services as briefings
from briefings.models import BriefingVersion

from .seed import open_audit, riverbend

pytestmark = pytest.mark.browser


def test_versions_waiting_for_the_queue_or_stuck_say_so_and_offer_what_can_be_done(
    ui_for, transactional_db, settings
):
    rb = riverbend()
    audit, _returns = open_audit(rb)
    briefing = briefings.briefing_get_or_create(audit=audit, actor=rb.business)
    stuck = briefings.briefing_render(briefing=briefing, actor=rb.business, enqueue=False)
    BriefingVersion.objects.filter(pk=stuck.pk).update(
        status=BriefingVersion.Status.RENDERING,
        started_at=timezone.now() - briefings.STUCK_AFTER - datetime.timedelta(seconds=5),
        attempts=1,
    )
    waiting = briefings.briefing_render(briefing=briefing, actor=rb.business, enqueue=False)
    OutboxMessage.objects.create(
        task="briefings.render_pdf",
        kwargs={"version_id": waiting.pk},
        ref=outbox.ref_for(waiting),
        attempts=2,
        next_attempt_at=timezone.now() + datetime.timedelta(hours=1),
        last_error="OperationalError: Error 111 connecting to redis:6379. Connection refused.",
    )
    ui = ui_for(rb.business)
    ui.check("Audit programme")

    ui.goto(reverse("briefings:composer", args=[audit.pk]))
    ui.check(f"Briefing composer: {audit.title}", shot="briefing-versions-faults")

    versions = ui.page.locator("#versions")
    expect(versions).to_contain_text("Queued: it will start when the queue is back.")
    expect(versions).to_contain_text("Not finished in time: its worker may have stopped.")
    expect(versions.get_by_role("button", name=f"Re-run version {stuck.number}")).to_be_visible()
    expect(versions.get_by_role("button", name=f"Re-run version {waiting.number}")).to_have_count(0)


def test_an_alert_that_did_not_go_is_on_the_programme_and_the_concerns_page(
    ui_for, transactional_db, settings
):
    settings.EMAIL_BACKEND = "tests.mail.DownBackend"
    rb = riverbend()
    _audit, returns = open_audit(rb)
    concern = concern_raise(
        audit_return=returns[("Child A", "CSC")],
        actor=rb.practitioner,
        description="The child said nobody was at home for two nights.",
    )
    assert set(concern.alerts.values_list("status", flat=True)) == {ConcernAlert.Status.FAILED}
    ui = ui_for(rb.business)

    ui.check("Audit programme", shot="programme-alert-not-delivered")
    banner = ui.page.get_by_role("alert").filter(has_text="could not be e-mailed")
    expect(banner).to_be_visible()
    banner.get_by_role("link", name="See who was not alerted").click()

    ui.check("Immediate concern", shot="concern-alerts")
    table = ui.page.get_by_role("table", name="E-mail alerts about this concern")
    expect(table.get_by_role("row")).to_have_count(4)  # header, two business team, the lead
    expect(table).to_contain_text("Not delivered")
    expect(table).to_contain_text("Bea Okafor, business team")
