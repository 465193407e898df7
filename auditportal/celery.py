import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "auditportal.settings")

app = Celery("auditportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work (celery beat). Each entry names a task by its registered name.
app.conf.beat_schedule = {}


@app.task(name="auditportal.ping")
def ping() -> str:
    """Round trip used by the worker integration test and health checks."""
    return "pong"
