"""Reads of returns: who sees which, My returns, one return's questions and answers, progress."""

from django.db.models import Case as CaseWhen
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from auditportal.access import require
from audits.models import Answer, Audit, QuestionSetItem, Return
from cases.models import CaseAgency


def returns_visible_to(user: User) -> QuerySet[Return]:
    """Practitioners see their own agencies' returns only, never another agency's."""
    if user.is_business_team:
        return Return.objects.all()
    if user.is_practitioner:
        return Return.objects.filter(agency__memberships__user=user)
    return Return.objects.none()


OUTSTANDING_RETURN_STATUSES = (
    Return.Status.NOT_STARTED,
    Return.Status.IN_PROGRESS,
    Return.Status.RETURNED,
)


def my_returns(user: User) -> QuerySet[Return]:
    """A practitioner's returns and their agencies' returns in open audits, overdue first, then
    by due date; and, closed, those not submitted when their audit moved to moderation (so they
    do not vanish without a word: the page says why, and whom to ask)."""
    today = timezone.localdate()
    return (
        returns_visible_to(user)
        .filter(
            Q(audit__status=Audit.Status.OPEN)
            | Q(audit__status=Audit.Status.MODERATION, status__in=OUTSTANDING_RETURN_STATUSES)
        )
        .select_related("audit", "audit__created_by", "case", "agency", "assignee")
        .annotate(
            overdue=CaseWhen(
                When(
                    audit__status=Audit.Status.OPEN,
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


def return_get_for_user(user: User, pk: int, *, write: bool = False) -> Return:
    """A return the user may see (404 otherwise); with write=True also one they may answer
    (403 when visible but read-only to them)."""
    audit_return = get_object_or_404(
        returns_visible_to(user).select_related(
            "audit", "audit__question_set", "case", "agency", "assignee"
        ),
        pk=pk,
    )
    if write:
        require(user, "audits.answer_return", audit_return)
    return audit_return


def return_involvement(audit_return: Return) -> CaseAgency | None:
    """The case × agency link holding this agency's record reference."""
    return CaseAgency.objects.filter(
        case_id=audit_return.case_id, agency_id=audit_return.agency_id
    ).first()


def return_items(audit_return: Return) -> list[QuestionSetItem]:
    """The frozen questions of the return's audit, in order."""
    return list(
        QuestionSetItem.objects.filter(question_set_id=audit_return.audit.question_set_id).order_by(
            "order", "pk"
        )
    )


def return_answers(audit_return: Return) -> dict[int, Answer]:
    """Saved answers by question-set item id, with their checklist ticks."""
    return {
        answer.item_id: answer
        for answer in Answer.objects.filter(audit_return=audit_return).prefetch_related("ticks")
    }


def agency_members(agency_id: int) -> QuerySet[User]:
    """Practitioners who may be assigned an agency's returns."""
    return User.objects.filter(
        memberships__agency_id=agency_id, role=User.Role.PRACTITIONER, is_active=True
    ).order_by("last_name", "first_name", "username")


def my_returns_filtered(
    user: User, *, scope: str = "", status: str = "", query: str = ""
) -> QuerySet[Return]:
    """My returns with the page's filters: scope "mine" (assigned to me) or "agency" (my
    agencies' returns assigned to someone else or nobody), a status, and a search of audit
    title or case pseudonym."""
    returns = my_returns(user)
    if scope == "mine":
        returns = returns.filter(assignee=user)
    elif scope == "agency":
        returns = returns.exclude(assignee=user)
    if status == "overdue":
        # `overdue` is my_returns' annotation, which the QuerySet[Return] type does not carry.
        returns = returns.filter(overdue=0)  # type: ignore[misc]
    elif status in Return.Status.values:
        returns = returns.filter(status=status)
    if query:
        returns = returns.filter(
            Q(audit__title__icontains=query) | Q(case__pseudonym__icontains=query)
        )
    return returns


def my_returns_counts(user: User) -> dict[str, int]:
    """Counts for the My returns page, in one query."""
    today = timezone.localdate()
    outstanding = Q(status__in=OUTSTANDING_RETURN_STATUSES)
    return (
        returns_visible_to(user)
        .filter(audit__status=Audit.Status.OPEN)
        .aggregate(
            total=Count("pk"),
            mine=Count("pk", filter=Q(assignee=user)),
            outstanding=Count("pk", filter=outstanding),
            overdue=Count("pk", filter=outstanding & Q(audit__returns_due__lt=today)),
            submitted=Count("pk", filter=Q(status=Return.Status.SUBMITTED)),
            returned=Count("pk", filter=Q(status=Return.Status.RETURNED)),
        )
    )


def progress_returns(audit: Audit, *, agency_id: int | None = None, status: str = "") -> list:
    """Every return of an audit with its case, agency and assignee, in one query."""
    returns = Return.objects.filter(audit=audit).select_related("case", "agency", "assignee")
    if agency_id:
        returns = returns.filter(agency_id=agency_id)
    if status == "overdue":
        returns = returns.filter(
            status__in=OUTSTANDING_RETURN_STATUSES, audit__returns_due__lt=timezone.localdate()
        )
    elif status in Return.Status.values:
        returns = returns.filter(status=status)
    return list(returns.order_by("case__pseudonym", "agency__name"))
