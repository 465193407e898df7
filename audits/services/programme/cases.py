"""Writes for an audit's sample: the children (cases), their agencies and record references.

Record references are personal data: they are never written to the audit log."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from auditportal.auditlog import audit_log
from audits.models import Answer, Audit, Return, SampleCase
from cases.models import Agency, Case, CaseAgency, Partnership, RecordReference

from .. import returns as returns_services
from .common import _apply, _require_business_team

__all__ = ["case_create", "case_delete", "case_update"]


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
