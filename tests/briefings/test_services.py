import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.utils import timezone
from pypdf import PdfReader

from auditportal.models import AuditEvent
from auditportal.pdf import StaticOnlyURLFetcher
from audits.models import Audit, Return
from briefings import services
from briefings.models import Briefing, BriefingDownload, BriefingVersion
from briefings.tasks import render_pdf
from tests.factories import FindingFactory, QuoteFactory, ResourceFactory, ReturnFactory

from .conftest import DEVELOPMENT, NEXT_STEP, STRENGTH, WILL_DO


def pdf_text(version: BriefingVersion) -> str:
    with version.pdf.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(handle).pages)


def test_briefing_get_or_create_prefills_every_section(briefing):
    assert "How well do agencies work together?" in briefing.summary
    # The partnership's default suppression (below 3) applies to the sample too.
    assert "- fewer than 3 cases were audited" in briefing.summary
    assert "- fewer than 3 audit returns were submitted" in briefing.summary
    # A count of agencies identifies no child: it prints as it is, even below the threshold.
    assert "- 1 agency took part" in briefing.summary
    assert briefing.topic == ""
    assert briefing.working_well == f"- **Voice of the child**: {STRENGTH}"
    assert briefing.development == f"- **Joint working**: {DEVELOPMENT}"
    assert WILL_DO in briefing.will_do
    assert "owner: Agency A Children's Social Care" in briefing.will_do
    assert NEXT_STEP in briefing.next_steps


def test_briefing_get_or_create_twice_returns_the_same_briefing(briefing, business):
    again = services.briefing_get_or_create(audit=briefing.audit, actor=business)

    assert again.pk == briefing.pk
    assert Briefing.objects.count() == 1


def test_briefing_get_or_create_refuses_non_business(briefing_audit, practitioner):
    # A refusal, not bad input: PermissionDenied (a 403), never a form error.
    with pytest.raises(PermissionDenied):
        services.briefing_get_or_create(audit=briefing_audit, actor=practitioner)

    assert Briefing.objects.count() == 0


def test_a_two_agency_audit_prints_its_agencies_and_keeps_the_children_suppressed(
    briefing_audit, agency_b
):
    from briefings.data import prefill_summary

    ReturnFactory(
        case=briefing_audit.cases.first(), agency=agency_b, status=Return.Status.IN_PROGRESS
    )

    summary = prefill_summary(briefing_audit)

    assert "- 2 agencies took part" in summary
    assert "fewer than 3 agencies" not in summary
    assert "- fewer than 3 cases were audited" in summary
    assert "- fewer than 3 audit returns were submitted" in summary


def test_refill_section_restores_the_prefill(briefing, business):
    services.briefing_update(briefing=briefing, actor=business, working_well="edited")

    services.briefing_refill_section(briefing=briefing, field="working_well", actor=business)

    briefing.refresh_from_db()
    assert briefing.working_well == f"- **Voice of the child**: {STRENGTH}"


def test_refill_unknown_section_is_refused(briefing, business):
    with pytest.raises(ValidationError):
        services.briefing_refill_section(briefing=briefing, field="author", actor=business)


def test_update_refuses_a_quote_without_consent(briefing, business):
    unconsented = briefing.audit.quotes.get(consent=False)

    with pytest.raises(ValidationError):
        services.briefing_update(briefing=briefing, actor=business, quotes=[unconsented])

    assert briefing.quotes.count() == 0


def test_update_refuses_another_audits_quote(briefing, business):
    elsewhere = QuoteFactory(consent=True)

    with pytest.raises(ValidationError):
        services.briefing_update(briefing=briefing, actor=business, quotes=[elsewhere])


