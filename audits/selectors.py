import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Case as CaseWhen
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from auditportal.access import require
from auditportal.figures import Figure
from cases.models import Agency, Case, CaseAgency, Membership

from .models import (
    Answer,
    Audit,
    CalendarFeed,
    ConcernAlert,
    ImmediateConcern,
    NotificationSent,
    Question,
    QuestionSet,
    QuestionSetItem,
    Return,
    SampleCase,
    Theme,
)


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


# --- Returns: single objects, permissions, progress matrix, concerns ------------------------


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


def audit_get_for_business_team(user: User, pk: int) -> Audit:
    """An audit for a business-team page: 404 when not visible at all, 403 when visible (a
    practitioner whose agency takes part) but not the business team's."""
    audit = get_object_or_404(audits_visible_to(user).select_related("question_set"), pk=pk)
    require(user, "audits.manage_programme", audit)
    return audit


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


# Audit programme, question bank and question sets (business team only) ----------------------


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


def audit_cases(audit: Audit) -> list:
    """The audit's cases with their agencies and record references (business team pages)."""
    from django.db.models import Prefetch

    # Only the involvements this audit samples: the child may have more from other audits.
    return list(
        audit.cases.order_by("pseudonym").prefetch_related(
            Prefetch(
                "involvements",
                queryset=CaseAgency.objects.filter(samples__audit=audit)
                .select_related("agency", "record_reference")
                .order_by("agency__name"),
            )
        )
    )


@dataclass(frozen=True)
class SpreadDimension:
    """The sample counted by one of its dimensions: a Figure per choice, over the sample."""

    field: str
    title: str
    rows: list[Figure]
    total: int


SPREAD_DIMENSIONS = [
    ("level_of_need", "Level of need", Case.LevelOfNeed.choices),
    ("age_band", "Age band", Case.AgeBand.choices),
    ("gender", "Gender", Case.Gender.choices),
    ("ethnicity", "Ethnicity", [*Case.Ethnicity.choices, ("", "Not given")]),
]


def sample_spread(cases: list[Case]) -> list[SpreadDimension]:
    """Counts of the sample by level of need, age band, gender and ethnicity (every choice
    listed, so gaps in the sample show as zeros; "Not given" only when some case has it)."""
    total = len(cases)
    spread = []
    for field, title, choices in SPREAD_DIMENSIONS:
        counts = Counter(getattr(case, field) for case in cases)
        rows = [
            Figure(label=label, count=counts.get(value, 0), denominator=total)
            for value, label in choices
            if value or counts.get(value)
        ]
        spread.append(SpreadDimension(field=field, title=title, rows=rows, total=total))
    return spread


def sample_case_get_for_business_team(user: User, audit_pk: int, case_pk: int) -> SampleCase:
    """The child in this audit's sample (404 when the child is not visible or not in the
    sample; 403 when visible, to a practitioner of an involved agency, but not theirs)."""
    from cases.selectors import cases_visible_to

    sample = get_object_or_404(
        SampleCase.objects.select_related("audit", "case"),
        case__in=cases_visible_to(user),
        audit_id=audit_pk,
        case_id=case_pk,
    )
    require(user, "audits.manage_programme", sample)
    return sample


def question_bank_themes(user: User, *, search: str = "") -> list[Theme]:
    """Every theme, retired ones too, each with its questions in order as `listed`. With a
    search, only what matches it (case-insensitive): a theme whose name matches keeps all its
    questions, any other only the questions whose text, guidance or options match. The bank
    is a few hundred questions at most, so the match is made on the two queries' rows."""
    if not user.is_business_team:
        return []
    from django.db.models import Prefetch

    themes = list(
        Theme.objects.order_by("order", "name").prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("order", "pk"))
        )
    )
    needle = search.casefold()
    shown = []
    for theme in themes:
        questions = list(theme.questions.all())
        if needle and needle not in theme.name.casefold():
            questions = [
                q
                for q in questions
                if needle in " ".join([q.text, q.help_text, *q.options]).casefold()
            ]
            if not questions:
                continue
        theme.listed = questions  # the matching questions, for the page
        shown.append(theme)
    return shown


def theme_get_for_business_team(user: User, pk: int) -> Theme:
    require(user, "audits.manage_programme")
    return get_object_or_404(Theme, pk=pk)


def question_get_for_business_team(user: User, pk: int) -> Question:
    require(user, "audits.manage_programme")
    return get_object_or_404(Question.objects.select_related("theme"), pk=pk)


def question_sets_visible_to(user: User, *, search: str = "") -> QuerySet[QuestionSet]:
    """Question sets with their counts; with a search, those whose name or description has it."""
    if not user.is_business_team:
        return QuestionSet.objects.none()
    sets = QuestionSet.objects.all()
    if search:
        sets = sets.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return sets.annotate(
        item_count=Count("items", distinct=True), audit_count=Count("audits", distinct=True)
    ).order_by("name", "-version")


def questionset_get_for_business_team(user: User, pk: int) -> QuestionSet:
    require(user, "audits.manage_programme")
    return get_object_or_404(QuestionSet, pk=pk)


def questionset_items_by_theme(question_set: QuestionSet) -> list[tuple[str, list]]:
    """The set's own copies of its questions, grouped by the theme name they were asked under."""
    groups: dict[str, list[QuestionSetItem]] = {}
    for item in question_set.items.order_by("order", "pk"):
        groups.setdefault(item.theme_name, []).append(item)
    return list(groups.items())


def calendar_feed_for(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first() if user.is_business_team else None
