"""Celery tasks of the findings app: thin wrappers around services."""

from celery import shared_task

from auditportal.tenant_tasks import PerPartnershipTask


@shared_task(name="findings.email_overdue_actions", base=PerPartnershipTask)
def email_overdue_actions() -> int:
    """Weekly (celery beat): each owner's lead gets one email listing its overdue actions.
    Safe to run twice: a NotificationSent key per owner and ISO week stops repeats."""
    from findings.services import overdue_actions_notify

    return overdue_actions_notify()
