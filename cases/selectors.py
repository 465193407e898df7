from django.db.models import QuerySet

from accounts.models import User

from .models import Agency, Case, CaseAgency, RecordReference


def agencies_of(user: User) -> QuerySet[Agency]:
    return Agency.objects.filter(memberships__user=user)


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Business team: every case. Practitioner: only cases one of their agencies audits.
    Board members never see case-level data."""
    if user.is_business_team:
        return Case.objects.all()
    if user.is_practitioner:
        return Case.objects.filter(involvements__agency__memberships__user=user).distinct()
    return Case.objects.none()


def record_references_visible_to(user: User) -> QuerySet[RecordReference]:
    """Record references are personal data: the business team and the practitioners of the
    agency that holds the record, nobody else."""
    if user.is_business_team:
        return RecordReference.objects.all()
    if user.is_practitioner:
        return RecordReference.objects.filter(involvement__agency__memberships__user=user)
    return RecordReference.objects.none()


def record_reference_for(user: User, involvement: CaseAgency) -> str | None:
    reference = record_references_visible_to(user).filter(involvement=involvement).first()
    return reference.reference if reference else None
