import os

from celery import Celery
from celery.schedules import crontab

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
# Briefing PDFs left queued or rendering (a lost message, a killed worker) are sent again.
app.conf.beat_schedule["briefings-sweep-stuck-renders"] = {
    "task": "briefings.sweep_stuck_renders",
    "schedule": 300.0,
}
# Retention: purge record references and draft data of audits closed past the retention period.
app.conf.beat_schedule["cases-purge-expired"] = {
    "task": "cases.purge_expired",
    "schedule": crontab(hour=2, minute=30),
}
# Overdue actions: one email per owner to its lead, Monday mornings (once per ISO week).
app.conf.beat_schedule["findings-email-overdue-actions"] = {
    "task": "findings.email_overdue_actions",
    "schedule": crontab(day_of_week="mon", hour=7, minute=0),
}


@app.task(name="auditportal.ping", ignore_result=False)
def ping() -> str:
    """Round trip used by the worker integration test and health checks."""
    return "pong"
