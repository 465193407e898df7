"""Thin Celery wrappers around briefings.services; ids only, safe to run twice."""

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import OperationalError

from auditportal.tenant_tasks import PerPartnershipTask


@shared_task(
    name="briefings.render_pdf",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError, OperationalError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=4,
    soft_time_limit=settings.BRIEFING_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.BRIEFING_RENDER_TIME_LIMIT,
)
def render_pdf(self, version_id: int) -> str | None:
    from .services import version_render_pdf

    version = version_render_pdf(
        version_id=version_id,
        final_attempt=self.request.retries >= self.max_retries,
        worker=self.request.hostname or "",
    )
    return version.status if version is not None else None


@shared_task(name="briefings.sweep_stuck_renders", base=PerPartnershipTask, acks_late=True)
def sweep_stuck_renders() -> int:
    from .services import versions_sweep_stuck

    return len(versions_sweep_stuck())


@worker_ready.connect(dispatch_uid="briefings_requeue_renders_in_flight")
def requeue_renders_in_flight(sender=None, **kwargs) -> None:
    """A worker starting again (after a crash or kill): what it was rendering is sent again."""
    from .services import versions_requeue_from_worker

    hostname = getattr(sender, "hostname", "") or ""
    if hostname:
        versions_requeue_from_worker(worker=hostname)
