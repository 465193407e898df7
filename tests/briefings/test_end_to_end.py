"""Compose, render, PDF ready, text checked: in-process (eager Celery) and with a real worker."""

import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from briefings import services
from briefings.data import SECTIONS
from briefings.models import Briefing, BriefingVersion
from findings.models import Resource

from .conftest import DEVELOPMENT, NEXT_STEP, PSEUDONYMS, REFERENCES, STRENGTH, WILL_DO


def extracted_text(version: BriefingVersion) -> str:
    with version.pdf.open("rb") as handle:
        text = "\n".join(page.extract_text() for page in PdfReader(handle).pages)
    return " ".join(text.split())


def assert_briefing_pdf(version: BriefingVersion) -> None:
    text = extracted_text(version)
    headings = [f"{s.number} {s.heading('Mental health and wellbeing')}" for s in SECTIONS]
    positions = [text.find(heading) for heading in headings]
    assert -1 not in positions, (headings, text[:2000])
    assert positions == sorted(positions)
    for expected in ("Voice of the child", "Joint working", STRENGTH, DEVELOPMENT):
        assert expected in text
    for action in (WILL_DO, NEXT_STEP):
        assert action in text
    assert "Page 1 of" in text
    for identifier in (*PSEUDONYMS, *REFERENCES):
        assert identifier.lower() not in text.lower()


def test_compose_render_publish_in_process(
    briefing_audit, business, business2, board, client_as, django_capture_on_commit_callbacks
):
    client = client_as(business)
    client.get(reverse("briefings:composer", args=[briefing_audit.pk]))
    briefing = Briefing.objects.get(audit=briefing_audit)
    services.briefing_update(
        briefing=briefing,
        actor=business,
        topic="Worry that will not settle, and poor sleep.",
        resources=list(Resource.objects.all()),
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("briefings:render", args=[briefing_audit.pk]))

    version = BriefingVersion.objects.get()
    assert version.status == BriefingVersion.Status.READY
    assert_briefing_pdf(version)
    client_as(business2).post(reverse("briefings:version-approve", args=[version.pk]))
    client_as(business2).post(reverse("briefings:version-publish", args=[version.pk]))
    response = client_as(board).get(reverse("briefings:version-download", args=[version.pk]))
    assert response.status_code == 200
    assert Briefing.objects.get().published_version == version


@pytest.mark.worker
def test_compose_render_with_a_real_worker(
    celery_worker_process, briefing_audit, business, transactional_db
):
    briefing = services.briefing_get_or_create(audit=briefing_audit, actor=business)

    version = services.briefing_render(briefing=briefing, actor=business)

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        version.refresh_from_db()
        if not version.is_in_progress:
            break
        time.sleep(0.5)
    assert version.status == BriefingVersion.Status.READY, (
        version.error + celery_worker_process["log"].read_text()[-2000:]
    )
    assert "briefings.render_pdf" in celery_worker_process["log"].read_text()
    assert_briefing_pdf(version)
