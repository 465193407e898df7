"""Queues by urgency: every e-mail task goes to the mail queue, renders and the rest to the
default one, and a worker takes the queues of its role (bin/start-worker default | mail | all),
so a burst of renders never delays an immediate-concern alert."""

import re
import uuid
from pathlib import Path

import pytest

from auditportal import celery as celery_module
from auditportal.celery import app as celery_app

from ..queue import broker_at
from ..workers import need, process_env, start, stop, wait_for


def registered_tasks() -> set[str]:
    celery_app.loader.import_default_modules()
    return {name for name in celery_app.tasks if not name.startswith("celery.")}


def queue_of(name: str) -> str:
    return celery_module.route_by_urgency(name, (), {}, {}) or {"queue": "default"}


def test_every_mail_task_is_a_registered_task():
    assert registered_tasks() >= celery_module.MAIL_TASKS


def test_e_mail_tasks_go_to_the_mail_queue_and_the_rest_to_the_default_queue(settings):
    mail = {"queue": settings.MAIL_QUEUE, "routing_key": settings.MAIL_QUEUE}

    assert queue_of("audits.deliver_concern_alerts") == mail
    assert queue_of("audits.send_return_reminders") == mail
    assert queue_of("findings.email_overdue_actions") == mail
    assert queue_of("briefings.render_pdf") == {"queue": "default"}
    assert {name for name in registered_tasks() if queue_of(name) == mail} == set(
        celery_module.MAIL_TASKS
    )


def test_the_router_follows_the_queue_a_test_or_deployment_names():
    with broker_at("memory://", queue="partnership-7"):
        assert queue_of("audits.deliver_concern_alerts")["queue"] == "partnership-7-mail"


def test_a_worker_role_names_its_queues(settings):
    default, mail = settings.CELERY_TASK_DEFAULT_QUEUE, settings.MAIL_QUEUE

    assert celery_module.queues_for_role("default") == [default]
    assert celery_module.queues_for_role("mail") == [mail]
    assert celery_module.queues_for_role("all") == [default, mail]
    with pytest.raises(ValueError, match="default, mail or all"):
        celery_module.queues_for_role("renders")


def test_start_worker_refuses_an_unknown_role():
    import subprocess

    result = subprocess.run(
        ["bin/start-worker", "urgent"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 2
    assert "must be default, mail or all (got 'urgent')" in result.stderr


def ran(log: Path, task: str) -> bool:
    """The worker's log says it ran `task` (its banner lists every registered task by name)."""
    return bool(
        re.search(rf"{re.escape(task)}\[[^]]+\] succeeded", log.read_text(errors="replace"))
    )


def received(log: Path, task: str) -> bool:
    return bool(re.search(rf"{re.escape(task)}\[[^]]+\] received", log.read_text(errors="replace")))


@pytest.mark.worker
def test_the_render_worker_leaves_e_mail_to_the_mail_worker(transactional_db, settings, tmp_path):
    """bin/start-worker default runs a default-queue task and leaves an e-mail task queued;
    bin/start-worker mail then runs it (and nothing of the default queue)."""
    need(
        bool(settings.REDIS_URL) and settings.IS_POSTGRES,
        "REDIS_URL and a PostgreSQL DATABASE_URL for worker tests",
    )
    queue = f"test-{uuid.uuid4().hex[:10]}"
    env = process_env(redis_url=settings.REDIS_URL, queue=queue, media_root=str(tmp_path))
    logs = {role: tmp_path / f"{role}.log" for role in ("default", "mail")}
    processes = []
    summary = "audits.send_overdue_summary"
    try:
        with broker_at(settings.REDIS_URL, queue=queue):
            processes.append(start(["bin/start-worker", "default"], env=env, log=logs["default"]))
            wait_for(
                lambda: " ready." in logs["default"].read_text(errors="replace"),
                timeout=90,
                what="the render worker's start",
                process=processes[0],
                log=logs["default"],
            )
            celery_app.send_task(summary)
            celery_app.send_task("auditportal.ping")
            wait_for(
                lambda: ran(logs["default"], "auditportal.ping"),
                timeout=30,
                what="the render worker's run of a default-queue task",
                log=logs["default"],
            )
            assert not received(logs["default"], summary)

            processes.append(start(["bin/start-worker", "mail"], env=env, log=logs["mail"]))
            wait_for(
                lambda: ran(logs["mail"], summary),
                timeout=90,
                what="the mail worker's run of the waiting e-mail task",
                process=processes[1],
                log=logs["mail"],
            )
    finally:
        for process in processes:
            stop(process)

    banner_queues = re.findall(r"\.> (\S+)\s+exchange=", logs["mail"].read_text())
    assert banner_queues == [f"{queue}-mail"]
    assert not received(logs["mail"], "auditportal.ping")
    assert not received(logs["default"], summary)
