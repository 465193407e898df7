"""Reads of key events and queries on answers, scoped by who asks: a practitioner reaches
only their own agencies' events and queries (through returns_visible_to); the merged
chronology of a child is read for the business team only (findings.chronology)."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User

from .event_models import EventKind, KeyEvent
from .models import Answer, Audit, Return
from .query_models import AnswerQuery
from .selectors import returns_visible_to


def event_kinds_offered() -> QuerySet[EventKind]:
    return EventKind.objects.filter(active=True).order_by("order", "name")


def key_events_of_return(audit_return: Return) -> list[KeyEvent]:
    return list(audit_return.key_events.select_related("kind").order_by("when", "pk"))


def key_event_get_for_user(user: User, pk: int) -> KeyEvent:
    """404 unless the event's return is visible to the user."""
    return get_object_or_404(
        KeyEvent.objects.select_related("audit_return__audit", "audit_return__case", "kind"),
        pk=pk,
        audit_return__in=returns_visible_to(user),
    )


def key_events_of_child(audit: Audit, case_id: int) -> list[KeyEvent]:
    """Every agency's events for one child in one audit (the business team's merged view)."""
    return list(
        KeyEvent.objects.filter(audit_return__audit=audit, audit_return__case_id=case_id)
        .select_related("kind", "audit_return__agency")
        .order_by("when", "audit_return__agency__name", "pk")
    )


def queries_visible_to(user: User) -> QuerySet[AnswerQuery]:
    return AnswerQuery.objects.filter(audit_return__in=returns_visible_to(user))


def query_get_for_user(user: User, pk: int) -> AnswerQuery:
    return get_object_or_404(
        queries_visible_to(user).select_related(
            "answer__item",
            "audit_return__audit",
            "audit_return__case",
            "audit_return__agency",
            "raised_by",
            "replied_by",
        ),
        pk=pk,
    )


def answer_get_for_user(user: User, pk: int) -> Answer:
    """404 unless the answer's return is visible to the user."""
    return get_object_or_404(
        Answer.objects.select_related(
            "item", "audit_return__audit", "audit_return__case", "audit_return__agency"
        ),
        pk=pk,
        audit_return__in=returns_visible_to(user),
    )


def queries_by_item(audit_return: Return) -> dict[int, list[AnswerQuery]]:
    """item id -> the return's queries on that answer, newest first (one query)."""
    found: dict[int, list[AnswerQuery]] = {}
    for query in (
        AnswerQuery.objects.filter(audit_return=audit_return)
        .select_related("answer", "raised_by", "replied_by")
        .order_by("-raised_at", "-pk")
    ):
        found.setdefault(query.answer.item_id, []).append(query)
    return found


def open_query_counts(returns: QuerySet[Return] | list[Return]) -> dict[int, int]:
    """return id -> how many open queries it has (one query; returns without any are left out)."""
    rows = (
        AnswerQuery.objects.filter(audit_return__in=returns, status=AnswerQuery.Status.OPEN)
        .values("audit_return_id")
        .annotate(n=Count("pk", filter=Q(status=AnswerQuery.Status.OPEN)))
    )
    return {row["audit_return_id"]: row["n"] for row in rows}


def open_queries_for(user: User) -> list[AnswerQuery]:
    """A practitioner's agencies' open queries, for My returns (one query)."""
    return list(
        queries_visible_to(user)
        .filter(status=AnswerQuery.Status.OPEN)
        .select_related("answer__item", "audit_return__audit", "audit_return__case")
        .order_by("raised_at", "pk")
    )
