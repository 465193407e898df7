"""Liveness and readiness: what /healthz, /readyz, `manage.py readiness` and the compose
healthchecks (bin/healthcheck) report.

- Liveness (/healthz): the web process answers. Nothing else, so a database outage never
  makes an orchestrator restart healthy web processes.
- Readiness (/readyz): the database answers, Redis answers, and a Celery worker sent a
  heartbeat within WORKER_HEARTBEAT_MAX_AGE seconds. Without REDIS_URL (the embedded demo)
  tasks run in-process, so Redis and the worker are not needed and count as ready.

Each worker writes its heartbeat (auditportal/celery.py, on Celery's own 2-second heartbeat,
at most every WORKER_HEARTBEAT_EVERY seconds) to a Redis key of its own host name that expires
by itself; readiness takes the newest. Reports name a state, never an error text: /readyz
answers anyone who can reach the port.
"""

import logging
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


def worker_heartbeat_ages(*, host: str | None = None) -> dict[str, float]:
    """Seconds since each worker host's last heartbeat (only `host`'s when given)."""
    client = _redis()
    try:
        pattern = HEARTBEAT_KEY_PREFIX + (host or "*")
        keys = list(client.scan_iter(match=pattern, count=100))
        values = client.mget(keys) if keys else []
    finally:
        client.close()
    now = time.time()
    return {
        key.decode().removeprefix(HEARTBEAT_KEY_PREFIX): max(0.0, now - float(value))
        for key, value in zip(keys, values, strict=True)
        if value is not None
    }


def check_worker(*, host: str | None = None) -> Check:
    """A recent heartbeat of any worker, or of the worker on `host` (its own healthcheck)."""
    if not settings.REDIS_URL:
        return Check("worker", True, "not needed: tasks run in-process")
    try:
        ages = worker_heartbeat_ages(host=host)
    except Exception:
        logger.warning("readiness: cannot read worker heartbeats", exc_info=True)
        return Check("worker", False, "unknown: Redis unavailable")
    if not ages:
        return Check("worker", False, "no heartbeat")
    newest = min(ages.values())
    if newest > WORKER_HEARTBEAT_MAX_AGE:
        return Check("worker", False, f"last heartbeat {newest:.0f} s ago")
    return Check("worker", True, f"heartbeat {newest:.0f} s ago")


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


def worker_heartbeat_record(*, host: str | None = None) -> None:
    """Called in the worker: this host's heartbeat, expiring on its own if the worker stops."""
    client = _redis()
    try:
        client.set(
            HEARTBEAT_KEY_PREFIX + (host or socket.gethostname()),
            f"{time.time():.3f}",
            ex=WORKER_HEARTBEAT_MAX_AGE * 5,
        )
    finally:
        client.close()
