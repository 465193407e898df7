"""Celery tasks of the findings app: thin wrappers around services."""

from celery import shared_task

from auditportal.tenant_tasks import PerPartnershipTask


@shared_task(name="findings.email_overdue_actions", base=PerPartnershipTask)
def email_overdue_actions() -> int:
    """Weekly (celery beat): each owner's lead gets one email listing its overdue actions.
    Safe to run twice: a NotificationSent key per owner and ISO week stops repeats."""
    from findings.services import overdue_actions_notify

    return overdue_actions_notify()


@shared_task(name="findings.render_child_summary", acks_late=True)
def render_child_summary(summary_id: int) -> str | None:
    """Render a child summary PDF (the worker); safe to run twice."""
    from findings.child_summary import child_summary_render

    summary = child_summary_render(summary_id=summary_id)
    return summary.status if summary is not None else None


@shared_task(name="findings.refresh_benchmark_shares", base=PerPartnershipTask)
def refresh_benchmark_shares() -> int:
    """Nightly (celery beat), once per active partnership: recompute its benchmarking shares
    from its own answers (a safety net: they are refreshed when an audit is published or
    closed, and when the partnership opts in). Safe to run twice."""
    from auditportal.tenancy import current_partnership_id
    from findings.services import benchmark_shares_refresh

    partnership_id = current_partnership_id()
    if partnership_id is None:
        return 0
    return benchmark_shares_refresh(partnership_id=partnership_id)
