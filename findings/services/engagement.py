"""Writes for an audit's engagement record and its quotes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from accounts.models import User
from auditportal.auditlog import audit_log
from audits.models import Audit

from ..models import QUOTE_LIMIT, Engagement, Quote

# ---------------------------------------------------------------------------------------------
# Engagement and quotes


@transaction.atomic
def engagement_save(
    *,
    audit: Audit,
    cyp_shared: int,
    cyp_responses: int,
    parent_shared: int,
    parent_responses: int,
    actor: User,
    notes: str = "",
) -> Engagement:
    """Create or replace the audit's survey figures."""
    values = {
        "cyp_shared": cyp_shared,
        "cyp_responses": cyp_responses,
        "parent_shared": parent_shared,
        "parent_responses": parent_responses,
    }
    errors = {}
    for field, value in values.items():
        if value is None:
            errors[field] = "Enter a number (0 if none)."
        elif value < 0:
            errors[field] = "Enter 0 or more: a count cannot be negative."
    if not errors:
        if cyp_responses > cyp_shared:
            errors["cyp_responses"] = (
                f"There cannot be more responses ({cyp_responses}) than surveys shared "
                f"with children and young people ({cyp_shared})."
            )
        if parent_responses > parent_shared:
            errors["parent_responses"] = (
                f"There cannot be more responses ({parent_responses}) than surveys shared "
                f"with parents and carers ({parent_shared})."
            )
    if errors:
        raise ValidationError(errors)
    engagement = Engagement.objects.filter(audit=audit).first() or Engagement(audit=audit)
    for field, value in values.items():
        setattr(engagement, field, value)
    engagement.notes = (notes or "").strip()
    engagement.full_clean()
    engagement.save()
    audit_log(actor=actor, code="engagement.saved", target=engagement, changes=values)
    return engagement


def _clean_quote(quote: Quote) -> None:
    quote.text = (quote.text or "").strip()
    quote.source_label = (quote.source_label or "").strip()
    errors = {}
    if not quote.text:
        errors["text"] = "Enter the quote."
    elif len(quote.text) > QUOTE_LIMIT:
        errors["text"] = (
            f"A quote can be at most {QUOTE_LIMIT} characters (this one has "
            f"{len(quote.text)}): shorten it."
        )
    if not quote.source_label:
        errors["source_label"] = 'Say who said it, e.g. "young person, deep dive".'
    if errors:
        raise ValidationError(errors)
    quote.full_clean()


@transaction.atomic
def quote_create(
    *, audit: Audit, text: str, source_label: str, consent: bool, actor: User
) -> Quote:
    last = Quote.objects.filter(audit=audit).aggregate(m=Max("order"))["m"] or 0
    quote = Quote(
        audit=audit, text=text, source_label=source_label, consent=consent, order=last + 1
    )
    _clean_quote(quote)
    quote.save()
    audit_log(
        actor=actor,
        code="quote.created",
        target=quote,
        changes={"audit": audit.pk, "consent": consent},
    )
    return quote


@transaction.atomic
def quote_update(
    *, quote: Quote, text: str, source_label: str, consent: bool, actor: User
) -> Quote:
    if quote.survey_answer_id:
        raise ValidationError(
            "This quote came from a survey answer: edit and approve it on Quotes from the survey."
        )
    quote.text = text
    quote.source_label = source_label
    quote.consent = consent
    _clean_quote(quote)
    quote.save(update_fields=["text", "source_label", "consent"])
    audit_log(actor=actor, code="quote.updated", target=quote, changes={"consent": consent})
    return quote


@transaction.atomic
def quote_delete(*, quote: Quote, actor: User) -> None:
    audit_log(actor=actor, code="quote.deleted", target=quote, changes={"audit": quote.audit_id})
    quote.delete()


@transaction.atomic
def quote_move(*, quote: Quote, direction: str, actor: User) -> Quote:
    if direction not in {"up", "down"}:
        raise ValidationError("Move a quote up or down.")
    quotes = list(
        Quote.objects.select_for_update().filter(audit=quote.audit_id).order_by("order", "pk")
    )
    index = next(i for i, q in enumerate(quotes) if q.pk == quote.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(quotes):
        return quote
    quotes[index], quotes[other] = quotes[other], quotes[index]
    for position, item in enumerate(quotes, start=1):
        item.order = position
    Quote.objects.bulk_update(quotes, ["order"])
    audit_log(actor=actor, code="quote.moved", target=quote, changes={"direction": direction})
    quote.refresh_from_db(fields=["order"])
    return quote
