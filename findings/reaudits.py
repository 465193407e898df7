"""Writes and reads of re-audits: "Check with a re-audit" from an action or a finding.

A re-audit is an ordinary audit (planned, then opened and answered as any other), scheduled
by the findings layer through the audits layer's own services: a question set of the same
themes' bank questions (and the source audit's checklists, so risk-factor prevalence can be
compared), the same children with their agencies when chosen (a new return each when it
opens), and a ``ReAudit`` row linking it to the source audit and the actions it tests.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from auditportal.auditlog import audit_log
from audits.models import Audit, Question, QuestionSet, QuestionSetItem, Theme
from audits.services import audit_create, case_create, questionset_create

from .models import Action, Finding, ReAudit
from .rules import may_work_on_findings

# The source's findings and actions are agreed and published: only then is there a
# "before" the board has read and a change worth measuring.
REAUDITABLE_STATUSES = (Audit.Status.PUBLISHED, Audit.Status.CLOSED)


def reaudit_refusal(audit: Audit) -> str:
    """Why this audit cannot be re-audited yet ("" when it can)."""
    if audit.status in REAUDITABLE_STATUSES:
        return ""
    return (
        f"“{audit.title}” is {audit.get_status_display().lower()}, not published: a re-audit "
        "measures change against the published findings. Publish its briefing first."
    )


def reaudit_themes(*, audit: Audit, actions: list[Action], finding: Finding | None = None):
    """The themes a re-audit compares: the finding's, else the themes of the findings the
    actions respond to, else every theme the source audit asked about."""
    if finding is not None:
        return [finding.theme]
    themes = {f.theme for action in actions for f in action.findings.all()}
    if themes:
        return sorted(themes, key=lambda t: (t.order, t.name))
    return list(
        Theme.objects.filter(set_items__question_set=audit.question_set_id)
        .distinct()
        .order_by("order", "name")
    )


def _questions(source: Audit, themes: list[Theme]) -> list[Question]:
    """The source's bank questions in these themes, and its checklists (risk factors)."""
    items = QuestionSetItem.objects.filter(
        question_set=source.question_set_id, question__isnull=False
    ).select_related("question")
    theme_ids = {theme.pk for theme in themes}
    return [
        item.question
        for item in items
        if item.theme_id in theme_ids or item.kind == Question.Kind.CHECKLIST
    ]


def _set_name(title: str) -> str:
    base = f"Re-audit: {title}"[:110]
    name, n = base, 1
    while QuestionSet.objects.filter(name__iexact=name).exists():
        n += 1
        name = f"{base} ({n})"
    return name


@transaction.atomic
def reaudit_schedule(
    *,
    source: Audit,
    actor: User,
    actions: list[Action],
    title: str,
    returns_open: datetime.date,
    returns_due: datetime.date,
    same_children: bool,
    finding: Finding | None = None,
) -> ReAudit:
    """Schedule a planned follow-up audit of ``source`` linked to ``actions``. Refused with
    the reason when the source is not published; nothing is saved when any part fails."""
    if not may_work_on_findings.test(actor):
        raise PermissionDenied
    refusal = reaudit_refusal(source)
    if refusal:
        raise ValidationError(refusal)
    if any(action.audit_id != source.pk for action in actions):
        raise ValidationError("Choose actions agreed after this audit.")
    themes = reaudit_themes(audit=source, actions=actions, finding=finding)
    questions = _questions(source, themes)
    if not questions:
        raise ValidationError(
            "The audit asked no question of these themes that the question bank still holds."
        )
    question_set = questionset_create(
        actor=actor,
        name=_set_name(title),
        questions=questions,
        description=f"The questions of {source.title} for its re-audit.",
    )
    audit = audit_create(
        actor=actor,
        title=title,
        kind=source.kind,
        priority=source.priority,
        key_question=f"Did practice change since {source.title}? {source.key_question}"[:1000],
        scope=source.scope,
        methodology=source.methodology,
        returns_open=returns_open,
        returns_due=returns_due,
        question_set=question_set,
    )
    if same_children:
        _sample_same_children(source=source, audit=audit, actor=actor)
    reaudit = ReAudit.objects.create(
        audit=audit, source_audit=source, same_children=same_children, created_by=actor
    )
    reaudit.actions.set(actions)
    reaudit.themes.set(themes)
    audit_log(
        actor=actor,
        code="audit.reaudit_scheduled",
        target=audit,
        changes={
            "source": source.title,
            "actions": len(actions),
            "themes": [theme.name for theme in themes],
            "same_children": same_children,
        },
    )
    return reaudit


def _sample_same_children(*, source: Audit, audit: Audit, actor: User) -> None:
    """Each child of the source's sample with the same agencies: the audits layer reuses the
    child's involvements and record references, and the returns are new when it opens."""
    samples = source.samples.select_related("case").prefetch_related("involvements__agency")
    for sample in samples:
        agencies = {involvement.agency: "" for involvement in sample.involvements.all()}
        if not agencies:
            continue
        case = sample.case
        case_create(
            audit=audit,
            actor=actor,
            pseudonym=case.pseudonym,
            age_band=case.age_band,
            gender=case.gender,
            level_of_need=case.level_of_need,
            ethnicity=case.ethnicity,
            agencies=agencies,
        )