def test_render_creates_numbered_versions_and_enqueues_after_commit(
    briefing, business, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.briefing_render(briefing=briefing, actor=business)
        second = services.briefing_render(briefing=briefing, actor=business)

    assert (first.number, second.number) == (1, 2)
    assert first.status == BriefingVersion.Status.QUEUED
    assert len(callbacks) == 2
    assert first.content["sections"][2]["text"] == briefing.working_well


def test_render_runs_the_task_in_process_and_stores_a_tagged_pdf(briefing, business):
    version = services.briefing_render_now(briefing=briefing, actor=business)

    assert version.status == BriefingVersion.Status.READY
    assert version.page_count >= 1
    assert version.attempts == 1
    with version.pdf.open("rb") as handle:
        reader = PdfReader(handle)
        assert reader.metadata.title == briefing.title
        assert reader.metadata.author == "Safeguarding Children Partnership"
        assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert "Version 1, rendered" in pdf_text(version)


def test_task_run_twice_leaves_one_file_and_one_ready_status(ready_version, settings):
    media = settings.MEDIA_ROOT
    files_before = sorted(p.name for p in media.rglob("*.pdf"))
    attempts = ready_version.attempts

    render_pdf.delay(version_id=ready_version.pk)
    render_pdf.delay(version_id=ready_version.pk)

    ready_version.refresh_from_db()
    assert ready_version.status == BriefingVersion.Status.READY
    assert ready_version.attempts == attempts
    assert sorted(p.name for p in media.rglob("*.pdf")) == files_before
    assert len(files_before) == 1


def test_second_run_finishing_after_the_first_keeps_the_first_file(briefing, business, settings):
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
    services.version_render_pdf(version_id=version.pk)
    version.refresh_from_db()
    first_name = version.pdf.name
    BriefingVersion.objects.filter(pk=version.pk).update(status=BriefingVersion.Status.RENDERING)
    rendered = services.render_content(version.content, version_label="x")

    services._store(version.pk, rendered)  # a late duplicate: status was reset, file exists

    version.refresh_from_db()
    assert version.status == BriefingVersion.Status.READY
    assert len(list(settings.MEDIA_ROOT.rglob("*.pdf"))) == 1
    assert version.pdf.name == first_name


@pytest.fixture
def eager_retries():
    """Eager tasks retry in-process only when exceptions are not propagated to the caller."""
    conf = render_pdf.app.conf
    previous = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = previous


def test_task_retries_a_transient_error_then_succeeds(
    briefing, business, monkeypatch, eager_retries
):
    real = services.render_content
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("storage briefly unavailable")
        return real(*args, **kwargs)

    monkeypatch.setattr(services.rendering, "render_content", flaky)
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)

    render_pdf.delay(version_id=version.pk)

    version.refresh_from_db()
    assert len(calls) == 2
    assert version.status == BriefingVersion.Status.READY
    assert version.attempts == 2
    assert version.error == ""


def test_transient_error_on_the_final_attempt_marks_failed(
    briefing, business, monkeypatch, eager_retries
):
    def broken(*args, **kwargs):
        raise OperationalError("database went away")

    monkeypatch.setattr(services.rendering, "render_content", broken)
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)

    render_pdf.delay(version_id=version.pk)

    version.refresh_from_db()
    assert version.status == BriefingVersion.Status.FAILED
    assert version.attempts == render_pdf.max_retries + 1
    assert "database went away" in version.error


def test_a_broken_render_fails_with_a_short_reason_and_can_rerun(
    briefing, business, monkeypatch, django_capture_on_commit_callbacks
):
    real = services.render_content

    def broken(*args, **kwargs):
        raise ValueError("bad layout " + "x" * 500)

    monkeypatch.setattr(services.rendering, "render_content", broken)
    version = services.briefing_render_now(briefing=briefing, actor=business)
    assert version.status == BriefingVersion.Status.FAILED
    assert version.error.startswith("ValueError: bad layout")
    assert len(version.error) < 240

    monkeypatch.setattr(services.rendering, "render_content", real)
    with django_capture_on_commit_callbacks(execute=True):
        services.version_rerun(version=version, actor=business)

    version.refresh_from_db()
    assert version.status == BriefingVersion.Status.READY
    assert version.error == ""


def test_rerun_refuses_a_version_that_did_not_fail(ready_version, business):
    with pytest.raises(ValidationError, match="only a failed render"):
        services.version_rerun(version=ready_version, actor=business)


def test_sweep_resends_stuck_versions_only(briefing, business, django_capture_on_commit_callbacks):
    now = timezone.now()
    old = now - datetime.timedelta(minutes=30)
    lost = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
    dead = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
    fresh = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
    BriefingVersion.objects.filter(pk=lost.pk).update(enqueued_at=old)
    BriefingVersion.objects.filter(pk=dead.pk).update(
        status=BriefingVersion.Status.RENDERING, started_at=old, attempts=1
    )

    with django_capture_on_commit_callbacks(execute=True):
        resent = services.versions_sweep_stuck(now=now)

    assert sorted(resent) == sorted([lost.pk, dead.pk])
    statuses = dict(BriefingVersion.objects.values_list("pk", "status"))
    assert statuses[lost.pk] == BriefingVersion.Status.READY
    assert statuses[dead.pk] == BriefingVersion.Status.READY
    assert statuses[fresh.pk] == BriefingVersion.Status.QUEUED


