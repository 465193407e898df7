"""Named users every test understands, and the CI guards.

- business: business team member; practitioner: member of agency_a; other_practitioner:
  member of agency_b; board: board member; admin_user: administrator.
- In CI (CI=true) PostgreSQL and Redis must be reachable: the run fails, it never skips.
"""

import os
import socket
from urllib.parse import urlparse

import pytest

from accounts.models import User

from .factories import AgencyFactory, UserFactory


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 3
        ):
            return True
    except OSError:
        return False


def pytest_sessionstart(session):
    if os.environ.get("CI", "").lower() not in {"1", "true", "yes"}:
        return
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    problems = []
    if not database_url.startswith("postgres"):
        problems.append("CI must run against PostgreSQL: set DATABASE_URL=postgres://...")
    elif not _reachable(database_url, 5432):
        problems.append(f"PostgreSQL is unreachable at {urlparse(database_url).netloc}")
    if not redis_url:
        problems.append("CI must run with Redis: set REDIS_URL=redis://...")
    elif not _reachable(redis_url, 6379):
        problems.append(f"Redis is unreachable at {urlparse(redis_url).netloc}")
    if problems:
        pytest.exit("; ".join(problems), returncode=3)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "no_auto_mfa: force_login leaves the session without two-factor verification"
    )


@pytest.fixture(autouse=True)
def _force_login_is_mfa_verified(request, monkeypatch):
    """Two-factor sign-in is enforced in tests too. A `client.force_login(user)` session is
    marked verified with a real confirmed device of the user (tests/mfa.py), so tests that
    are not about sign-in reach their pages. Opt out with @pytest.mark.no_auto_mfa."""
    if request.node.get_closest_marker("no_auto_mfa"):
        return
    from django.test import Client

    from .mfa import mark_verified

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        mark_verified(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def agency_a(db):
    return AgencyFactory(name="Agency A Children's Social Care", short_name="A")


@pytest.fixture
def agency_b(db):
    return AgencyFactory(name="Agency B Police", short_name="B")


@pytest.fixture
def business(db):
    return UserFactory(username="business", role=User.Role.BUSINESS)


@pytest.fixture
def business2(db):
    return UserFactory(username="business2", role=User.Role.BUSINESS)


@pytest.fixture
def practitioner(agency_a):
    return UserFactory(username="practitioner", role=User.Role.PRACTITIONER, agencies=[agency_a])


@pytest.fixture
def agency_lead(agency_a):
    return UserFactory(
        username="agencylead", role=User.Role.PRACTITIONER, agencies=[agency_a], agencies__lead=True
    )


@pytest.fixture
def other_practitioner(agency_b):
    return UserFactory(
        username="otherpractitioner", role=User.Role.PRACTITIONER, agencies=[agency_b]
    )


@pytest.fixture
def board(db):
    return UserFactory(username="board", role=User.Role.BOARD)


@pytest.fixture
def admin_user(db):
    return UserFactory(
        username="administrator", role=User.Role.ADMIN, is_staff=True, is_superuser=True
    )


@pytest.fixture
def anonymous():
    return None


@pytest.fixture
def users(business, practitioner, other_practitioner, board, admin_user, anonymous):
    """Every role by name, for permission matrices: users[role_name]."""
    return {
        "business": business,
        "practitioner": practitioner,
        "other_practitioner": other_practitioner,
        "board": board,
        "admin": admin_user,
        "anonymous": anonymous,
    }


@pytest.fixture
def client_as(client):
    """client_as(user) -> the test client signed in as user (None: anonymous)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    """A real `celery worker` subprocess on Redis, pointed at the test database, consuming a
    queue of its own (so a `make run` worker on the same Redis never takes the test's tasks).

    Needs REDIS_URL and PostgreSQL: skipped locally without them, a failure in CI.
    """
    import subprocess
    import sys
    import time
    import uuid
    from pathlib import Path

    from django.db import connection

    from auditportal.celery import app as celery_app

    if not settings.REDIS_URL or not settings.IS_POSTGRES:
        if _in_ci():
            pytest.fail("CI needs REDIS_URL and a PostgreSQL DATABASE_URL for worker tests")
        pytest.skip("set REDIS_URL and a PostgreSQL DATABASE_URL to run a real worker")

    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}"
        f"{':' + db['PASSWORD'] if db['PASSWORD'] else ''}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    queue = f"test-{uuid.uuid4().hex[:10]}"
    root = Path(__file__).resolve().parents[1]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        # The project's settings as deployed (not the suite's), development defaults.
        "DJANGO_SETTINGS_MODULE": "auditportal.settings",
        "DEBUG": "true",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONPATH": str(root),
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    log = open(Path(settings.MEDIA_ROOT).parent / "worker.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "auditportal",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
            "--loglevel=INFO",
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 60
        result = celery_app.send_task("auditportal.ping", queue=queue)
        while not result.ready():
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(
                    "the Celery worker did not start:\n" + Path(log.name).read_text()[-3000:]
                )
            time.sleep(0.2)
        yield {"process": process, "queue": queue, "log": Path(log.name)}
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
