import logging
import os
import time

from celery import Celery
from celery.schedules import crontab
from celery.signals import heartbeat_sent

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "auditportal.settings")

app = Celery("auditportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work (celery beat). Each entry names a task by its registered name.
app.conf.beat_schedule = {}
# Returns: reminders before the due date and daily overdue notices (each e-mail sent once).
app.conf.beat_schedule["audits-return-reminders"] = {
    "task": "audits.send_return_reminders",
    "schedule": crontab(hour=7, minute=30),
}
# The business team's weekly summary of overdue returns, Monday mornings (once per ISO week).
app.conf.beat_schedule["audits-overdue-summary"] = {
    "task": "audits.send_overdue_summary",
    "schedule": crontab(day_of_week="mon", hour=7, minute=45),
}
# Briefing PDFs left queued or rendering (a lost message, a killed worker) are sent again.
app.conf.beat_schedule["briefings-sweep-stuck-renders"] = {
    "task": "briefings.sweep_stuck_renders",
    "schedule": 300.0,
}
# Retention: purge record references and draft data of audits closed past the retention period.
app.conf.beat_schedule["audits-purge-expired"] = {
    "task": "audits.purge_expired",
    "schedule": crontab(hour=2, minute=30),
}
# Overdue actions: one email per owner to its lead, Monday mornings (once per ISO week).
app.conf.beat_schedule["findings-email-overdue-actions"] = {
    "task": "findings.email_overdue_actions",
    "schedule": crontab(day_of_week="mon", hour=7, minute=0),
}


_last_heartbeat = [0.0]


@heartbeat_sent.connect
def record_worker_heartbeat(sender=None, **kwargs) -> None:
    """Celery's worker sends an event heartbeat every 2 seconds; every few of them also go to
    Redis, where the readiness check looks (auditportal/health.py). Never fails the worker."""
    from auditportal.health import WORKER_HEARTBEAT_EVERY, worker_heartbeat_record

    now = time.monotonic()
    if now - _last_heartbeat[0] < WORKER_HEARTBEAT_EVERY:
        return
    _last_heartbeat[0] = now
    try:
        worker_heartbeat_record()
    except Exception as exc:
        logging.getLogger(__name__).warning("worker heartbeat not recorded: %s", exc)


@app.task(name="auditportal.ping", ignore_result=False)
def ping() -> str:
    """Round trip used by the worker integration test and health checks."""
    return "pong"
