"""Reads for findings, actions, sub-groups, engagement, quotes and resources.

Access is a query: the business team sees everything; practitioners see only the actions
their agencies own (never findings, quotes or engagement figures here); board members see
aggregate figures on the dashboard, not these pages.
"""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from auditportal.access import allowed, require
from auditportal.figures import Figure
from audits.models import Answer, Audit, QuestionSetItem, Return, Theme
from audits.selectors import audit_get_for_business_team, returns_visible_to
from cases.models import Agency
from surveys.models import Survey
from surveys.selectors import engagement_counts

from .models import Action, Engagement, Finding, Quote, Resource, SubGroup

# ---------------------------------------------------------------------------------------------
# Roles


def require_business_team(user: User) -> None:
    """The business team's pages without an object: everyone else is refused (403) before
    anything is loaded."""
    require(user, "findings.manage_findings")


def audit_get_for_business(user: User, pk: int) -> Audit:
    """An audit for a findings page: 404 when not visible, 403 when visible but not the
    business team's (the same answer as every business-team page of an audit)."""
    audit = audit_get_for_business_team(user, pk)
    require(user, "findings.manage_findings", audit)
    return audit


# ---------------------------------------------------------------------------------------------
# Findings


def findings_visible_to(user: User) -> QuerySet[Finding]:
    if user.is_business_team:
        return Finding.objects.all()
    return Finding.objects.none()


def finding_get_for_user(user: User, pk: int) -> Finding:
    require_business_team(user)
    return get_object_or_404(
        findings_visible_to(user).select_related("audit", "theme", "audit__question_set"), pk=pk
    )


def findings_of_audit(audit: Audit) -> QuerySet[Finding]:
    """In display order: strengths then developments, each grouped by theme (bank order)."""
    return (
        Finding.objects.filter(audit=audit)
        .select_related("theme")
        .prefetch_related(
            "agencies",
            Prefetch("source_returns", queryset=Return.objects.select_related("case", "agency")),
        )
        .order_by("kind", "order", "pk")
    )


@dataclass(frozen=True)
class ThemeGroup:
    theme: Theme
    findings: list[Finding]


def group_by_theme(findings: list[Finding]) -> list[ThemeGroup]:
    return [
        ThemeGroup(theme=theme, findings=list(items))
        for theme, items in groupby(findings, key=lambda f: f.theme)
    ]


def themes_for_audit(audit: Audit) -> tuple[list[Theme], list[Theme]]:
    """(themes asked by the audit's question set, the other active themes), each in bank
    order: the first are offered first when recording a finding."""
    used = Exists(
        QuestionSetItem.objects.filter(question_set_id=audit.question_set_id, theme=OuterRef("pk"))
    )
    themes = list(Theme.objects.annotate(used=used).filter(Q(used=True) | Q(active=True)))
    return [t for t in themes if t.used], [t for t in themes if not t.used]


def answer_get_for_promotion(user: User, pk: int) -> Answer:
    require_business_team(user)
    answers = Answer.objects.filter(audit_return__in=returns_visible_to(user)).select_related(
        "item__theme", "audit_return__audit", "audit_return__agency"
    )
    return get_object_or_404(answers, pk=pk)


# ---------------------------------------------------------------------------------------------
# Actions


def actions_visible_to(user: User) -> QuerySet[Action]:
    """Business team: every action. Practitioners: actions their agencies own."""
    if user.is_business_team:
        return Action.objects.all()
    if user.is_practitioner:
        return Action.objects.filter(owner_agency__in=Agency.objects.filter(memberships__user=user))
    return Action.objects.none()


def can_view_action_tracker(user: User) -> bool:
    return allowed(user, "findings.view_action_tracker")


def action_can_update_status(user: User, action: Action) -> bool:
    """The business team, or a lead practitioner of the agency that owns the action."""
    return allowed(user, "findings.update_action_status", action)


def action_get_for_user(user: User, pk: int, *, write: bool = False) -> Action:
    """write=True: editing the action itself (business team only)."""
    require(user, "findings.view_action_tracker")
    action = get_object_or_404(
        actions_visible_to(user).select_related("audit", "owner_agency", "owner_subgroup"), pk=pk
    )
    if write:
        require(user, "findings.edit_action", action)
    return action


def actions_of_audit(audit: Audit) -> QuerySet[Action]:
    return (
        Action.objects.filter(audit=audit)
        .select_related("owner_agency", "owner_subgroup")
        .prefetch_related("findings")
        .order_by("section", "due_date", "pk")
    )


