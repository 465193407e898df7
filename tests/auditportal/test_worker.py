import pytest

from auditportal.celery import app as celery_app


@pytest.mark.worker
def test_real_worker_runs_a_task_sent_through_redis(celery_worker_process):
    result = celery_app.send_task("auditportal.ping", queue=celery_worker_process["queue"])

    assert result.get(timeout=30) == "pong"
    assert "auditportal.ping" in celery_worker_process["log"].read_text()


def test_ping_task_runs_in_process_without_redis(settings):
    from auditportal.celery import ping

    assert ping.delay().get(timeout=5) == "pong"
