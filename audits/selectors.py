from django.db.models import Case as CaseWhen
from django.db.models import IntegerField, QuerySet, Value, When
from django.utils import timezone

from accounts.models import User

from .models import Audit, Return


def audits_visible_to(user: User) -> QuerySet[Audit]:
    """The business team sees the whole programme; practitioners see audits their agencies
    have returns in; board members see audits only through published briefings."""
    if user.is_business_team:
        return Audit.objects.all()
    if user.is_practitioner:
        return Audit.objects.filter(returns__agency__memberships__user=user).distinct()
    return Audit.objects.none()


def returns_visible_to(user: User) -> QuerySet[Return]:
    """Practitioners see their own agencies' returns only, never another agency's."""
    if user.is_business_team:
        return Return.objects.all()
    if user.is_practitioner:
        return Return.objects.filter(agency__memberships__user=user)
    return Return.objects.none()


def my_returns(user: User) -> QuerySet[Return]:
    """A practitioner's returns and their agencies' returns in open audits: overdue first,
    then by due date."""
    today = timezone.localdate()
    return (
        returns_visible_to(user)
        .filter(audit__status=Audit.Status.OPEN)
        .select_related("audit", "case", "agency", "assignee")
        .annotate(
            overdue=CaseWhen(
                When(
                    audit__returns_due__lt=today,
                    status__in=[
                        Return.Status.NOT_STARTED,
                        Return.Status.IN_PROGRESS,
                        Return.Status.RETURNED,
                    ],
                    then=Value(0),
                ),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("overdue", "audit__returns_due", "case__pseudonym", "agency__name")
    )