def test_sweep_gives_up_after_too_many_attempts(briefing, business):
    old = timezone.now() - datetime.timedelta(hours=1)
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
    BriefingVersion.objects.filter(pk=version.pk).update(
        status=BriefingVersion.Status.RENDERING, started_at=old, attempts=services.MAX_ATTEMPTS
    )

    assert services.versions_sweep_stuck() == []

    version.refresh_from_db()
    assert version.status == BriefingVersion.Status.FAILED
    assert "Gave up" in version.error


def test_sweep_task_is_registered_for_beat():
    from auditportal.celery import app

    entries = app.conf.beat_schedule.values()
    assert "briefings.sweep_stuck_renders" in {entry["task"] for entry in entries}


# Approval and publishing


def test_approving_your_own_version_is_refused(ready_version, business):
    with pytest.raises(ValidationError, match="You rendered version 1"):
        services.version_approve(version=ready_version, actor=business)

    ready_version.refresh_from_db()
    assert ready_version.approved_by is None


def test_another_business_member_approves(ready_version, business2):
    services.version_approve(version=ready_version, actor=business2)

    ready_version.refresh_from_db()
    assert ready_version.approved_by == business2
    assert ready_version.briefing.status == Briefing.Status.APPROVED


def test_approving_a_version_that_is_not_ready_is_refused(briefing, business, business2):
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)

    with pytest.raises(ValidationError, match="only a ready PDF"):
        services.version_approve(version=version, actor=business2)


def test_publishing_without_approval_is_refused(ready_version, business2):
    with pytest.raises(ValidationError, match="has not been approved"):
        services.briefing_publish(version=ready_version, actor=business2)

    assert Briefing.objects.get().published_version is None


def test_publishing_without_a_ready_version_is_refused(briefing, business, business2):
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
    BriefingVersion.objects.filter(pk=version.pk).update(approved_by=business2)
    version.refresh_from_db()

    with pytest.raises(ValidationError, match="needs a ready PDF"):
        services.briefing_publish(version=version, actor=business2)


def test_publish_sets_the_published_version_and_moves_the_audit(ready_version, business2):
    services.version_approve(version=ready_version, actor=business2)

    services.briefing_publish(version=ready_version, actor=business2)

    briefing = Briefing.objects.select_related("audit").get()
    assert briefing.status == Briefing.Status.PUBLISHED
    assert briefing.published_version == ready_version
    assert briefing.published_at is not None
    assert briefing.audit.status == Audit.Status.PUBLISHED
    assert AuditEvent.objects.filter(code="briefing.published").count() == 1


def test_publish_is_refused_when_the_audit_cannot_move(ready_version, business2):
    Audit.objects.filter(pk=ready_version.briefing.audit_id).update(status=Audit.Status.OPEN)
    services.version_approve(version=ready_version, actor=business2)

    with pytest.raises(ValidationError):
        services.briefing_publish(version=ready_version, actor=business2)

    assert Briefing.objects.get().published_version is None


@pytest.mark.parametrize(
    ("field", "text", "named"),
    [
        ("topic", "As yp1 told us, worry kept her awake.", "YP1"),
        ("working_well", "- **Voice**: CHILD B felt heard", "Child B"),
        ("next_steps", "Check record csc-000123 again.", "CSC-000123"),
        ("summary", "Police file (POL-98765) was reviewed.", "POL-98765"),
    ],
)
def test_disclosure_check_refuses_pseudonyms_and_references(
    briefing, business, business2, field, text, named
):
    services.briefing_update(briefing=briefing, actor=business, **{field: text})
    version = services.briefing_render_now(briefing=briefing, actor=business)
    services.version_approve(version=version, actor=business2)

    with pytest.raises(ValidationError) as refused:
        services.briefing_publish(version=version, actor=business2)

    number = {"summary": 1, "topic": 2, "working_well": 3, "next_steps": 6}[field]
    assert any(f"ection {number} (" in m and f'"{named}"' in m for m in refused.value.messages)
    assert Briefing.objects.get().published_version is None


