"""Writes for the audit programme: question bank, question sets, audits, cases, status flow.

Every function checks that the actor is in the business team (views check too, but the rule
lives here), validates with full_clean(), and writes its audit-log entry in the same
transaction. Record references are personal data: they are never written to the audit log.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from accounts.models import User
from auditportal.access import require
from auditportal.auditlog import audit_log
from audits.models import (
    Answer,
    Audit,
    AuditTransition,
    Question,
    QuestionSet,
    QuestionSetItem,
    Return,
    SampleCandidate,
    SampleCase,
    Theme,
)
from cases.models import Agency, Case, CaseAgency, Partnership, RecordReference

from . import returns as returns_services

__all__ = [
    "AUDIT_EDITABLE_FIELDS",
    "FROZEN_SET_MESSAGE",
    "audit_create",
    "audit_next_statuses",
    "audit_publish",
    "audit_transition",
    "audit_update",
    "case_create",
    "case_delete",
    "case_update",
    "question_create",
    "question_move",
    "question_update",
    "questionset_create",
    "questionset_new_version",
    "questionset_update",
    "theme_create",
    "theme_update",
]

FROZEN_SET_MESSAGE = (
    "This question set is frozen because an audit using it has opened, so it cannot be "
    "changed. Make a new version of it instead."
)
MAX_OPTIONS = 30
OPTION_LIMIT = 120  # AnswerTick.option max_length


def _require_business_team(actor: User) -> None:
    require(actor, "audits.manage_programme")  # audits.rules: PermissionDenied, so a 403


def _apply(instance: Any, fields: dict[str, Any]) -> dict[str, list[str]]:
    """Set fields on instance; return {field: [old, new]} for the ones that changed."""
    changes = {}
    for name, value in fields.items():
        old = getattr(instance, name)
        if old != value:
            changes[name] = [str(old), str(value)]
            setattr(instance, name, value)
    return changes


# Question bank -------------------------------------------------------------------------------


def _clean_options(kind: str, options: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for option in options:
        option = option.strip()
        if option and option not in cleaned:
            cleaned.append(option)
    if kind != Question.Kind.CHECKLIST:
        return []
    if len(cleaned) < 2:
        raise ValidationError({"options": "A checklist needs at least two options, one per line."})
    if len(cleaned) > MAX_OPTIONS:
        raise ValidationError({"options": f"A checklist can have at most {MAX_OPTIONS} options."})
    too_long = [o for o in cleaned if len(o) > OPTION_LIMIT]
    if too_long:
        raise ValidationError(
            {"options": f"Each option must be at most {OPTION_LIMIT} characters long."}
        )
    return cleaned


@transaction.atomic
def theme_create(
    *, actor: User, name: str, description: str = "", order: int | None = None, active: bool = True
) -> Theme:
    _require_business_team(actor)
    if order is None:
        order = (Theme.objects.aggregate(m=Max("order"))["m"] or 0) + 10
    theme = Theme(name=name.strip(), description=description, order=order, active=active)
    theme.full_clean()
    theme.save()
    audit_log(actor=actor, code="theme.created", target=theme)
    return theme


@transaction.atomic
def theme_update(
    *, theme: Theme, actor: User, name: str, description: str, order: int | None, active: bool
) -> Theme:
    _require_business_team(actor)
    if order is None:
        order = theme.order
    changes = _apply(
        theme, {"name": name.strip(), "description": description, "order": order, "active": active}
    )
    if changes:
        theme.full_clean()
        theme.save(update_fields=list(changes))
        audit_log(actor=actor, code="theme.updated", target=theme, changes=changes)
    return theme


def _next_question_order(theme: Theme) -> int:
    return (theme.questions.aggregate(m=Max("order"))["m"] or 0) + 10


@transaction.atomic
def question_create(
    *,
    actor: User,
    theme: Theme,
    text: str,
    kind: str,
    help_text: str = "",
    options: Iterable[str] = (),
    required: bool = True,
    active: bool = True,
) -> Question:
    _require_business_team(actor)
    question = Question(
        theme=theme,
        text=text.strip(),
        kind=kind,
        help_text=help_text,
        options=_clean_options(kind, options),
        required=required,
        active=active,
        order=_next_question_order(theme),
    )
    question.full_clean()
    question.save()
    audit_log(actor=actor, code="question.created", target=question)
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    actor: User,
    theme: Theme,
    text: str,
    kind: str,
    help_text: str,
    options: Iterable[str],
    required: bool,
    active: bool,
) -> Question:
    """Edits the bank only: question sets hold their own copies, so no audit changes."""
    _require_business_team(actor)
    fields: dict[str, Any] = {
        "theme": theme,
        "text": text.strip(),
        "kind": kind,
        "help_text": help_text,
        "options": _clean_options(kind, options),
        "required": required,
        "active": active,
    }
    if theme.pk != question.theme_id:
        fields["order"] = _next_question_order(theme)
    changes = _apply(question, fields)
    if changes:
        question.full_clean()
        question.save(update_fields=[*changes, "updated_at"])
        audit_log(actor=actor, code="question.updated", target=question, changes=changes)
    return question


@transaction.atomic
def question_move(*, question: Question, direction: str, actor: User) -> Question:
    """Swap a question with its neighbour in the same theme ("up" or "down")."""
    _require_business_team(actor)
    if direction not in {"up", "down"}:
        raise ValidationError("A question can only move up or down.")
    siblings = list(Question.objects.select_for_update().filter(theme_id=question.theme_id))
    siblings.sort(key=lambda q: (q.order, q.pk))
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(siblings):
        return question
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.order = (position + 1) * 10
    Question.objects.bulk_update(siblings, ["order"])
    question.order = siblings[target].order
    audit_log(actor=actor, code="question.moved", target=question, changes={"moved": direction})
    return question


# Question sets -------------------------------------------------------------------------------


def _item_from_question(question: Question, question_set: QuestionSet) -> QuestionSetItem:
    return QuestionSetItem(
        question_set=question_set,
        question=question,
        theme_id=question.theme_id,
        theme_name=question.theme.name,
        text=question.text,
        help_text=question.help_text,
        kind=question.kind,
        options=list(question.options),
        required=question.required,
    )


def _bank_order(question: Question) -> tuple:
    return (question.theme.order, question.theme.name, question.order, question.pk)


def _write_items(question_set: QuestionSet, questions: list[Question]) -> None:
    """Replace the set's items by fresh copies of questions, in bank order."""
    question_set.items.all().delete()
    items = [_item_from_question(q, question_set) for q in sorted(questions, key=_bank_order)]
    for position, item in enumerate(items):
        item.order = (position + 1) * 10
    QuestionSetItem.objects.bulk_create(items)


