"""Liveness (/healthz), readiness (/readyz, `manage.py readiness`), the worker heartbeat and
the compose healthchecks' script (bin/healthcheck). The heartbeat tests need Redis (REDIS_URL):
skipped without it on a laptop, a failure in CI."""

import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from auditportal import health

ROOT = Path(__file__).resolve().parents[2]
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_url(settings, monkeypatch):
    """The suite's Redis, with heartbeat keys of this test only (any real worker's heartbeats
    on the same Redis database stay out of it)."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("CI needs REDIS_URL")
        pytest.skip("set REDIS_URL to test the worker heartbeat")
    settings.REDIS_URL = url
    prefix = f"auditportal-test:{uuid.uuid4().hex[:10]}:"
    monkeypatch.setattr(health, "HEARTBEAT_KEY_PREFIX", prefix)
    yield url
    client = health._redis()
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


def readyz(client) -> tuple[int, dict]:
    response = client.get("/readyz", HTTP_HOST="127.0.0.1:8000")
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return response.status_code, json.loads(response.content)


def test_healthz_answers_without_a_known_host_or_the_database(
    client, db, settings, django_assert_num_queries
):
    settings.ALLOWED_HOSTS = ["audit.example.org"]

    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_readyz_without_redis_is_ready_on_the_database_alone(client, db, settings):
    settings.REDIS_URL = ""

    status, body = readyz(client)

    assert status == 200
    assert body == {
        "status": "ready",
        "checks": {
            "database": "ok",
            "redis": "not configured: tasks run in-process",
            "worker": "not needed: tasks run in-process",
        },
    }


BOTH_QUEUES = [django_settings.CELERY_TASK_DEFAULT_QUEUE, django_settings.MAIL_QUEUE]


def test_readyz_is_ready_with_a_fresh_worker_heartbeat(client, db, redis_url):
    health.worker_heartbeat_record(host="worker-1", queues=BOTH_QUEUES)

    status, body = readyz(client)

    assert status == 200
    assert body == {
        "status": "ready",
        "checks": {
            "database": "ok",
            "redis": "ok",
            "worker": "default queue: heartbeat 0 s ago; mail queue: heartbeat 0 s ago",
        },
    }


def test_readyz_is_not_ready_while_no_worker_takes_the_mail_queue(client, db, redis_url):
    health.worker_heartbeat_record(
        host="worker-1", queues=[django_settings.CELERY_TASK_DEFAULT_QUEUE]
    )

    status, body = readyz(client)

    assert status == 503
    assert body["checks"]["worker"] == "default queue: heartbeat 0 s ago; mail queue: no worker"


def test_readyz_is_ready_with_one_worker_per_queue_on_one_host(client, db, redis_url, monkeypatch):
    monkeypatch.setattr(health.os, "getpid", lambda: 101)
    health.worker_heartbeat_record(
        host="worker-1", queues=[django_settings.CELERY_TASK_DEFAULT_QUEUE]
    )
    monkeypatch.setattr(health.os, "getpid", lambda: 102)
    health.worker_heartbeat_record(host="worker-1", queues=[django_settings.MAIL_QUEUE])

    status, _body = readyz(client)

    assert status == 200


def test_readyz_without_any_heartbeat_is_not_ready(client, db, redis_url):
    status, body = readyz(client)

    assert status == 503
    assert body["checks"] == {"database": "ok", "redis": "ok", "worker": "no heartbeat"}


def test_readyz_with_an_old_heartbeat_is_not_ready(client, db, redis_url):
    with time_machine.travel(1_800_000_000, tick=False):
        health.worker_heartbeat_record(host="worker-1", queues=BOTH_QUEUES)
    with time_machine.travel(1_800_000_000 + 61, tick=False):
        status, body = readyz(client)

    assert status == 503
    assert body["checks"]["worker"] == (
        "default queue: last heartbeat 61 s ago; mail queue: last heartbeat 61 s ago"
    )


def test_readyz_takes_the_newest_of_several_workers(client, db, redis_url):
    with time_machine.travel(1_800_000_000, tick=False):
        health.worker_heartbeat_record(host="stopped-worker", queues=BOTH_QUEUES)
    with time_machine.travel(1_800_000_000 + 100, tick=False):
        health.worker_heartbeat_record(host="running-worker", queues=BOTH_QUEUES)
    with time_machine.travel(1_800_000_000 + 103, tick=False):
        status, body = readyz(client)
        own = health.check_worker(host="stopped-worker")

    assert (status, body["checks"]["worker"]) == (
        200,
        "default queue: heartbeat 3 s ago; mail queue: heartbeat 3 s ago",
    )
    assert (own.ok, own.detail) == (False, "last heartbeat 103 s ago")


def test_readyz_when_redis_does_not_answer(client, db, settings):
    settings.REDIS_URL = UNREACHABLE_REDIS

    status, body = readyz(client)

    assert status == 503
    assert body["checks"] == {
        "database": "ok",
        "redis": "unavailable",
        "worker": "unknown: Redis unavailable",
    }


def test_readyz_when_the_database_does_not_answer(client, db, settings, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OSError("connection refused")

    settings.REDIS_URL = ""
    monkeypatch.setattr(health, "connection", Unreachable())

    status, body = readyz(client)

    assert status == 503
    assert body["status"] == "not ready"
    assert body["checks"]["database"] == "unavailable"


def test_celery_heartbeat_signal_records_at_most_every_ten_seconds(redis_url, monkeypatch):
    from auditportal import celery as celery_module

    monkeypatch.setattr(celery_module, "_last_heartbeat", [0.0])
    monkeypatch.setattr(celery_module, "consumed_queues", ["celery-mail"])
    monkeypatch.setattr(health.socket, "gethostname", lambda: "signal-worker")

    with time_machine.travel(1_800_000_000, tick=False):
        celery_module.record_worker_heartbeat()
    with time_machine.travel(1_800_000_005, tick=False):
        celery_module.record_worker_heartbeat()  # 5 s later: not written
        beats = health.worker_heartbeats(host="signal-worker")

    assert beats == [(5.0, ["celery-mail"])]


def test_celery_heartbeat_signal_never_fails_the_worker(settings, monkeypatch, caplog):
    from auditportal import celery as celery_module

    settings.REDIS_URL = UNREACHABLE_REDIS
    monkeypatch.setattr(celery_module, "_last_heartbeat", [0.0])

    celery_module.record_worker_heartbeat()

    assert "worker heartbeat not recorded" in caplog.text


def test_readiness_command_reports_each_check(db, settings, capsys):
    settings.REDIS_URL = ""

    call_command("readiness")

    assert capsys.readouterr().out.splitlines() == [
        "database: ok",
        "redis: not configured: tasks run in-process",
        "worker: not needed: tasks run in-process",
    ]


def test_readiness_command_fails_when_a_check_fails(db, settings, capsys):
    settings.REDIS_URL = UNREACHABLE_REDIS

    with pytest.raises(CommandError, match="not ready: redis") as failure:
        call_command("readiness", "database", "redis")

    assert failure.value.returncode == 1
    assert capsys.readouterr().out.splitlines() == ["database: ok", "redis: unavailable"]


def healthcheck(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "bin/healthcheck", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_beat_healthcheck_reads_the_pid_file(tmp_path):
    (tmp_path / "celerybeat.pid").write_text(f"{os.getpid()}\n")

    running = healthcheck("beat", BEAT_DIR=str(tmp_path))
    (tmp_path / "celerybeat.pid").unlink()
    stopped = healthcheck("beat", BEAT_DIR=str(tmp_path))

    assert running.returncode == 0, running.stderr
    assert stopped.returncode == 1
    assert "beat is not running" in stopped.stderr


def test_relay_healthcheck_reads_the_heartbeat_file(tmp_path):
    heartbeat = tmp_path / "relay-heartbeat"

    missing = healthcheck("relay", RELAY_HEARTBEAT_FILE=str(heartbeat))
    heartbeat.touch()
    fresh = healthcheck("relay", RELAY_HEARTBEAT_FILE=str(heartbeat))
    two_minutes_ago = time.time() - 120
    os.utime(heartbeat, (two_minutes_ago, two_minutes_ago))
    stale = healthcheck("relay", RELAY_HEARTBEAT_FILE=str(heartbeat))

    assert missing.returncode == 1
    assert "the relay has not finished a pass" in missing.stderr
    assert fresh.returncode == 0, fresh.stderr
    assert stale.returncode == 1
    assert re.search(r"the relay's last pass finished 1[23]\d s ago", stale.stderr)


def test_web_healthcheck_fails_when_nothing_answers():
    result = healthcheck("web", WEB_BIND="127.0.0.1:1")

    assert result.returncode == 1
    assert "/readyz did not answer" in result.stderr


def test_healthcheck_names_its_checks():
    result = healthcheck("database")

    assert result.returncode == 1
    assert result.stderr.strip() == "usage: bin/healthcheck web|worker|beat|relay"