def test_disclosure_check_matches_whole_words_only(briefing, business):
    services.briefing_update(
        briefing=briefing, actor=business, topic="YP10 and YP1x are not YP-one; Child Bea."
    )
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)

    assert services.disclosure_problems(version) == []


def test_disclosure_check_covers_quotes(briefing, business):
    quote = QuoteFactory(audit=briefing.audit, text="YP1 said it helped", consent=True)
    services.briefing_update(briefing=briefing, actor=business, quotes=[quote])
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)

    assert services.disclosure_problems(version) == [
        'Section 3 (Audit findings: areas working well) contains the case pseudonym "YP1".'
    ]


def test_republishing_keeps_old_versions_for_the_business_team(ready_version, business, business2):
    services.version_approve(version=ready_version, actor=business2)
    services.briefing_publish(version=ready_version, actor=business2)
    newer = services.briefing_render_now(briefing=ready_version.briefing, actor=business2)
    services.version_approve(version=newer, actor=business)

    services.briefing_publish(version=newer, actor=business)

    briefing = Briefing.objects.get()
    assert briefing.published_version == newer
    assert BriefingVersion.objects.filter(status=BriefingVersion.Status.READY).count() == 2


def test_download_record_logs_who_and_which_version(ready_version, board):
    services.version_download_record(version=ready_version, actor=board)

    download = BriefingDownload.objects.get()
    assert (download.user, download.version) == (board, ready_version)
    event = AuditEvent.objects.get(code="briefing.downloaded")
    assert event.kind == AuditEvent.Kind.ACCESS
    assert event.actor == board


def test_render_content_fetches_only_static_files(briefing, business, monkeypatch):
    hostile = (
        '<img src="http://evil.example/x.png"> <link rel=stylesheet href="file:///etc/passwd">'
        " <style>@import url(https://evil.example/a.css);</style> url(ftp://evil.example/b)"
    )
    services.briefing_update(
        briefing=briefing,
        actor=business,
        **{field: hostile for field in services.data.SECTION_FIELDS},
        title=hostile[:200],
    )
    quote = QuoteFactory(audit=briefing.audit, text=hostile[:400], source_label="<b>x</b>")
    resources = [
        ResourceFactory(title=hostile[:200], url=url, description=hostile)
        for url in ("file:///etc/passwd", "http://evil.example/r.png", "javascript:alert(1)")
    ]
    FindingFactory(audit=briefing.audit, text=hostile)
    services.briefing_refill_section(briefing=briefing, field="working_well", actor=business)
    services.briefing_update(briefing=briefing, actor=business, quotes=[quote], resources=resources)
    fetchers = []

    def recording_render(html, **kwargs):
        fetcher = StaticOnlyURLFetcher()
        fetchers.append(fetcher)
        from auditportal import pdf

        return pdf.render_pdf_document(html, **kwargs, url_fetcher=fetcher)

    monkeypatch.setattr(services.rendering, "render_pdf_document", recording_render)

    version = services.briefing_render_now(briefing=briefing, actor=business)

    assert version.status == BriefingVersion.Status.READY
    (fetcher,) = fetchers
    assert fetcher.refused == []
    assert all(
        url.startswith(("https://auditportal.invalid/static/", "data:image/"))
        for url in fetcher.attempts
    )
    assert "evil.example/x.png" in pdf_text(version).replace("\n", "")  # inert text


def test_snapshot_suppresses_small_counts(briefing, business):
    from briefings.data import snapshot
    from cases.models import Partnership

    Partnership.objects.update(suppression_threshold=3)

    content = snapshot(briefing)

    grades = content["data"]["grades"][0]["grades"]
    good = next(g for g in grades if g["label"] == "Good")
    assert (good["count"], good["display"]) == (2, "fewer than 3")
    cyp = content["data"]["engagement"][0]
    assert cyp["display"] == "40% (4 of 10)"


def test_snapshot_of_a_bare_audit_renders(business):
    from tests.factories import AuditFactory

    audit = AuditFactory()
    briefing = services.briefing_get_or_create(audit=audit, actor=business)

    version = services.briefing_render_now(briefing=briefing, actor=business)

    assert version.status == BriefingVersion.Status.READY
    assert version.content["data"]["grades"] == []
    assert "Nothing has been written for this point." in pdf_text(version)
