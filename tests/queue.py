"""Point the Celery app of the test process at another broker (a private redis-server, or a
port where nothing listens), with tasks sent to the queue instead of run in-process."""

import contextlib
import socket

import pytest

from auditportal import outbox
from auditportal.celery import app as celery_app


def free_port() -> int:
    """A TCP port nothing listens on now (the kernel picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reset_connections() -> None:
    # The app caches its connection pool and producers for the broker it first used (kombu
    # keeps the pools themselves, per broker URL, for the next time that URL is used).
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def broker_at(url: str, *, queue: str | None = None):
    conf = celery_app.conf
    previous = (conf.broker_url, conf.task_always_eager, conf.task_default_queue)
    conf.broker_url = url
    conf.task_always_eager = False
    if queue:
        conf.task_default_queue = queue
    _reset_connections()
    outbox._queue_down_until = 0.0
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager, conf.task_default_queue = previous
        _reset_connections()
        outbox._queue_down_until = 0.0


@pytest.fixture
def queue_away():
    """Redis is away: the test process sends to a port where nothing listens."""
    with broker_at(f"redis://127.0.0.1:{free_port()}/0"):
        yield


def messages_of(response) -> list[str]:
    """The messages a response's request left for the next page."""
    from django.contrib.messages import get_messages

    return [str(m) for m in get_messages(response.wsgi_request)]
