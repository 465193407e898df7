"""Reads of audits: who sees which, the programme and its calendar, who was told of an opening."""

import datetime
from dataclasses import dataclass

from django.db.models import Case as CaseWhen
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.models import User
from auditportal.access import require
from audits.models import Audit, CalendarFeed, NotificationSent, SampleCase
from cases.models import Agency, Membership


def audits_visible_to(user: User) -> QuerySet[Audit]:
    """The business team sees the whole programme; practitioners see audits their agencies
    have returns in; board members see audits only through published briefings."""
    if user.is_business_team:
        return Audit.objects.all()
    if user.is_practitioner:
        return Audit.objects.filter(returns__agency__memberships__user=user).distinct()
    return Audit.objects.none()


def audit_get_for_business_team(user: User, pk: int) -> Audit:
    """An audit for a business-team page: 404 when not visible at all, 403 when visible (a
    practitioner whose agency takes part) but not the business team's."""
    audit = get_object_or_404(audits_visible_to(user).select_related("question_set"), pk=pk)
    require(user, "audits.manage_programme", audit)
    return audit


PROGRAMME_ACTIVE_STATUSES = [Audit.Status.PLANNED, Audit.Status.OPEN, Audit.Status.MODERATION]


PROGRAMME_ORDER: list[OrderBy | str] = [
    CaseWhen(
        *[When(status=value, then=Value(rank)) for rank, value in enumerate(Audit.Status.values)],
        output_field=IntegerField(),
    ).asc(),
    CaseWhen(When(status__in=PROGRAMME_ACTIVE_STATUSES, then=F("returns_open"))).asc(
        nulls_last=True
    ),
    F("returns_open").desc(),
    "title",
    "pk",
]


@dataclass
class AgencyTold:
    agency: Agency
    names: list[str]


def audit_opening_told(audit: Audit) -> list[AgencyTold]:
    """Who the opening e-mail went to (audits.notifications.notify_audit_opened), by involved
    agency, names in alphabetical order; an agency nobody was told about shows with none.
    Two queries: the involved agencies, and the memberships of the people e-mailed."""
    agencies = list(Agency.objects.filter(returns__audit=audit).distinct().order_by("name"))
    told = NotificationSent.objects.filter(
        key__startswith=f"opened:{audit.pk}:", recipient__isnull=False
    ).values("recipient_id")
    names: dict[int, list[str]] = {agency.pk: [] for agency in agencies}
    memberships = (
        Membership.objects.filter(agency__in=agencies, user_id__in=told)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    for membership in memberships:
        names[membership.agency_id].append(str(membership.user))
    return [AgencyTold(agency=agency, names=names[agency.pk]) for agency in agencies]


def programme_audits(user: User, *, search: str = "") -> QuerySet[Audit]:
    """The programme: audits by status, those still to run soonest first and finished ones
    newest first, with their question set and case count in one query."""
    audits = audits_visible_to(user) if user.is_business_team else Audit.objects.none()
    if search:
        audits = audits.filter(
            Q(title__icontains=search)
            | Q(priority__icontains=search)
            | Q(key_question__icontains=search)
        )
    # A correlated count: PostgreSQL works it out for the page of audits shown, where a join
    # and GROUP BY would count the cases of every audit before the page is cut.
    case_count = (
        SampleCase.objects.filter(audit=OuterRef("pk"))
        .order_by()
        .values("audit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        audits.select_related("question_set")
        .annotate(case_count=Coalesce(Subquery(case_count, output_field=IntegerField()), 0))
        .order_by(*PROGRAMME_ORDER)
    )


def audits_with_dates_between(
    user: User, start: datetime.date, end: datetime.date
) -> QuerySet[Audit]:
    """Audits with any programme date (returns open or due, moderation, briefing) in range."""
    if not user.is_business_team:
        return Audit.objects.none()
    return (
        audits_visible_to(user)
        .filter(
            Q(returns_open__range=(start, end))
            | Q(returns_due__range=(start, end))
            | Q(moderation_date__range=(start, end))
            | Q(briefing_due__range=(start, end))
        )
        .order_by("returns_open", "title")
    )


def calendar_feed_for(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first() if user.is_business_team else None
