"""Writes for findings: create, edit, delete, order, promote an answer to a finding, and agree
an audit's findings (moderation -> findings agreed)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from accounts.models import User
from auditportal.access import require
from auditportal.auditlog import audit_log
from audits.models import Answer, Audit, Grade, Return, Theme, YesPartlyNo
from audits.services import audit_agree_findings
from cases.models import Agency

from ..models import Finding

FINDING_TEXT_LIMIT = 2000

# ---------------------------------------------------------------------------------------------
# Findings


def _finding_display_key(finding: Finding) -> tuple:
    return (finding.theme.order, finding.theme.name, finding.order, finding.pk)


def findings_renumber(*, audit: Audit, kind: str) -> None:
    """Keep `order` equal to the display order: grouped by theme (bank order), then as the
    business team arranged them. So `Finding.Meta.ordering` is also the briefing's order."""
    findings = sorted(
        Finding.objects.filter(audit=audit, kind=kind).select_related("theme"),
        key=_finding_display_key,
    )
    changed = []
    for position, finding in enumerate(findings, start=1):
        if finding.order != position:
            finding.order = position
            changed.append(finding)
    if changed:
        Finding.objects.bulk_update(changed, ["order"])


def _clean_finding_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the finding: the text cannot be empty."})
    if len(text) > FINDING_TEXT_LIMIT:
        raise ValidationError(
            {"text": f"Keep a finding to {FINDING_TEXT_LIMIT} characters (it has {len(text)})."}
        )
    return text


def _check_returns_of_audit(audit: Audit, source_returns: Iterable[Return]) -> list[Return]:
    source_returns = list(source_returns)
    if any(r.audit_id != audit.pk for r in source_returns):
        raise ValidationError({"source_returns": "Source returns must belong to this audit."})
    return source_returns


@transaction.atomic
def finding_create(
    *,
    audit: Audit,
    kind: str,
    theme: Theme | None,
    text: str,
    actor: User,
    agencies: Iterable[Agency] = (),
    source_returns: Iterable[Return] = (),
) -> Finding:
    """A strength or an area for development, placed last within its theme."""
    if theme is None:
        raise ValidationError({"theme": "Choose the theme this finding is about."})
    if kind not in Finding.Kind.values:
        raise ValidationError({"kind": "Choose a strength or an area for development."})
    source_returns = _check_returns_of_audit(audit, source_returns)
    last = Finding.objects.filter(audit=audit, kind=kind).aggregate(m=Max("order"))["m"] or 0
    finding = Finding(
        audit=audit,
        kind=kind,
        theme=theme,
        text=_clean_finding_text(text),
        order=last + 1,
        created_by=actor,
    )
    finding.full_clean()
    finding.save()
    finding.agencies.set(list(agencies))
    finding.source_returns.set(source_returns)
    findings_renumber(audit=audit, kind=kind)
    audit_log(
        actor=actor,
        code="finding.created",
        target=finding,
        changes={"audit": audit.pk, "kind": kind, "theme": theme.name},
    )
    finding.refresh_from_db(fields=["order"])
    return finding


@transaction.atomic
def finding_update(
    *,
    finding: Finding,
    kind: str,
    theme: Theme | None,
    text: str,
    actor: User,
    agencies: Iterable[Agency] = (),
    source_returns: Iterable[Return] | None = None,
) -> Finding:
    """source_returns=None leaves the source returns as they are."""
    if theme is None:
        raise ValidationError({"theme": "Choose the theme this finding is about."})
    if kind not in Finding.Kind.values:
        raise ValidationError({"kind": "Choose a strength or an area for development."})
    old_kind, old_theme = finding.kind, finding.theme_id
    if source_returns is not None:
        source_returns = _check_returns_of_audit(finding.audit, source_returns)
    finding.kind = kind
    finding.theme = theme
    finding.text = _clean_finding_text(text)
    if kind != old_kind:
        # Moving to the other list: it goes last there.
        last = Finding.objects.filter(audit=finding.audit, kind=kind).aggregate(m=Max("order"))
        finding.order = (last["m"] or 0) + 1
    finding.full_clean(exclude=["created_by"])
    finding.save(update_fields=["kind", "theme", "text", "order", "updated_at"])
    finding.agencies.set(list(agencies))
    if source_returns is not None:
        finding.source_returns.set(source_returns)
    if kind != old_kind or theme.pk != old_theme:
        findings_renumber(audit=finding.audit, kind=old_kind)
        findings_renumber(audit=finding.audit, kind=kind)
    audit_log(
        actor=actor,
        code="finding.updated",
        target=finding,
        changes={"kind": kind, "theme": theme.name},
    )
    return finding