def _questions_with_themes(questions: Iterable[Question]) -> list[Question]:
    pks = [q.pk for q in questions]
    return list(Question.objects.select_related("theme").filter(pk__in=pks))


@transaction.atomic
def questionset_create(
    *, actor: User, name: str, questions: Iterable[Question], description: str = ""
) -> QuestionSet:
    """A new set (version 1) holding copies of the chosen bank questions."""
    _require_business_team(actor)
    chosen = _questions_with_themes(questions)
    if not chosen:
        raise ValidationError({"questions": "Choose at least one question for the set."})
    name = name.strip()
    if QuestionSet.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": "A question set with this name exists: open it and make a new version."}
        )
    question_set = QuestionSet(name=name, description=description, version=1)
    question_set.full_clean()
    question_set.save()
    _write_items(question_set, chosen)
    audit_log(
        actor=actor,
        code="questionset.created",
        target=question_set,
        changes={"questions": len(chosen)},
    )
    return question_set


@transaction.atomic
def questionset_update(
    *,
    question_set: QuestionSet,
    actor: User,
    name: str,
    description: str,
    questions: Iterable[Question],
) -> QuestionSet:
    """Edit a set that no audit has opened with: its items are re-copied from the bank."""
    _require_business_team(actor)
    locked = QuestionSet.objects.select_for_update().get(pk=question_set.pk)
    if locked.is_frozen:
        raise ValidationError(FROZEN_SET_MESSAGE)
    chosen = _questions_with_themes(questions)
    if not chosen:
        raise ValidationError({"questions": "Choose at least one question for the set."})
    changes = _apply(question_set, {"name": name.strip(), "description": description})
    question_set.full_clean()
    if changes:
        question_set.save(update_fields=list(changes))
    before = set(question_set.items.values_list("question_id", flat=True))
    _write_items(question_set, chosen)
    after = {q.pk for q in chosen}
    changes["questions"] = [str(len(before)), str(len(after))]
    audit_log(actor=actor, code="questionset.updated", target=question_set, changes=changes)
    return question_set


