"""Writes for audits: scheduling and editing them, and their status flow."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from auditportal.auditlog import audit_log
from audits.models import Audit, AuditTransition, SampleCandidate
from audits.signals import audit_status_changed

from .. import returns as returns_services
from .common import _apply, _require_business_team
from .questionsets import questionset_freeze

__all__ = [
    "AUDIT_EDITABLE_FIELDS",
    "audit_agree_findings",
    "audit_create",
    "audit_next_statuses",
    "audit_publish",
    "audit_transition",
    "audit_update",
]


# Audits --------------------------------------------------------------------------------------

AUDIT_EDITABLE_FIELDS = [
    "title",
    "kind",
    "priority",
    "key_question",
    "scope",
    "methodology",
    "returns_open",
    "returns_due",
    "moderation_date",
    "briefing_due",
    "question_set",
    "look_back_months",
    "legal_hold",
]


def _check_audit_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(AUDIT_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")


@transaction.atomic
def audit_create(*, actor: User, **fields: Any) -> Audit:
    """Schedule an audit (status planned). Fields: AUDIT_EDITABLE_FIELDS."""
    _require_business_team(actor)
    _check_audit_fields(fields)
    audit = Audit(**fields, created_by=actor, status=Audit.Status.PLANNED)
    audit.full_clean()
    audit.save()
    audit_log(actor=actor, code="audit.created", target=audit)
    return audit


@transaction.atomic
def audit_update(*, audit: Audit, actor: User, **fields: Any) -> Audit:
    _require_business_team(actor)
    _check_audit_fields(fields)
    new_set = fields.get("question_set")
    if (
        new_set is not None
        and new_set.pk != audit.question_set_id
        and audit.status != Audit.Status.PLANNED
    ):
        raise ValidationError(
            {"question_set": "The question set cannot change once the audit has opened."}
        )
    changes = _apply(audit, fields)
    if changes:
        audit.full_clean(exclude=["created_by"])
        audit.save(update_fields=[*changes, "updated_at"])
        audit_log(actor=actor, code="audit.updated", target=audit, changes=changes)
    return audit


# Status flow ---------------------------------------------------------------------------------

S = Audit.Status
FORWARD: dict[str, str] = {
    S.PLANNED: S.OPEN,
    S.OPEN: S.MODERATION,
    S.MODERATION: S.FINDINGS_AGREED,
    S.FINDINGS_AGREED: S.PUBLISHED,
    S.PUBLISHED: S.CLOSED,
}
# The one step back: moderation can re-open returns (e.g. a return needs amending after all).
BACKWARD: dict[str, str] = {S.MODERATION: S.OPEN}


def audit_next_statuses(audit: Audit) -> list[str]:
    """The statuses this audit may move to now, forward first (guards not yet checked)."""
    return [s for s in (FORWARD.get(audit.status), BACKWARD.get(audit.status)) if s]


def _guard_open(audit: Audit) -> None:
    cases = list(
        audit.samples.annotate(n=Count("involvements")).values_list("case__pseudonym", "n")
    )
    if not cases:
        raise ValidationError("Add at least one case, with its agencies, before opening.")
    without = [pseudonym for pseudonym, n in cases if n == 0]
    if without:
        raise ValidationError(
            f"Every case needs at least one involved agency before opening: "
            f"{', '.join(without)} has none."
        )
    if not audit.question_set.items.exists():
        raise ValidationError(
            f"The question set {audit.question_set} has no questions: choose another set "
            "or add questions to it before opening."
        )


# The audit layer's own preconditions. Those of a higher layer are checked there, which then
# calls the step's own service: findings_agree (at least one finding) calls
# audit_agree_findings, briefing_publish (a published version) calls audit_publish.
GUARDS: dict[str, Callable[[Audit], None]] = {
    S.OPEN: _guard_open,
}
# The steps a higher layer takes, with what audit_transition says when asked for them.
TAKEN_ELSEWHERE: dict[str, str] = {
    S.FINDINGS_AGREED: "Findings are agreed with the audit's findings: record at least one first.",
    S.PUBLISHED: "An audit is published with its briefing: publish a rendered briefing first.",
}


@transaction.atomic
def audit_transition(*, audit: Audit, to_status: str, actor: User, note: str = "") -> Audit:
    """Move an audit one step along planned → open → moderation → findings agreed →
    published → closed (or moderation → open to re-open returns).

    Raises ValidationError with a user-facing message when a guard fails, PermissionDenied
    for anyone outside the business team. Opening freezes the question set, creates the returns
    and deletes the candidate list, in this transaction. `audit` is updated in place.

    Two steps are not done here, because their preconditions belong to a higher layer, which
    checks them and then calls the step's service: the findings layer agrees the findings
    (audit_agree_findings), the briefings layer publishes (audit_publish).
    """
    if to_status in TAKEN_ELSEWHERE:
        _require_business_team(actor)
        raise ValidationError(TAKEN_ELSEWHERE[to_status])
    return _transition(audit=audit, to_status=to_status, actor=actor, note=note)


@transaction.atomic
def audit_agree_findings(*, audit: Audit, actor: User, note: str = "") -> Audit:
    """Move an audit from moderation to findings agreed. Called by the findings layer
    (findings_agree), which checks that at least one finding is recorded."""
    return _transition(audit=audit, to_status=S.FINDINGS_AGREED, actor=actor, note=note)


@transaction.atomic
def audit_publish(*, audit: Audit, actor: User, note: str = "") -> Audit:
    """Move an audit from findings agreed to published. Called by the briefings layer when
    the audit's briefing is published (that layer checks there is a published version)."""
    return _transition(audit=audit, to_status=S.PUBLISHED, actor=actor, note=note)


def _transition(*, audit: Audit, to_status: str, actor: User, note: str) -> Audit:
    _require_business_team(actor)
    # Lock the row so two people pressing the same button cannot both move it.
    audit.status = (
        Audit.objects.select_for_update().values_list("status", flat=True).get(pk=audit.pk)
    )
    from_status = audit.status
    if to_status not in Audit.Status.values:
        raise ValidationError("That is not a status an audit can have.")
    if to_status not in audit_next_statuses(audit):
        raise ValidationError(
            f"An audit that is “{Audit.Status(from_status).label}” cannot move to "
            f"“{Audit.Status(to_status).label}”."
        )
    if len(note) > 300:
        raise ValidationError("The note must be at most 300 characters long.")
    guard = GUARDS.get(to_status)
    if guard is not None:
        guard(audit)

    now = timezone.now()
    audit.status = to_status
    update_fields = ["status", "updated_at"]
    first_opening = from_status == S.PLANNED and to_status == S.OPEN
    if first_opening:
        questionset_freeze(question_set=audit.question_set, at=now)
        audit.opened_at = now
        update_fields.append("opened_at")
    if to_status == S.CLOSED:
        audit.closed_at = now
        update_fields.append("closed_at")
    audit.save(update_fields=update_fields)
    AuditTransition.objects.create(
        audit=audit, from_status=from_status, to_status=to_status, actor=actor, note=note
    )
    audit_log(
        actor=actor,
        code="audit.status_changed",
        target=audit,
        changes={"status": [from_status, to_status], "note": note},
    )
    audit_status_changed.send(
        sender=Audit, audit=audit, from_status=from_status, to_status=to_status
    )
    if first_opening:
        returns_services.returns_create_for_audit(audit=audit)
        SampleCandidate.objects.filter(audit=audit).delete()  # chosen ones are sampled by now
    return audit