def overdue_q(today: datetime.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(due_date__lt=today) & ~Q(status=Action.Status.DONE)


TRACKER_SORTS = {
    "due": ("due_date", "pk"),
    "-due": ("-due_date", "-pk"),
    "status": ("status", "due_date", "pk"),
    "audit": ("audit__title", "due_date", "pk"),
    "owner": ("owner_agency__name", "owner_subgroup__name", "due_date", "pk"),
}


def parse_owner(value: str) -> tuple[str, int] | None:
    """ "agency-3" -> ("agency", 3); "subgroup-2" -> ("subgroup", 2); anything else None."""
    kind, _, pk = (value or "").partition("-")
    if kind in {"agency", "subgroup"} and pk.isdigit():
        return kind, int(pk)
    return None


def action_tracker(
    user: User,
    *,
    owner: str = "",
    status: str = "",
    overdue: bool = False,
    search: str = "",
    sort: str = "due",
    today: datetime.date | None = None,
) -> QuerySet[Action]:
    """Actions across all audits, scoped to the user, filtered and sorted."""
    actions = actions_visible_to(user).select_related("audit", "owner_agency", "owner_subgroup")
    parsed = parse_owner(owner)
    if parsed and parsed[0] == "agency":
        actions = actions.filter(owner_agency_id=parsed[1])
    elif parsed:
        actions = actions.filter(owner_subgroup_id=parsed[1])
    if status in Action.Status.values:
        actions = actions.filter(status=status)
    if overdue:
        actions = actions.filter(overdue_q(today))
    search = (search or "").strip()
    if search:
        actions = actions.filter(
            Q(text__icontains=search)
            | Q(audit__title__icontains=search)
            | Q(completion_evidence__icontains=search)
        )
    return actions.order_by(*TRACKER_SORTS.get(sort, TRACKER_SORTS["due"]))


def owner_choices(user: User) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for the tracker's owner filter, limited to what the user may see."""
    if user.is_business_team:
        agencies = Agency.objects.all()
        subgroups = list(SubGroup.objects.values_list("pk", "name"))
    else:
        agencies = Agency.objects.filter(memberships__user=user)
        subgroups = []
    # Pairs, not model instances: the business team's list holds every agency and sub-group.
    groups = [
        ("Agencies", [(f"agency-{pk}", name) for pk, name in agencies.values_list("pk", "name")])
    ]
    if subgroups:
        groups.append(("Sub-groups", [(f"subgroup-{pk}", name) for pk, name in subgroups]))
    return groups


def overdue_actions(today: datetime.date | None = None) -> QuerySet[Action]:
    return (
        Action.objects.filter(overdue_q(today))
        .select_related("audit", "owner_agency", "owner_subgroup")
        .order_by("owner_agency_id", "owner_subgroup_id", "due_date", "pk")
    )


# ---------------------------------------------------------------------------------------------
# Sub-groups


def subgroups_visible_to(user: User) -> QuerySet[SubGroup]:
    require_business_team(user)
    return SubGroup.objects.all()


def subgroup_get_for_user(user: User, pk: int) -> SubGroup:
    return get_object_or_404(subgroups_visible_to(user), pk=pk)


# ---------------------------------------------------------------------------------------------
# Engagement and quotes


def engagement_of(audit: Audit) -> Engagement | None:
    return Engagement.objects.filter(audit=audit).first()


@dataclass(frozen=True)
class EngagementFigures:
    children: Figure
    parents: Figure
    from_surveys: bool = False


def engagement_figures(engagement: Engagement | None) -> EngagementFigures | None:
    """Response rates (responses / surveys shared, whole %, round half up) with counts."""
    if engagement is None:
        return None
    return EngagementFigures(
        children=Figure(
            "Children and young people", engagement.cyp_responses, engagement.cyp_shared
        ),
        parents=Figure("Parents and carers", engagement.parent_responses, engagement.parent_shared),
    )


def audit_engagement_figures(
    audit: Audit, *, typed: Engagement | None = None, typed_read: bool = False
) -> EngagementFigures | None:
    """The audit's engagement figures: counted from its surveys (codes issued, responses sent)
    once a survey has issued codes; otherwise the figures typed in on the engagement page
    (`typed`, when the caller has read them already: `typed_read`)."""
    counted = engagement_counts(audit)
    if counted is None:
        return engagement_figures(typed if typed_read else engagement_of(audit))
    children = counted.get(Survey.Audience.CHILDREN, (0, 0))
    parents = counted.get(Survey.Audience.PARENTS, (0, 0))
    return EngagementFigures(
        children=Figure("Children and young people", *children),
        parents=Figure("Parents and carers", *parents),
        from_surveys=True,
    )


def quotes_of_audit(audit: Audit) -> QuerySet[Quote]:
    return Quote.objects.filter(audit=audit).order_by("order", "pk")


def publishable(quotes: QuerySet[Quote]) -> QuerySet[Quote]:
    """Consented, and when made from a survey answer, approved after its anonymity edit."""
    return quotes.filter(consent=True).filter(
        Q(survey_answer__isnull=True) | Q(approved_at__isnull=False)
    )


def consented_quotes(audit: Audit) -> QuerySet[Quote]:
    """The only quotes a briefing may print."""
    return publishable(quotes_of_audit(audit))


def quote_get_for_user(user: User, pk: int) -> Quote:
    require_business_team(user)
    return get_object_or_404(Quote.objects.select_related("audit"), pk=pk)


# ---------------------------------------------------------------------------------------------
# Resources


def active_resources() -> QuerySet[Resource]:
    return Resource.objects.filter(active=True).order_by("kind", "title")


def resources_visible_to(user: User, *, search: str = "", kind: str = "") -> QuerySet[Resource]:
    """The whole library for the business team, active first; optionally searched (title,
    description, address) and filtered by kind."""
    require_business_team(user)
    resources = Resource.objects.order_by("-active", "kind", "title")
    if search:
        resources = resources.filter(
            Q(title__icontains=search) | Q(description__icontains=search) | Q(url__icontains=search)
        )
    if kind in Resource.Kind.values:
        resources = resources.filter(kind=kind)
    return resources


def resource_get_for_user(user: User, pk: int) -> Resource:
    return get_object_or_404(resources_visible_to(user), pk=pk)