@transaction.atomic
def questionset_new_version(*, question_set: QuestionSet, actor: User) -> QuestionSet:
    """Clone a frozen set, items and all, as the next version of the same name (not frozen)."""
    _require_business_team(actor)
    if not question_set.is_frozen:
        raise ValidationError(
            "This question set is not frozen yet: edit it directly instead of making a version."
        )
    latest = QuestionSet.objects.filter(name=question_set.name).aggregate(m=Max("version"))["m"]
    clone = QuestionSet(
        name=question_set.name,
        description=question_set.description,
        version=(latest or 0) + 1,
        based_on=question_set,
    )
    clone.full_clean()
    clone.save()
    items = []
    for item in question_set.items.all():
        item.pk = None
        item.question_set = clone
        items.append(item)
    QuestionSetItem.objects.bulk_create(items)
    audit_log(
        actor=actor,
        code="questionset.versioned",
        target=clone,
        changes={"based_on": str(question_set)},
    )
    return clone


def questionset_freeze(
    *, question_set: QuestionSet, at: datetime.datetime | None = None
) -> QuestionSet:
    """Freeze a set for good (the first audit opening with it does): from then on its items
    stay as they are and changes go into a new version. Freezing twice keeps the first date."""
    if question_set.frozen_at is None:
        question_set.frozen_at = at or timezone.now()
        question_set.save(update_fields=["frozen_at"])
    return question_set


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


# Cases ---------------------------------------------------------------------------------------

CASE_EDITABLE_STATUSES = {Audit.Status.PLANNED, Audit.Status.OPEN}


def _check_cases_editable(audit: Audit) -> None:
    if audit.status not in CASE_EDITABLE_STATUSES:
        raise ValidationError(
            f"The cases of an audit in {audit.get_status_display().lower()} cannot change."
        )


def _check_pseudonym(audit: Audit, pseudonym: str, case: Case | None = None) -> None:
    """The pseudonym names one child of the partnership: not a second child in this audit,
    and a rename must not take the name of another child."""
    if case is None:
        if audit.cases.filter(pseudonym__iexact=pseudonym).exists():
            raise ValidationError(
                {"pseudonym": f"This audit already has a case called {pseudonym}: choose another."}
            )
        return
    others = Case.objects.filter(pseudonym__iexact=pseudonym).exclude(pk=case.pk)
    if others.filter(audits=audit).exists():
        raise ValidationError(
            {"pseudonym": f"This audit already has a case called {pseudonym}: choose another."}
        )
    if others.exists():
        raise ValidationError(
            {
                "pseudonym": f"Another child of the partnership is called {pseudonym}: "
                "choose another (add that child from the audit's cases page instead)."
            }
        )


def _return_started(audit: Audit, case: Case, agency_ids: Iterable[int] | None = None) -> bool:
    returns = Return.objects.filter(audit=audit, case=case)
    answers = Answer.objects.filter(audit_return__audit=audit, audit_return__case=case)
    if agency_ids is not None:
        returns = returns.filter(agency_id__in=agency_ids)
        answers = answers.filter(audit_return__agency_id__in=agency_ids)
    return returns.exclude(status=Return.Status.NOT_STARTED).exists() or answers.exists()


