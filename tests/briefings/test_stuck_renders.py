"""No stuck renders: a render not finished within its time limit plus a margin can be run
again at once; the worker's start and the relay send again what was in flight; two copies of
one render leave one file."""

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from auditportal import outbox
from auditportal.models import OutboxMessage
from briefings import services
from briefings.models import BriefingVersion
from briefings.tasks import requeue_renders_in_flight

LIMIT = datetime.timedelta(seconds=settings.BRIEFING_RENDER_TIME_LIMIT)
JUST_PAST = LIMIT + services.STUCK_MARGIN + datetime.timedelta(seconds=1)


def _rendering(briefing, business, *, started_ago, worker="celery@web-1"):
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
    BriefingVersion.objects.filter(pk=version.pk).update(
        status=BriefingVersion.Status.RENDERING,
        started_at=timezone.now() - started_ago,
        rendered_by=worker,
        attempts=1,
    )
    version.refresh_from_db()
    return version


def _render_message(version, **fields):
    """The outbox row of the version's render, as the outbox leaves it."""
    return OutboxMessage.objects.create(
        task="briefings.render_pdf",
        kwargs={"version_id": version.pk},
        ref=outbox.ref_for(version),
        next_attempt_at=timezone.now(),
        **fields,
    )


def test_the_margin_after_the_time_limit_is_minutes_not_ten():
    assert datetime.timedelta(seconds=180) == services.STUCK_AFTER


def test_a_render_past_its_time_limit_and_margin_can_be_run_again_at_once(briefing, business):
    version = _rendering(briefing, business, started_ago=JUST_PAST)

    services.version_rerun(version=version, actor=business)

    version.refresh_from_db()
    assert version.status == BriefingVersion.Status.QUEUED
    message = OutboxMessage.objects.get(ref=outbox.ref_for(version))
    assert message.kwargs == {"version_id": version.pk}


def test_a_render_within_its_time_limit_is_not_run_twice(briefing, business):
    version = _rendering(briefing, business, started_ago=datetime.timedelta(seconds=20))

    with pytest.raises(ValidationError, match="if it has not finished by"):
        services.version_rerun(version=version, actor=business)

    assert OutboxMessage.objects.count() == 0


def test_a_version_waiting_for_the_queue_says_so_instead_of_running_again(briefing, business):
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
    _render_message(version, attempts=3)

    with (
        time_machine.travel(timezone.now() + datetime.timedelta(hours=1)),
        pytest.raises(ValidationError, match="will start when the queue is back"),
    ):
        services.version_rerun(version=version, actor=business)


def test_a_queued_version_the_queue_got_long_ago_can_be_run_again(briefing, business):
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
    _render_message(version, status=OutboxMessage.Status.SENT, sent_at=timezone.now())

    with time_machine.travel(timezone.now() + JUST_PAST):
        services.version_rerun(version=version, actor=business)

    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count() == 1


def test_the_versions_list_offers_re_run_for_a_stuck_render_only(client_as, business, briefing):
    stuck = _rendering(briefing, business, started_ago=JUST_PAST)
    running = _rendering(briefing, business, started_ago=datetime.timedelta(seconds=5))

    html = client_as(business).get(reverse("briefings:versions", args=[briefing.audit_id]))

    page = html.content.decode()
    assert reverse("briefings:version-rerun", args=[stuck.pk]) in page
    assert reverse("briefings:version-rerun", args=[running.pk]) not in page
    assert "Not finished in time" in page


def test_the_sweep_resends_a_render_stuck_past_the_margin_not_ten_minutes(briefing, business):
    stuck = _rendering(briefing, business, started_ago=JUST_PAST)
    running = _rendering(briefing, business, started_ago=datetime.timedelta(seconds=30))

    resent = services.versions_sweep_stuck()

    assert resent == [stuck.pk]
    assert BriefingVersion.objects.get(pk=running.pk).status == BriefingVersion.Status.RENDERING


def test_the_relay_runs_the_sweep_so_it_does_not_depend_on_beat(
    briefing, business, django_capture_on_commit_callbacks
):
    stuck = _rendering(briefing, business, started_ago=JUST_PAST)

    with django_capture_on_commit_callbacks(execute=True):
        outbox.run_sweeps()

    assert BriefingVersion.objects.get(pk=stuck.pk).status == BriefingVersion.Status.READY


def test_a_worker_starting_sends_again_what_it_was_rendering_when_it_died(briefing, business):
    mine = _rendering(briefing, business, started_ago=datetime.timedelta(seconds=10))
    other = _rendering(
        briefing, business, started_ago=datetime.timedelta(seconds=10), worker="celery@web-2"
    )

    requeue_renders_in_flight(sender=SimpleNamespace(hostname="celery@web-1"))

    statuses = dict(BriefingVersion.objects.values_list("pk", "status"))
    assert statuses == {mine.pk: "queued", other.pk: "rendering"}
    assert OutboxMessage.objects.get().ref == outbox.ref_for(mine)


def test_two_copies_of_one_render_leave_one_file_and_one_ready_status(
    briefing, business, monkeypatch
):
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
    real = services.render_content
    inner = {}

    def render_while_another_copy_runs(content, *, version_label):
        if not inner:
            inner["started"] = True
            inner["done"] = services.version_render_pdf(version_id=version.pk, worker="b")
        return real(content, version_label=version_label)

    monkeypatch.setattr(services.rendering, "render_content", render_while_another_copy_runs)
    services.version_render_pdf(version_id=version.pk, worker="a")

    version.refresh_from_db()
    assert version.status == BriefingVersion.Status.READY
    assert version.pdf.name == inner["done"].pdf.name
    assert version.attempts == 2