@transaction.atomic
def finding_delete(*, finding: Finding, actor: User) -> None:
    audit, kind = finding.audit, finding.kind
    audit_log(actor=actor, code="finding.deleted", target=finding, changes={"audit": audit.pk})
    finding.delete()
    findings_renumber(audit=audit, kind=kind)


@transaction.atomic
def finding_move(*, finding: Finding, direction: str, actor: User) -> Finding:
    """Swap with the neighbour above or below within the same audit, kind and theme."""
    if direction not in {"up", "down"}:
        raise ValidationError("Move a finding up or down.")
    siblings = list(
        Finding.objects.select_for_update()
        .filter(audit=finding.audit_id, kind=finding.kind, theme=finding.theme_id)
        .order_by("order", "pk")
    )
    index = next(i for i, f in enumerate(siblings) if f.pk == finding.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(siblings):
        return finding  # already first or last: nothing to do
    current, other = siblings[index], siblings[other_index]
    current.order, other.order = other.order, current.order
    if current.order == other.order:  # equal orders from older data: break the tie
        current.order += -1 if direction == "up" else 1
    Finding.objects.bulk_update([current, other], ["order"])
    findings_renumber(audit=finding.audit, kind=finding.kind)
    audit_log(actor=actor, code="finding.moved", target=current, changes={"direction": direction})
    finding.refresh_from_db(fields=["order"])
    return finding


_GOOD = {Grade.OUTSTANDING, Grade.GOOD, YesPartlyNo.YES}


def _promoted_kind(answer: Answer) -> str:
    """A good grade's evidence is usually a strength; anything else a development."""
    grade = answer.moderated_choice or answer.choice
    return Finding.Kind.STRENGTH if grade in _GOOD else Finding.Kind.DEVELOPMENT


@transaction.atomic
def finding_promote_from_answer(*, answer: Answer, actor: User, kind: str | None = None) -> Finding:
    """One click at moderation: a finding prefilled with the answer's evidence text, its
    question's theme, its return (as source) and its agency; the user edits it next."""
    # Free-text questions keep their answer in `text`; the others in `evidence`.
    evidence = (answer.evidence or "").strip() or (answer.text or "").strip()
    if not evidence:
        raise ValidationError("This answer has no evidence text to promote.")
    audit_return = answer.audit_return
    if len(evidence) > FINDING_TEXT_LIMIT:
        evidence = evidence[: FINDING_TEXT_LIMIT - 1].rstrip() + "…"
    finding = finding_create(
        audit=audit_return.audit,
        kind=kind if kind in Finding.Kind.values else _promoted_kind(answer),
        theme=answer.item.theme,
        text=evidence,
        actor=actor,
        agencies=[audit_return.agency],
        source_returns=[audit_return],
    )
    audit_log(
        actor=actor,
        code="finding.promoted",
        target=finding,
        changes={"answer": answer.pk, "return": audit_return.pk},
    )
    return finding


@transaction.atomic
def findings_agree(*, audit: Audit, actor: User, note: str = "") -> Audit:
    """Mark an audit's findings agreed: the findings layer's own precondition (at least one
    finding), then the audit's service moves it on (audit_agree_findings checks the rest)."""
    require(actor, "findings.manage_findings")
    if audit.status == Audit.Status.MODERATION and not Finding.objects.filter(audit=audit).exists():
        raise ValidationError("Record at least one finding before marking the findings agreed.")
    return audit_agree_findings(audit=audit, actor=actor, note=note)