def _set_reference(involvement: CaseAgency, reference: str, *, keep_blank: bool = False) -> bool:
    """Create, change or remove the record reference; True when it changed. With keep_blank a
    blank reference leaves the one the child already has (adding a known child)."""
    reference = reference.strip()
    current = RecordReference.objects.filter(involvement=involvement).first()
    if not reference:
        if current is None or keep_blank:
            return False
        current.delete()
        return True
    if current is None:
        current = RecordReference(involvement=involvement, reference=reference)
    elif current.reference == reference:
        return False
    current.reference = reference
    current.full_clean(exclude=["involvement"])
    current.save()
    return True


def sample_case_involvements(sample: SampleCase) -> dict[int, CaseAgency]:
    """agency id -> the child's involvement this audit samples."""
    return {i.agency_id: i for i in sample.involvements.select_related("agency")}


@transaction.atomic
def case_create(
    *,
    audit: Audit,
    actor: User,
    pseudonym: str,
    age_band: str,
    gender: str,
    level_of_need: str,
    agencies: dict[Agency, str],
    ethnicity: str = "",
) -> Case:
    """Add a child to the audit's sample with its involved agencies ({agency: record
    reference, "" if not known}). A pseudonym the partnership already has adds that child (a
    re-audit): its details are brought up to date, its agencies and record references are
    reused, and a blank reference or ethnicity keeps the one it has. In an open audit the
    returns are created at once."""
    _require_business_team(actor)
    _check_cases_editable(audit)
    if not agencies:
        raise ValidationError({"agencies": "Choose at least one agency involved with this case."})
    pseudonym = pseudonym.strip()
    _check_pseudonym(audit, pseudonym)
    details = {
        "age_band": age_band,
        "gender": gender,
        "ethnicity": ethnicity,
        "level_of_need": level_of_need,
    }
    partnership = Partnership.load()
    case = Case.objects.filter(partnership=partnership, pseudonym__iexact=pseudonym).first()
    known = case is not None
    if case is None:
        case = Case(partnership=partnership, pseudonym=pseudonym, **details)
        case.full_clean()
        case.save()
    else:
        if not ethnicity:
            details.pop("ethnicity")  # optional: left blank, the child keeps what it has
        changed = _apply(case, details)
        if changed:
            case.full_clean()
            case.save(update_fields=list(changed))
    sample = SampleCase.objects.create(audit=audit, case=case)
    for agency, reference in agencies.items():
        involvement, _ = CaseAgency.objects.get_or_create(case=case, agency=agency)
        _set_reference(involvement, reference, keep_blank=known)
        sample.involvements.add(involvement)
    if audit.status == Audit.Status.OPEN:
        returns_services.returns_create_for_audit(audit=audit)
    audit_log(
        actor=actor,
        code="case.created",
        target=case,
        changes={"audit": audit.title, "agencies": sorted(a.label for a in agencies)},
    )
    return case


