"""Reminders before returns are due, daily overdue notices, and the business team's weekly
overdue summary. Every outstanding return reaches someone:

1. its assignee and its agency's lead practitioners (leads hear about every outstanding
   return of their agency: they can reassign);
2. with neither, the agency's safeguarding lead address;
3. with none of those, the business team, who can assign it or give the agency a lead.

Each e-mail is sent once per event (audits.notifications.send_once) and counts its own returns.
No e-mail names a child: audits, agencies and numbers only.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.models import Agency, Membership, Partnership

from .models import Audit, Return
from .notifications import absolute_url, send_once
from .selectors import OUTSTANDING_RETURN_STATUSES


@dataclass
class AuditRoute:
    """Who hears about which outstanding returns of one audit."""

    audit: Audit
    people: dict[int, list[Return]] = field(default_factory=lambda: defaultdict(list))
    addresses: dict[int, list[Return]] = field(default_factory=lambda: defaultdict(list))
    unrouted: list[Return] = field(default_factory=list)
    # agency id -> how each of its returns is routed: "assigned", "leads", "address", "nobody"
    routes: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))


def route_outstanding(returns) -> list[AuditRoute]:
    """Group outstanding returns by audit and by who should hear (three queries: returns with
    their audit, agency and assignee; the agencies' leads)."""
    returns = list(returns.select_related("audit", "agency", "assignee"))
    leads: dict[int, set[int]] = defaultdict(set)
    for agency_id, user_id in Membership.objects.filter(
        agency_id__in={r.agency_id for r in returns}, is_lead=True, user__is_active=True
    ).values_list("agency_id", "user_id"):
        leads[agency_id].add(user_id)
    routes: dict[int, AuditRoute] = {}
    for audit_return in returns:
        route = routes.setdefault(audit_return.audit_id, AuditRoute(audit=audit_return.audit))
        people = set(leads[audit_return.agency_id])
        assignee = audit_return.assignee
        if assignee is not None and assignee.is_active:
            people.add(assignee.pk)
        if people:
            for user_id in people:
                route.people[user_id].append(audit_return)
            kind = "assigned" if assignee is not None and assignee.is_active else "leads"
        elif audit_return.agency.safeguarding_lead_email:
            route.addresses[audit_return.agency_id].append(audit_return)
            kind = "address"
        else:
            route.unrouted.append(audit_return)
            kind = "nobody"
        route.routes[audit_return.agency_id].append(kind)
    return sorted(routes.values(), key=lambda r: (r.audit.returns_due, r.audit.title, r.audit.pk))


def _returns(count: int) -> str:
    return f"{count} return{'' if count == 1 else 's'}"


def _is(count: int) -> str:
    return "is" if count == 1 else "are"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def count_sentence(*, user_id: int, returns: list[Return], state: str) -> str:
    """ "1 return assigned to you is overdue." or "3 returns of your agency are overdue: 1
    assigned to you, 1 assigned to a colleague and 1 not assigned to anyone." """
    count = len(returns)
    yours = sum(1 for r in returns if r.assignee_id == user_id)
    if yours == count:
        return f"{_returns(count)} assigned to you {_is(count)} {state}."
    unassigned = sum(1 for r in returns if r.assignee_id is None)
    colleagues = count - yours - unassigned
    parts = []
    if yours:
        parts.append(f"{yours} assigned to you")
    if colleagues:
        parts.append(
            f"{colleagues} assigned to {'a colleague' if colleagues == 1 else 'colleagues'}"
        )
    if unassigned:
        parts.append(f"{unassigned} not assigned to anyone")
    agencies = "your agency" if len({r.agency_id for r in returns}) == 1 else "your agencies"
    return f"{_returns(count)} of {agencies} {_is(count)} {state}: {_and(parts)}."


def _business_team() -> list[User]:
    return list(User.objects.filter(role=User.Role.BUSINESS, is_active=True).order_by("pk"))


def _send_route(route: AuditRoute, *, kind: str, key_suffix: str, subject: str, state: str) -> int:
    """Every e-mail of one audit's routed returns: people, agency addresses, business team."""
    audit = route.audit
    context = {"audit": audit, "overdue": kind == "overdue", "state": state}
    my_returns = absolute_url(reverse("audits:my-returns"))
    sent = 0
    users = User.objects.in_bulk(list(route.people))
    for user_id, user_returns in sorted(route.people.items()):
        user = users.get(user_id)
        if user is None or not user.is_active:
            continue
        sent += send_once(
            key=f"{kind}:{audit.pk}:{key_suffix}:{user_id}",
            to=user.email,
            recipient=user,
            subject=subject,
            template=f"audits/email/{kind}.txt",
            context={
                **context,
                "count": len(user_returns),
                "summary": count_sentence(user_id=user_id, returns=user_returns, state=state),
                "url": my_returns,
            },
        )
    for agency_id, agency_returns in sorted(route.addresses.items()):
        agency = agency_returns[0].agency
        sent += send_once(
            key=f"{kind}:{audit.pk}:{key_suffix}:agency:{agency_id}",
            to=agency.safeguarding_lead_email,
            subject=subject,
            template="audits/email/returns_agency_address.txt",
            context={**context, "agency": agency, "count": len(agency_returns)},
        )
    if route.unrouted:
        by_agency: dict[int, list[Return]] = defaultdict(list)
        for audit_return in route.unrouted:
            by_agency[audit_return.agency_id].append(audit_return)
        lines = [
            f"{rows[0].agency.name}: {_returns(len(rows))}"
            for rows in sorted(by_agency.values(), key=lambda rows: rows[0].agency.name)
        ]
        progress = absolute_url(reverse("audits:progress", args=[audit.pk]))
        for user in _business_team():
            sent += send_once(
                key=f"{kind}:{audit.pk}:{key_suffix}:unrouted:{user.pk}",
                to=user.email,
                recipient=user,
                subject=subject,
                template="audits/email/returns_unrouted.txt",
                context={**context, "lines": lines, "url": progress},
            )
    return sent


def send_due_reminders(*, today: datetime.date | None = None) -> int:
    """Returns due within the partnership's reminder window: one reminder per audit, due date
    and recipient (a changed due date earns a new reminder)."""
    today = today or timezone.localdate()
    window = Partnership.load().reminder_days_before_due
    returns = Return.objects.filter(
        audit__status=Audit.Status.OPEN,
        status__in=OUTSTANDING_RETURN_STATUSES,
        audit__returns_due__gte=today,
        audit__returns_due__lte=today + datetime.timedelta(days=window),
    )
    sent = 0
    for route in route_outstanding(returns):
        due = route.audit.returns_due
        sent += _send_route(
            route,
            kind="reminder",
            key_suffix=due.isoformat(),
            subject=f"Returns due {due:%d %b %Y}: {route.audit.title}",
            state="not submitted yet",
        )
    return sent


def _overdue_returns(today: datetime.date):
    return Return.objects.filter(
        audit__status=Audit.Status.OPEN,
        status__in=OUTSTANDING_RETURN_STATUSES,
        audit__returns_due__lt=today,
    )


def send_overdue_notices(*, today: datetime.date | None = None) -> int:
    """Outstanding returns past their due date: one notice a day per audit and recipient."""
    today = today or timezone.localdate()
    sent = 0
    for route in route_outstanding(_overdue_returns(today)):
        sent += _send_route(
            route,
            kind="overdue",
            key_suffix=today.isoformat(),
            subject=f"Returns overdue: {route.audit.title}",
            state="overdue",
        )
    return sent


ROUTE_WORDS = {
    "assigned": "assigned",
    "leads": "unassigned: the agency lead hears",
    "address": "unassigned, no agency lead: the safeguarding lead address hears",
    "nobody": "reach nobody in the agency: assign them",
}


def _agency_line(agency: Agency, kinds: list[str]) -> str:
    counts = {kind: kinds.count(kind) for kind in ROUTE_WORDS if kind in kinds}
    if len(counts) == 1:
        (kind,) = counts
        how = ROUTE_WORDS[kind]
    else:
        how = "; ".join(f"{n} {ROUTE_WORDS[kind]}" for kind, n in counts.items())
    return f"{agency.name}: {len(kinds)} ({how})"


@dataclass(frozen=True)
class OverdueAudit:
    audit: Audit
    count: int
    lines: list[str]
    url: str


def overdue_summary(*, today: datetime.date) -> list[OverdueAudit]:
    """Each open audit with overdue returns: how many, and per agency how they are routed."""
    summary = []
    for route in route_outstanding(_overdue_returns(today)):
        agencies = {}
        for rows in (*route.people.values(), *route.addresses.values(), route.unrouted):
            for audit_return in rows:
                agencies[audit_return.agency_id] = audit_return.agency
        lines = [
            _agency_line(agency, route.routes[agency.pk])
            for agency in sorted(agencies.values(), key=lambda a: a.name)
        ]
        summary.append(
            OverdueAudit(
                audit=route.audit,
                count=sum(len(kinds) for kinds in route.routes.values()),
                lines=lines,
                url=absolute_url(reverse("audits:progress", args=[route.audit.pk])),
            )
        )
    return summary


def send_overdue_summary(*, today: datetime.date | None = None) -> int:
    """Weekly (celery beat, Monday): each business-team member gets one e-mail listing every
    open audit's overdue returns, once per ISO week. Nothing is sent when none are overdue."""
    today = today or timezone.localdate()
    audits = overdue_summary(today=today)
    if not audits:
        return 0
    total = sum(item.count for item in audits)
    year, week, _ = today.isocalendar()
    audit_count = f"{len(audits)} audit{'' if len(audits) == 1 else 's'}"
    subject = f"Overdue returns this week: {total} in {audit_count}"
    sent = 0
    for user in _business_team():
        sent += send_once(
            key=f"overdue_summary:{year}-W{week:02d}:{user.pk}",
            to=user.email,
            recipient=user,
            subject=subject,
            template="audits/email/overdue_summary.txt",
            context={"audits": audits, "today": today, "total": total},
        )
    return sent
