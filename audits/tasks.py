"""Thin Celery wrappers around audits.notifications and audits.reminders: ids in, safe to
run twice (every e-mail is keyed in NotificationSent), retried when the mail server fails."""

from typing import Any

from celery import shared_task

from auditportal.tenant_tasks import PerPartnershipTask

RETRY: dict[str, Any] = {"autoretry_for": (OSError,), "retry_backoff": 60, "max_retries": 5}


@shared_task(name="audits.notify_audit_opened", **RETRY)
def notify_audit_opened(*, audit_id: int) -> int:
    from audits.notifications import notify_audit_opened as notify

    return notify(audit_id=audit_id)


@shared_task(name="audits.notify_return_assigned", **RETRY)
def notify_return_assigned(*, return_id: int, event_id: int) -> bool:
    from audits.notifications import notify_return_assigned as notify

    return notify(return_id=return_id, event_id=event_id)


@shared_task(name="audits.notify_return_sent_back", **RETRY)
def notify_return_sent_back(*, return_id: int, event_id: int) -> int:
    from audits.notifications import notify_return_sent_back as notify

    return notify(return_id=return_id, event_id=event_id)


@shared_task(name="audits.deliver_concern_alerts")
def deliver_concern_alerts(*, concern_id: int, attempt: int = 1) -> int:
    """Immediate-concern alerts still to go; retried through the outbox, not Celery's retry,
    so a retry is not lost while Redis is away."""
    from audits.notifications import concern_alerts_deliver

    return concern_alerts_deliver(concern_id=concern_id, attempt=attempt)


@shared_task(name="audits.send_return_reminders", base=PerPartnershipTask, **RETRY)
def send_return_reminders() -> int:
    """Daily (celery beat): reminders before the due date, then overdue notices."""
    from audits.reminders import send_due_reminders, send_overdue_notices

    return send_due_reminders() + send_overdue_notices()


@shared_task(name="audits.send_overdue_summary", base=PerPartnershipTask, **RETRY)
def send_overdue_summary() -> int:
    """Weekly (celery beat): the business team's summary of every audit's overdue returns."""
    from audits.reminders import send_overdue_summary as send

    return send()


@shared_task(name="audits.purge_expired", base=PerPartnershipTask)
def purge_expired_task() -> int:
    """Daily (celery beat): purge record references and draft data past retention."""
    from audits.retention import purge_expired

    return len(purge_expired())