@transaction.atomic
def case_update(
    *,
    audit: Audit,
    case: Case,
    actor: User,
    pseudonym: str,
    age_band: str,
    gender: str,
    level_of_need: str,
    agencies: dict[Agency, str],
    ethnicity: str = "",
) -> Case:
    """Change a child and the agencies this audit samples. In an open audit an agency whose
    return has been started cannot be removed (its answers would be lost). The child's
    details and record references are the child's own: other audits holding the child see
    the change too. An agency no audit samples any more is no longer involved (its record
    reference goes with it)."""
    _require_business_team(actor)
    _check_cases_editable(audit)
    sample = SampleCase.objects.get(audit=audit, case=case)
    if not agencies:
        raise ValidationError({"agencies": "Choose at least one agency involved with this case."})
    pseudonym = pseudonym.strip()
    _check_pseudonym(audit, pseudonym, case)
    involvements = sample_case_involvements(sample)
    wanted = {agency.pk: (agency, reference) for agency, reference in agencies.items()}
    removed = [i for agency_id, i in involvements.items() if agency_id not in wanted]
    if removed and _return_started(audit, case, [i.agency_id for i in removed]):
        names = ", ".join(i.agency.label for i in removed)
        raise ValidationError(
            {"agencies": f"{names} cannot be removed: the return for this case has been started."}
        )
    changes = _apply(
        case,
        {
            "pseudonym": pseudonym,
            "age_band": age_band,
            "gender": gender,
            "ethnicity": ethnicity,
            "level_of_need": level_of_need,
        },
    )
    if changes:
        case.full_clean()
        case.save(update_fields=list(changes))
    if removed:
        Return.objects.filter(
            audit=audit, case=case, agency_id__in=[i.agency_id for i in removed]
        ).delete()
        sample.involvements.remove(*removed)
        CaseAgency.objects.filter(pk__in=[i.pk for i in removed], samples__isnull=True).delete()
        changes["agencies_removed"] = sorted(i.agency.label for i in removed)
    added = []
    references_changed = []
    for agency_id, (agency, reference) in wanted.items():
        involvement = involvements.get(agency_id)
        if involvement is None:
            involvement, _ = CaseAgency.objects.get_or_create(case=case, agency=agency)
            sample.involvements.add(involvement)
            added.append(agency.label)
        if _set_reference(involvement, reference):
            references_changed.append(agency.label)
    if added:
        changes["agencies_added"] = sorted(added)
    if references_changed:
        # Which references changed, never their values: the log must hold no personal data.
        changes["record_references_changed"] = sorted(references_changed)
    if added and audit.status == Audit.Status.OPEN:
        returns_services.returns_create_for_audit(audit=audit)
    if changes:
        audit_log(actor=actor, code="case.updated", target=case, changes=changes)
    return case


@transaction.atomic
def case_delete(*, audit: Audit, case: Case, actor: User) -> None:
    """Take a child out of the audit's sample (with this audit's returns for the child). A
    child no other audit holds is deleted, with its involvements and record references."""
    _require_business_team(actor)
    _check_cases_editable(audit)
    if audit.status == Audit.Status.OPEN and _return_started(audit, case):
        raise ValidationError(
            f"{case.pseudonym} cannot be removed: an agency has started its return for this case."
        )
    audit_log(actor=actor, code="case.deleted", target=case, changes={"audit": audit.title})
    Return.objects.filter(audit=audit, case=case).delete()
    SampleCase.objects.filter(audit=audit, case=case).delete()
    if not case.samples.exists():
        case.delete()
    else:
        CaseAgency.objects.filter(case=case, samples__isnull=True).delete()


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


def _guard_findings_agreed(audit: Audit) -> None:
    if not audit.findings.exists():
        raise ValidationError("Record at least one finding before marking the findings agreed.")


GUARDS: dict[str, Callable[[Audit], None]] = {
    S.OPEN: _guard_open,
    S.FINDINGS_AGREED: _guard_findings_agreed,
}


@transaction.atomic
def audit_transition(*, audit: Audit, to_status: str, actor: User, note: str = "") -> Audit:
    """Move an audit one step along planned → open → moderation → findings agreed →
    published → closed (or moderation → open to re-open returns).

    Raises ValidationError with a user-facing message when a guard fails, PermissionDenied
    for anyone outside the business team. Opening freezes the question set, creates the returns
    and deletes the candidate list, in this transaction. `audit` is updated in place.

    Publishing is not done here: an audit is published with its briefing, and the briefings
    layer, which checks its own precondition, calls audit_publish.
    """
    if to_status == S.PUBLISHED:
        _require_business_team(actor)
        raise ValidationError(
            "An audit is published with its briefing: publish a rendered briefing first."
        )
    return _transition(audit=audit, to_status=to_status, actor=actor, note=note)


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
    if first_opening:
        returns_services.returns_create_for_audit(audit=audit)
        SampleCandidate.objects.filter(audit=audit).delete()  # chosen ones are sampled by now
    return audit
