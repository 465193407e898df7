"""Actions by status and overdue, for the dashboard and the board."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from auditportal.figures import Figure

from .shapes import BOARD_STATUSES

# Actions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionSummary:
    total: int
    by_status: list[Figure]
    overdue: Figure


def action_summary(*, for_board: bool = False) -> ActionSummary:
    """Actions by status and how many are overdue (not done, past their due date): one
    query. Board members see the actions of published and closed audits only."""
    from findings.models import Action

    actions = Action.objects.all()
    if for_board:
        actions = actions.filter(audit__status__in=BOARD_STATUSES)
    today = timezone.localdate()
    totals = actions.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(due_date__lt=today) & ~Q(status=Action.Status.DONE)),
        **{
            f"status_{value}": Count("pk", filter=Q(status=value))
            for value, _ in Action.Status.choices
        },
    )
    total = totals["total"]
    return ActionSummary(
        total=total,
        by_status=[
            Figure(label, totals[f"status_{value}"], total)
            for value, label in Action.Status.choices
        ],
        overdue=Figure("Overdue", totals["overdue"], total),
    )
