"""Reads of immediate concerns and their alerts."""

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from auditportal.access import require
from audits.models import Audit, ConcernAlert, ImmediateConcern


def concerns_visible_to(user: User) -> QuerySet[ImmediateConcern]:
    """The business team sees every concern; a practitioner those raised in their agencies'
    returns only."""
    if user.is_business_team:
        return ImmediateConcern.objects.all()
    if user.is_practitioner:
        return ImmediateConcern.objects.filter(audit_return__agency__memberships__user=user)
    return ImmediateConcern.objects.none()


def concerns_with_failing_alerts(user: User) -> list[ImmediateConcern]:
    """For the business team's banner: concerns with an alert that was tried and has not gone
    (retrying, or given up). One query."""
    if not user.is_business_team:
        return []
    failing = ConcernAlert.objects.filter(attempts__gt=0).exclude(status=ConcernAlert.Status.SENT)
    return list(
        ImmediateConcern.objects.filter(pk__in=failing.values("concern_id"))
        .select_related("audit", "audit_return__agency")
        .order_by("-raised_at")
    )


def concern_alerts_of(concern: ImmediateConcern) -> list[ConcernAlert]:
    return list(concern.alerts.order_by("pk"))


def concern_get_for_user(user: User, pk: int, *, write: bool = False) -> ImmediateConcern:
    concern = get_object_or_404(
        concerns_visible_to(user).select_related(
            "audit",
            "audit_return",
            "audit_return__agency",
            "audit_return__case",
            "raised_by",
            "resolved_by",
        ),
        pk=pk,
    )
    if write:
        require(user, "audits.manage_concern", concern.audit_return)
    return concern


def audit_concerns_for(user: User, audit: Audit) -> list[ImmediateConcern]:
    """Concerns of one audit the user may see, open ones first."""
    return list(
        concerns_visible_to(user)
        .filter(audit=audit)
        .select_related("audit_return__agency", "raised_by", "resolved_by")
        .order_by(F("resolved_at").asc(nulls_first=True), "-raised_at")
    )
