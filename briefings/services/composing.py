"""Composing a briefing: made from the audit's findings, sections edited and refilled."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from auditportal.auditlog import audit_log
from audits.models import Audit
from findings.models import Quote, Resource

from .. import data
from ..models import Briefing
from .common import _require_business_team
from .drafts import edit_claim


def _section_limit(field: str) -> int | None:
    """The longest text a briefing section may hold (its model field's max_length)."""
    section = Briefing._meta.get_field(field)
    return getattr(section, "max_length", None)


# ---------------------------------------------------------------------------------------------
# Composing


@transaction.atomic
def briefing_get_or_create(*, audit: Audit, actor: User) -> Briefing:
    """The audit's briefing, created on first use with every section prefilled."""
    _require_business_team(actor)
    existing = Briefing.objects.filter(audit=audit).first()
    if existing is not None:
        return existing
    briefing = Briefing(audit=audit, title=audit.title[:200])
    briefing.author = actor
    for field in data.SECTION_FIELDS:
        setattr(
            briefing,
            field,
            data.prefill(audit, field)[: _section_limit(field)],
        )
    briefing.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            briefing.save()
    except IntegrityError:  # someone else opened the composer at the same moment
        return Briefing.objects.get(audit=audit)
    audit_log(actor=actor, code="briefing.created", target=briefing)
    return briefing


BRIEFING_EDITABLE = [
    "title",
    *data.SECTION_FIELDS,
    "show_grade_chart",
    "show_risk_factors",
    "show_zero_factors",
    "show_engagement",
    "show_quotes",
]


@transaction.atomic
def briefing_update(
    *,
    briefing: Briefing,
    actor: User,
    resources: Iterable[Resource] | None = None,
    quotes: Iterable[Quote] | None = None,
    base_version: int | None = None,
    base_values: Mapping[str, object] | None = None,
    **values: object,
) -> Briefing:
    """Save the composer's text and toggles. Quotes must be the audit's consented quotes.

    With `base_version` (the composer's copy), only if nobody saved since: else
    BriefingConflict, and nothing is written (see drafts.edit_claim). A refused save (an
    invalid value, a quote without consent) writes nothing either, its version included."""
    _require_business_team(actor)
    unknown = set(values) - set(BRIEFING_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    resources = None if resources is None else list(resources)
    quotes = None if quotes is None else list(quotes)
    typed: dict[str, object] = dict(values)
    if resources is not None:
        typed["resources"] = resources
    if quotes is not None:
        typed["quotes"] = quotes
    edit_claim(
        briefing=briefing,
        actor=actor,
        base_version=base_version,
        typed=typed,
        base_values=base_values,
    )
    # Compare with the stored row: a bound ModelForm may already have changed `briefing`.
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    changed = [name for name, value in values.items() if getattr(briefing, name) != value]
    for name, value in values.items():
        setattr(briefing, name, value)
    briefing.full_clean(exclude=["audit", "author", "published_version"])
    if quotes is not None:
        bad = [q for q in quotes if q.audit_id != briefing.audit_id or not q.may_be_published]
        if bad:
            raise ValidationError(
                "Only this audit's quotes with consent to publish (and, from a survey, "
                "approved) can be shown."
            )
    briefing.save(update_fields=[*changed, "updated_at"])
    if resources is not None:
        briefing.resources.set(resources)
    if quotes is not None:
        briefing.quotes.set(quotes)
    audit_log(actor=actor, code="briefing.updated", target=briefing, changes={"fields": changed})
    briefing.refresh_from_db(fields=["edit_version", "updated_by"])
    return briefing


@transaction.atomic
def briefing_refill_section(*, briefing: Briefing, field: str, actor: User) -> Briefing:
    """Replace one section's text with a fresh prefill from the audit's data."""
    _require_business_team(actor)
    if field not in data.SECTION_FIELDS:
        raise ValidationError("There is no such section to refill.")
    limit = _section_limit(field)
    setattr(briefing, field, data.prefill(briefing.audit, field)[:limit])
    briefing.save(update_fields=[field, "updated_at"])
    # Another copy open in the composer is now out of date: its next save is refused.
    edit_claim(briefing=briefing, actor=actor, base_version=None, typed={})
    briefing.refresh_from_db(fields=["edit_version", "updated_by"])
    audit_log(actor=actor, code="briefing.refilled", target=briefing, changes={"field": field})
    return briefing
