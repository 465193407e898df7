"""The one-page child summary: pseudonym only, for the moderation pack and for inspections
that ask for a summary per child. Rendered to PDF by the worker (auditportal.pdf, the same
static-only fetcher as briefings) from what the meeting agreed and the merged chronology.

The disclosure check refuses it, naming the text, when any of its texts (the lived
experience, the judgement's reason, a theme's reason, a key event's line) holds a record
reference or another child's pseudonym; the child's own pseudonym is its title. It runs when
the summary is asked for and again in the worker, on what is then printed."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from accounts.rules import is_business_team
from auditportal import outbox
from auditportal.auditlog import audit_log
from auditportal.disclosure import html_problems, text_problems
from auditportal.pdf import render_pdf_document
from audits.models import Grade, SampleCase
from cases.branding import partnership_name
from cases.identifiers import child_identifiers

from .case_models import DIFFERENCE_DESCRIPTORS, ChildSummary, DifferenceMade
from .child_page import ChildPage, child_page

logger = logging.getLogger(__name__)


def summary_texts(page: ChildPage) -> list[tuple[str, str]]:
    """(the text's name, the text) for every free text the summary prints."""
    texts: list[tuple[str, str]] = []
    judgement = page.judgement
    if judgement:
        texts.append(("the lived experience", judgement.lived_experience))
        texts.append(("the judgement of the difference made", judgement.difference_text))
    for block in page.themes:
        if block.agreed:
            texts.append((f"the reason for the agreed grade for {block.name}", block.agreed.reason))
    for entry in page.chronology.entries:
        event = entry.event
        texts.append((f"the key event of {event.agency_name} on {event.when_display}", event.text))
    return [(where, text) for where, text in texts if text]


def summary_problems(page: ChildPage) -> list[str]:
    identifiers = child_identifiers(except_case=page.sample_case.case)
    problems = text_problems(summary_texts(page), identifiers)
    if not problems:
        # What is printed, as a reader sees it (titles, labels): the same check as briefings.
        problems = html_problems(summary_html(page), identifiers)
    return problems


def summary_html(page: ChildPage) -> str:
    sample_case = page.sample_case
    judgement = page.judgement
    difference = judgement.difference if judgement else ""
    return render_to_string(
        "findings/pdf/child_summary.html",
        {
            "partnership": partnership_name(),
            "audit": sample_case.audit,
            "case": sample_case.case,
            "agencies": [r.agency.label for r in page.returns],
            "judgement": judgement,
            "difference_label": DifferenceMade(difference).label if difference else "",
            "difference_descriptor": DIFFERENCE_DESCRIPTORS.get(difference, ""),
            "agreed": [
                (block.name, Grade(block.agreed.grade).label, block.agreed.reason)
                for block in page.themes
                if block.agreed
            ],
            "chronology": page.chronology,
            "printed_on": timezone.localdate(),
        },
    )


def _ref(summary: ChildSummary) -> str:
    return outbox.ref_for(summary)


def summaries_of(sample_case: SampleCase) -> list[ChildSummary]:
    return list(sample_case.summaries.order_by("-requested_at", "-pk")[:5])


def summary_is_waiting(summary: ChildSummary) -> bool:
    return summary.status == ChildSummary.Status.QUEUED and outbox.is_waiting(_ref(summary))


@transaction.atomic
def child_summary_request(*, sample_case: SampleCase, actor: User) -> ChildSummary:
    """Check the summary now (refused at once, naming the text), then queue it for the worker
    through the outbox."""
    if not is_business_team.test(actor):
        raise PermissionDenied
    problems = summary_problems(child_page(sample_case))
    if problems:
        raise ValidationError(problems, code="disclosure")
    summary = ChildSummary.objects.create(sample_case=sample_case, requested_by=actor)
    audit_log(actor=actor, code="case.summary_requested", target=sample_case.case)
    outbox.enqueue(
        "findings.render_child_summary", kwargs={"summary_id": summary.pk}, ref=_ref(summary)
    )
    return summary


def child_summary_render(*, summary_id: int) -> ChildSummary | None:
    """The worker's job, safe to run twice: a ready summary is left alone."""
    summary = (
        ChildSummary.objects.select_related("sample_case__audit", "sample_case__case")
        .filter(pk=summary_id)
        .first()
    )
    if summary is None or summary.status == ChildSummary.Status.READY:
        return summary
    page = child_page(summary.sample_case)
    problems = summary_problems(page)
    if problems:
        ChildSummary.objects.filter(pk=summary_id).update(
            status=ChildSummary.Status.REFUSED, problems=problems, rendered_at=timezone.now()
        )
        return ChildSummary.objects.get(pk=summary_id)
    try:
        rendered = render_pdf_document(
            summary_html(page),
            title=f"Child summary: {summary.sample_case.case.pseudonym}",
            author=partnership_name(),
        )
    except Exception:
        logger.exception("child summary %s failed to render", summary_id)
        ChildSummary.objects.filter(pk=summary_id).update(
            status=ChildSummary.Status.FAILED, rendered_at=timezone.now()
        )
        return ChildSummary.objects.get(pk=summary_id)
    with transaction.atomic():
        locked = ChildSummary.objects.select_for_update().get(pk=summary_id)
        if locked.status == ChildSummary.Status.READY:
            return locked
        locked.pdf.save(f"child-summary-{locked.pk}.pdf", ContentFile(rendered.content), save=False)
        locked.status = ChildSummary.Status.READY
        locked.page_count = rendered.page_count
        locked.problems = []
        locked.rendered_at = timezone.now()
        locked.save(update_fields=["pdf", "status", "page_count", "problems", "rendered_at"])
    return locked
