"""Quotes from survey answers: every free-text answer whose writer agreed to be quoted without
a name is a candidate. The business team edits it for anonymity (the answer keeps the original
words, read-only) and approves it; only then can a briefing print it.

Reads first (the candidates of an audit, one candidate for the user), then the one write.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.utils import timezone

from auditportal.access import require
from auditportal.auditlog import audit_log
from audits.models import Audit
from audits.selectors import audits_visible_to
from surveys.models import Survey, SurveyAnswer
from surveys.screening import flag_descriptions, text_flags
from surveys.selectors import consented_text_answers

from .models import QUOTE_LIMIT, Quote

SOURCE_LABELS: dict[str, str] = {
    Survey.Audience.CHILDREN: "young person, survey",
    Survey.Audience.PARENTS: "parent or carer, survey",
}
# Flags an edit must remove before approval: a number or an address identifies at once.
BLOCKING_FLAGS = {"phone", "email"}


@dataclass(frozen=True)
class Candidate:
    answer: SurveyAnswer
    quote: Quote | None

    @property
    def status(self) -> str:
        if self.quote is None:
            return "Not reviewed"
        if self.quote.approved_at is None:
            return "Edited, not approved"
        return "Approved for briefings"

    @property
    def flags(self) -> list[str]:
        return flag_descriptions(self.answer.flags)

    @property
    def source_label(self) -> str:
        if self.quote is not None:
            return self.quote.source_label
        return SOURCE_LABELS.get(self.answer.response.survey.audience, "survey")


def survey_quote_candidates(audit: Audit) -> list[Candidate]:
    """The audit's consented survey answers, each with the quote made from it (one query)."""
    answers = consented_text_answers(audit).select_related("quote")
    return [Candidate(a, getattr(a, "quote", None)) for a in answers]


def survey_answer_get_for_user(user: Any, pk: int) -> Candidate:
    """A consented answer for the review page: 404 unless its audit is visible, 403 unless the
    business team's."""
    answer = get_object_or_404(
        SurveyAnswer.objects.filter(
            response__survey__audit__in=audits_visible_to(user),
            response__completed_on__isnull=False,
            quote_consent=True,
        ).select_related("question", "response__survey__audit", "quote"),
        pk=pk,
    )
    require(user, "findings.manage_findings", answer.response.survey.audit)
    return Candidate(answer, getattr(answer, "quote", None))


@transaction.atomic
def survey_quote_review(
    *,
    answer: SurveyAnswer,
    text: str,
    source_label: str,
    approve: bool,
    checked: bool = False,
    actor: Any,
) -> Quote:
    """Save the edited words of a consented answer as its quote, approved or not. Approval
    refuses an edit that still holds what looks like a phone number or an e-mail address,
    and, for a flagged answer, needs `checked` (the reader confirms it was read for names)."""
    if answer.quote_consent is not True:
        raise ValidationError("Only words their writer agreed to share can become a quote.")
    text = " ".join((text or "").split())
    source_label = (source_label or "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = "Enter the words to quote."
    elif len(text) > QUOTE_LIMIT:
        errors["text"] = (
            f"A quote can be at most {QUOTE_LIMIT} characters (this one has {len(text)}): "
            "shorten it."
        )
    if not source_label:
        errors["source_label"] = 'Say who said it, e.g. "young person, survey".'
    if approve and not errors:
        left = BLOCKING_FLAGS & set(text_flags(text))
        if left:
            errors["text"] = (
                "The quote still "
                + " and ".join(flag_descriptions(sorted(left)))
                + ": take it out before approving."
            )
        elif answer.flags and not checked:
            errors["checked"] = (
                "This answer was flagged: confirm you have taken out anything that could say "
                "who wrote it or who they wrote about."
            )
    if errors:
        raise ValidationError(errors)
    audit = answer.response.survey.audit
    quote = Quote.objects.select_for_update().filter(survey_answer=answer).first()
    if quote is None:
        last = Quote.objects.filter(audit=audit).aggregate(m=Max("order"))["m"] or 0
        quote = Quote(audit=audit, survey_answer=answer, consent=True, order=last + 1)
    was_approved = quote.approved_at is not None
    quote.text, quote.source_label, quote.consent = text, source_label, True
    # Approving again after an edit stamps the new approval: the approver read these words.
    quote.approved_at = timezone.now() if approve else None
    quote.approved_by = actor if approve else None
    quote.full_clean()
    quote.save()
    code = (
        "quote.survey_approved"
        if approve and not was_approved
        else "quote.survey_withdrawn"
        if was_approved and not approve
        else "quote.survey_saved"
    )
    audit_log(actor=actor, code=code, target=quote, changes={"survey_answer": answer.pk})
    return quote
