"""The one-page child summary: the disclosure check names the text that holds another child's
pseudonym or a record reference; the PDF is made by the worker's service with the static-only
fetcher, and user text is escaped (the same checks as briefings' PDFs)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from auditportal.pdf import BASE_URL, StaticOnlyURLFetcher, render_pdf
from audits.event_bank import load_event_kinds
from audits.models import Audit, EventKind, KeyEvent, SampleCase
from findings.child_page import child_page
from findings.child_summary import (
    child_summary_render,
    child_summary_request,
    summary_html,
    summary_problems,
)
from findings.models import ChildSummary
from findings.services.case_judgement import AgreedGradeInput, case_judgement_record
from tests.audits.returns_builders import build_open_audit

HOSTILE = (
    '<script>alert(1)</script><img src="http://example.com/x.png" alt="">'
    '<link rel="stylesheet" href="file:///etc/passwd">'
)


@pytest.fixture
def sample(agency_a, agency_b, business):
    built = build_open_audit(agencies=[agency_a, agency_b], cases=2)
    Audit.objects.filter(pk=built.audit.pk).update(status=Audit.Status.MODERATION)
    load_event_kinds()
    KeyEvent.objects.create(
        audit_return=built.return_for(agency_a),
        when=timezone.localdate() - datetime.timedelta(days=40),
        kind=EventKind.objects.get(key="referral"),
        text="Referral from school about attendance.",
    )
    sample = SampleCase.objects.select_related("audit", "case").get(
        audit=built.audit, case=built.cases[0]
    )
    sample.built = built
    return sample


def _judge(sample, business, lived="Life at home was unsettled.", reason="One agency only."):
    theme = sample.built.items["grade"].theme
    case_judgement_record(
        sample_case=sample,
        actor=business,
        lived_experience=lived,
        difference="some",
        difference_text="Attendance improved.",
        grades=[AgreedGradeInput(theme=theme, grade="requires_improvement", reason=reason)],
    )


def test_the_child_s_own_pseudonym_passes_the_check(sample, business):
    _judge(sample, business, lived=f"{sample.case.pseudonym} was often alone at home.")

    assert summary_problems(child_page(sample)) == []


def test_another_child_s_pseudonym_is_refused_naming_the_text(sample, business):
    other = sample.built.cases[1].pseudonym
    _judge(sample, business, reason=f"As for {other}.")

    with pytest.raises(ValidationError) as raised:
        child_summary_request(sample_case=sample, actor=business)

    assert raised.value.messages == [
        "The reason for the agreed grade for Voice of the child contains the pseudonym of "
        f'another child "{other}".'
    ]
    assert not ChildSummary.objects.exists()


def test_a_record_reference_in_a_key_event_is_refused_naming_the_event(sample, business, agency_a):
    _judge(sample, business)
    event = KeyEvent.objects.get()
    KeyEvent.objects.filter(pk=event.pk).update(text=f"Seen under RB-{agency_a.pk}-0000.")

    problems = summary_problems(child_page(sample))

    assert problems == [
        f"The key event of {agency_a.name} on {event.when_display} contains the record "
        f'reference "RB-{agency_a.pk}-0000".'
    ]


def test_the_worker_renders_one_page(sample, business):
    _judge(sample, business)
    summary = ChildSummary.objects.create(sample_case=sample, requested_by=business)

    rendered = child_summary_render(summary_id=summary.pk)

    assert rendered is not None
    assert (rendered.status, rendered.page_count) == ("ready", 1)
    assert rendered.pdf.read().startswith(b"%PDF")


def test_the_worker_refuses_what_became_disclosing_after_the_request(sample, business):
    _judge(sample, business)
    summary = ChildSummary.objects.create(sample_case=sample, requested_by=business)
    other = sample.built.cases[1].pseudonym
    sample.judgement.lived_experience = f"Like {other}."
    sample.judgement.save()

    rendered = child_summary_render(summary_id=summary.pk)

    assert rendered is not None
    assert rendered.status == "refused"
    assert rendered.problems == [
        f'The lived experience contains the pseudonym of another child "{other}".'
    ]
    assert not rendered.pdf


def test_user_text_is_escaped_and_the_pdf_fetches_only_its_stylesheet(sample, business):
    _judge(sample, business, lived=HOSTILE, reason=HOSTILE)
    fetcher = StaticOnlyURLFetcher()
    html = summary_html(child_page(sample))

    pdf = render_pdf(html, title="t", author="a", url_fetcher=fetcher)

    assert "<script" not in html
    assert pdf.startswith(b"%PDF")
    assert fetcher.attempts == [BASE_URL + "static/css/child-summary-print.css"]
    assert fetcher.refused == []


def test_requesting_through_the_page_queues_it_and_download_needs_the_business_team(
    sample, business, practitioner, client_as, django_capture_on_commit_callbacks
):
    _judge(sample, business)
    url = reverse("findings:child-summary-request", args=[sample.audit_id, sample.case_id])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(business).post(url)

    assert response.status_code == 302
    summary = ChildSummary.objects.get()
    child_summary_render(summary_id=summary.pk)
    download = reverse("findings:child-summary", args=[summary.pk])
    assert client_as(business).get(download).status_code == 200
    assert client_as(practitioner).get(download).status_code == 403


def _pdf_text(summary: ChildSummary) -> str:
    from pypdf import PdfReader

    with summary.pdf.open("rb") as handle:
        return " ".join(" ".join(page.extract_text() for page in PdfReader(handle).pages).split())


def test_the_pdf_prints_the_pseudonym_the_judgement_and_the_chronology_only(
    sample, business, agency_a
):
    _judge(sample, business)
    summary = ChildSummary.objects.create(sample_case=sample, requested_by=business)

    rendered = child_summary_render(summary_id=summary.pk)

    assert rendered is not None
    text = _pdf_text(rendered)
    for expected in (
        sample.case.pseudonym,
        "Some positive difference",
        "Requires improvement",
        "Referral from school about attendance.",
        "Page 1 of 1",
    ):
        assert expected in text
    assert sample.built.cases[1].pseudonym not in text
    assert f"RB-{agency_a.pk}-0000" not in text


@pytest.mark.worker
def test_a_real_worker_renders_the_summary(celery_worker_process, sample, business):
    import time

    _judge(sample, business)

    summary = child_summary_request(sample_case=sample, actor=business)

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        summary.refresh_from_db()
        if summary.status != ChildSummary.Status.QUEUED:
            break
        time.sleep(0.5)
    assert summary.status == ChildSummary.Status.READY, celery_worker_process["log"].read_text()[
        -2000:
    ]
    assert "findings.render_child_summary" in celery_worker_process["log"].read_text()
    assert sample.case.pseudonym in _pdf_text(summary)


def test_a_second_partnerships_summary_names_that_partnership_in_the_page_and_metadata(db):
    """The partnership's own name, not the deployment's PARTNERSHIP_NAME setting."""
    from pypdf import PdfReader

    from accounts.models import User
    from auditportal.tenancy import partnership_context
    from tests.factories import AgencyFactory, UserFactory
    from tests.tenancy import second_partnership

    northmoor = second_partnership()
    with partnership_context(northmoor):
        agency = AgencyFactory(name="Northmoor Police")
        business = UserFactory(username="nm-business", role=User.Role.BUSINESS)
        built = build_open_audit(agencies=[agency])
        Audit.objects.filter(pk=built.audit.pk).update(status=Audit.Status.MODERATION)
        sample = SampleCase.objects.select_related("audit", "case").get(
            audit=built.audit, case=built.cases[0]
        )
        sample.built = built
        _judge(sample, business)
        html = summary_html(child_page(sample))
        summary = ChildSummary.objects.create(sample_case=sample, requested_by=business)
        rendered = child_summary_render(summary_id=summary.pk)
        assert rendered is not None
        with rendered.pdf.open("rb") as handle:
            reader = PdfReader(handle)
            author = reader.metadata.author
            text = " ".join(page.extract_text() for page in reader.pages)

    assert '<meta name="author" content="Northmoor Safeguarding Children Partnership">' in html
    assert author == "Northmoor Safeguarding Children Partnership"
    assert "Northmoor Safeguarding Children Partnership" in " ".join(text.split())
