import logging
import os
import time

from celery import Celery
from celery.schedules import crontab
from celery.signals import celeryd_after_setup, heartbeat_sent

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "auditportal.settings")

# Every task knows its partnership (auditportal/tenant_tasks.py).
app = Celery("auditportal", task_cls="auditportal.tenant_tasks:PartnershipTask")
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
# Benchmarking shares, recomputed nightly per partnership (they also follow each publish).
app.conf.beat_schedule["findings-refresh-benchmark-shares"] = {
    "task": "findings.refresh_benchmark_shares",
    "schedule": crontab(hour=3, minute=15),
}


# Queues by urgency (settings: CELERY_TASK_QUEUES). Every task that sends e-mail, by its
# registered name, goes to the mail queue; renders, sweeps and purges stay on the default one.
# tests/auditportal/test_queues.py checks this against the registered tasks.
MAIL_TASKS = frozenset(
    {
        "audits.deliver_concern_alerts",
        "cases.send_invitation",
        "audits.notify_audit_opened",
        "audits.notify_return_assigned",
        "audits.notify_return_sent_back",
        "audits.send_return_reminders",
        "audits.send_overdue_summary",
        "findings.email_overdue_actions",
    }
)
WORKER_ROLES = ("default", "mail", "all")


def mail_queue() -> str:
    return f"{app.conf.task_default_queue}-mail"


def route_by_urgency(name, args, kwargs, options, task=None, **kw) -> dict | None:
    """Celery router (settings: CELERY_TASK_ROUTES): e-mail to the mail queue."""
    if name in MAIL_TASKS:
        queue = mail_queue()
        return {"queue": queue, "routing_key": queue}
    return None


def queues_for_role(role: str) -> list[str]:
    """The queues a worker of this role consumes (CELERY_WORKER_QUEUES)."""
    if role not in WORKER_ROLES:
        raise ValueError(f"CELERY_WORKER_QUEUES must be default, mail or all (got {role!r})")
    default = app.conf.task_default_queue
    return {"default": [default], "mail": [mail_queue()], "all": [default, mail_queue()]}[role]


# The queues this worker process consumes, for its heartbeat (empty outside a worker).
consumed_queues: list[str] = []


@celeryd_after_setup.connect
def consume_by_role(sender=None, instance=None, **kwargs) -> None:
    """A worker with CELERY_WORKER_QUEUES takes that role's queues (compose runs one worker per
    role); one started with `-Q` or without the variable keeps what Celery chose."""
    queues = instance.app.amqp.queues
    role = os.environ.get("CELERY_WORKER_QUEUES", "").strip()
    if role:
        queues.select(queues_for_role(role))
    consumed_queues[:] = sorted(queues.consume_from or queues)


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
        worker_heartbeat_record(queues=consumed_queues)
    except Exception as exc:
        logging.getLogger(__name__).warning("worker heartbeat not recorded: %s", exc)


@app.task(name="auditportal.ping", ignore_result=False)
def ping() -> str:
    """Round trip used by the worker integration test and health checks."""
    return "pong"
