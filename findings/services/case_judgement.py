"""What the moderation meeting agrees about one child: `case_judgement_record` writes the
lived-experience summary, the overall judgement of the difference the work made
(DifferenceMade, four points) and an agreed multi-agency grade per theme, each with its
reason, while the audit is in moderation or its findings are agreed. The results page reads
them as its third basis (findings.results.agreed)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from accounts.rules import is_business_team
from auditportal.auditlog import audit_log
from audits.models import Audit, Grade, SampleCase, Theme
from findings.case_models import AGREED_REASON_LIMIT, AgreedGrade, CaseJudgement, DifferenceMade
from findings.moderation import MODERATION_STATUSES

__all__ = ["AgreedGradeInput", "case_judgement_record", "judgement_can_be_recorded"]

TEXT_LIMIT = CaseJudgement._meta.get_field("lived_experience").max_length or 5000


@dataclass(frozen=True)
class AgreedGradeInput:
    theme: Theme
    grade: str
    reason: str


def judgement_can_be_recorded(audit: Audit) -> bool:
    return audit.status in MODERATION_STATUSES


@transaction.atomic
def case_judgement_record(
    *,
    sample_case: SampleCase,
    actor: User,
    lived_experience: str,
    difference: str,
    difference_text: str,
    grades: list[AgreedGradeInput],
) -> CaseJudgement:
    """Write the meeting's judgement of one child, all of it or nothing. Errors are raised
    under the form's field names (`difference`, `grade-<theme id>`, `reason-<theme id>`). A
    theme left without a grade and reason has no agreed grade (one it had is removed)."""
    if not is_business_team.test(actor):
        raise PermissionDenied
    audit = sample_case.audit
    if not judgement_can_be_recorded(audit):
        raise ValidationError(
            "The meeting's judgement can be recorded only while the audit is in moderation "
            "or its findings are agreed."
        )
    errors: dict[str, str] = {}
    lived_experience = (lived_experience or "").strip()
    difference_text = (difference_text or "").strip()
    if difference and difference not in DifferenceMade.values:
        errors["difference"] = "Choose one of the four judgements."
    if difference_text and not difference:
        errors["difference"] = "Choose the judgement this text explains."
    for field, value in (
        ("lived_experience", lived_experience),
        ("difference_text", difference_text),
    ):
        if len(value) > TEXT_LIMIT:
            errors[field] = f"Keep it to {TEXT_LIMIT:,} characters or fewer."
    wanted: dict[int, AgreedGradeInput] = {}
    for entry in grades:
        grade, reason = (entry.grade or "").strip(), (entry.reason or "").strip()
        if grade and grade not in Grade.values:
            errors[f"grade-{entry.theme.pk}"] = "Choose a grade from the list."
        elif grade and not reason:
            errors[f"reason-{entry.theme.pk}"] = (
                f"Give the reason for the agreed grade for {entry.theme.name}."
            )
        elif reason and not grade:
            errors[f"grade-{entry.theme.pk}"] = f"Choose the agreed grade for {entry.theme.name}."
        elif len(reason) > AGREED_REASON_LIMIT:
            errors[f"reason-{entry.theme.pk}"] = (
                f"Keep the reason to {AGREED_REASON_LIMIT:,} characters or fewer."
            )
        elif grade:
            wanted[entry.theme.pk] = AgreedGradeInput(entry.theme, grade, reason)
    if errors:
        raise ValidationError(errors)

    judgement, _ = CaseJudgement.objects.select_for_update().get_or_create(sample_case=sample_case)
    judgement.lived_experience = lived_experience
    judgement.difference = difference
    judgement.difference_text = difference_text
    judgement.updated_by = actor
    judgement.full_clean()
    judgement._history_user = actor
    judgement.save()

    existing = {g.theme_id: g for g in sample_case.agreed_grades.all()}
    asked = {entry.theme.pk for entry in grades}
    for theme_id, agreed in existing.items():
        if theme_id in asked and theme_id not in wanted:
            agreed._history_user = actor  # type: ignore[attr-defined]
            agreed.delete()
    for theme_id, entry in wanted.items():
        agreed = existing.get(theme_id) or AgreedGrade(sample_case=sample_case, theme=entry.theme)
        if agreed.pk and (agreed.grade, agreed.reason) == (entry.grade, entry.reason):
            continue
        agreed.grade = entry.grade
        agreed.reason = entry.reason
        agreed.updated_by = actor
        agreed.full_clean()
        agreed._history_user = actor  # type: ignore[attr-defined]
        agreed.save()
    # Ids and choices only: the texts are case data and stay out of the trail.
    audit_log(
        actor=actor,
        code="case.judgement_recorded",
        target=sample_case.case,
        # Flat values the trail can word: the judgement and the themes with an agreed grade.
        changes={"difference": difference, "agreed_grades": sorted(wanted)},
    )
    return judgement
