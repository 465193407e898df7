"""Liveness and readiness: what /healthz, /readyz, `manage.py readiness` and the compose
healthchecks (bin/healthcheck) report.

- Liveness (/healthz): the web process answers. Nothing else, so a database outage never
  makes an orchestrator restart healthy web processes.
- Readiness (/readyz): the database answers, Redis answers, and for each queue (the default
  one and the mail queue) a Celery worker consuming it sent a heartbeat within
  WORKER_HEARTBEAT_MAX_AGE seconds. Without REDIS_URL (the embedded demo)
  tasks run in-process, so Redis and the worker are not needed and count as ready.

Each worker writes its heartbeat (auditportal/celery.py, on Celery's own 2-second heartbeat,
at most every WORKER_HEARTBEAT_EVERY seconds) to a Redis key of its own (host and process)
that expires by itself, with the queues it consumes; readiness takes the newest per queue.
Reports name a state, never an error text: /readyz answers anyone who can reach the port.
"""

import logging
import os
import socket
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

HEARTBEAT_KEY_PREFIX = "auditportal:worker-heartbeat:"
WORKER_HEARTBEAT_EVERY = 10
WORKER_HEARTBEAT_MAX_AGE = 60
REDIS_TIMEOUT_SECONDS = 2
CHECKS = ("database", "redis", "worker")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _redis():
    import redis

    return redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.warning("readiness: the database does not answer", exc_info=True)
        return Check("database", False, "unavailable")
    return Check("database", True, "ok")


def check_redis() -> Check:
    if not settings.REDIS_URL:
        return Check("redis", True, "not configured: tasks run in-process")
    try:
        client = _redis()
        client.ping()
        client.close()
    except Exception:
        logger.warning("readiness: Redis does not answer", exc_info=True)
        return Check("redis", False, "unavailable")
    return Check("redis", True, "ok")


def worker_heartbeats(*, host: str | None = None) -> list[tuple[float, list[str]]]:
    """(seconds since its last heartbeat, queues it consumes) for each worker process (only
    `host`'s when given)."""
    client = _redis()
    try:
        pattern = HEARTBEAT_KEY_PREFIX + (f"{host}:*" if host else "*")
        keys = list(client.scan_iter(match=pattern, count=100))
        values = client.mget(keys) if keys else []
    finally:
        client.close()
    now = time.time()
    beats = []
    for value in values:
        if value is None:
            continue
        at, _, queues = value.decode().partition(" ")
        beats.append((max(0.0, now - float(at)), [q for q in queues.split(",") if q]))
    return beats


def _queue_words(queue: str) -> str:
    return "mail queue" if queue == settings.MAIL_QUEUE else "default queue"


def check_worker(*, host: str | None = None) -> Check:
    """A recent heartbeat from a worker of every queue (web's readiness), or from any worker
    process on `host` (that worker's own healthcheck)."""
    if not settings.REDIS_URL:
        return Check("worker", True, "not needed: tasks run in-process")
    try:
        beats = worker_heartbeats(host=host)
    except Exception:
        logger.warning("readiness: cannot read worker heartbeats", exc_info=True)
        return Check("worker", False, "unknown: Redis unavailable")
    if not beats:
        return Check("worker", False, "no heartbeat")
    if host:
        newest = min(age for age, _queues in beats)
        if newest > WORKER_HEARTBEAT_MAX_AGE:
            return Check("worker", False, f"last heartbeat {newest:.0f} s ago")
        return Check("worker", True, f"heartbeat {newest:.0f} s ago")
    details, ok = [], True
    for queue in (settings.CELERY_TASK_DEFAULT_QUEUE, settings.MAIL_QUEUE):
        ages = [age for age, queues in beats if queue in queues]
        if not ages:
            ok = False
            details.append(f"{_queue_words(queue)}: no worker")
        elif min(ages) > WORKER_HEARTBEAT_MAX_AGE:
            ok = False
            details.append(f"{_queue_words(queue)}: last heartbeat {min(ages):.0f} s ago")
        else:
            details.append(f"{_queue_words(queue)}: heartbeat {min(ages):.0f} s ago")
    return Check("worker", ok, "; ".join(details))


def readiness(
    names: tuple[str, ...] | list[str] = CHECKS, *, worker_host: str | None = None
) -> list[Check]:
    """The checks named, in order; `worker_host` limits the worker check to that host."""
    run = {
        "database": check_database,
        "redis": check_redis,
        "worker": lambda: check_worker(host=worker_host),
    }
    unknown = set(names) - set(run)
    if unknown:
        raise ValueError(f"unknown checks: {', '.join(sorted(unknown))}")
    return [run[name]() for name in names]


def worker_heartbeat_record(*, queues: list[str], host: str | None = None) -> None:
    """Called in the worker: this process's heartbeat and the queues it consumes, expiring on
    its own if the worker stops. One key per worker process, so two workers on one host (the
    default and the mail worker under CI's smoke test) are told apart."""
    client = _redis()
    try:
        client.set(
            f"{HEARTBEAT_KEY_PREFIX}{host or socket.gethostname()}:{os.getpid()}",
            f"{time.time():.3f} {','.join(queues)}",
            ex=WORKER_HEARTBEAT_MAX_AGE * 5,
        )
    finally:
        client.close()
