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

# queue_away: the test process sends tasks to a broker that does not answer.
pytest_plugins = ["tests.queue"]


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


_DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


@pytest.fixture(autouse=True)
def _in_default_partnership(request):
    """A test with database access runs in the default test partnership (tests/tenancy.py):
    factories create its rows, and `testserver` requests resolve to it."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if not (names & _DB_FIXTURES or marker):
        yield None
        return
    transactional = bool(names & {"transactional_db", "live_server"}) or bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from auditportal.tenancy import partnership_context

    from .tenancy import default_partnership

    partnership = default_partnership()
    with partnership_context(partnership):
        yield partnership


@pytest.fixture
def partnership(db, _in_default_partnership):
    """The default test partnership (the tenant of `testserver`)."""
    return _in_default_partnership


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Counts kept in the (local memory) cache, such as the data feed's refusals per address
    range, start at nothing in every test."""
    from django.core.cache import cache

    cache.clear()


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


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    """A real `celery worker` subprocess on Redis, pointed at the test database, consuming a
    queue of its own (so a `make run` worker on the same Redis never takes the test's tasks);
    the test process sends to that queue instead of running tasks in-process.

    Needs REDIS_URL and PostgreSQL: skipped locally without them, a failure in CI.
    """
    import uuid
    from pathlib import Path

    from .queue import broker_at
    from .workers import need, process_env, start_worker, stop

    need(
        bool(settings.REDIS_URL) and settings.IS_POSTGRES,
        "REDIS_URL and a PostgreSQL DATABASE_URL for worker tests",
    )
    queue = f"test-{uuid.uuid4().hex[:10]}"
    log = Path(settings.MEDIA_ROOT).parent / "worker.log"
    env = process_env(
        redis_url=settings.REDIS_URL, queue=queue, media_root=str(settings.MEDIA_ROOT)
    )
    process = start_worker(env=env, queue=queue, log=log)
    try:
        with broker_at(settings.REDIS_URL, queue=queue):
            yield {"process": process, "queue": queue, "log": log}
    finally:
        stop(process)


@pytest.fixture(autouse=True)
def _survey_rate_limit_per_test(monkeypatch):
    """The public survey pages' rate limit counts in the shared cache for ten minutes: each
    test counts afresh, so a test's own requests meet the limit but earlier tests' do not."""
    from uuid import uuid4

    from surveys import ratelimit

    original = ratelimit._key
    nonce = uuid4().hex[:8]
    monkeypatch.setattr(
        ratelimit, "_key", lambda request, what: f"{original(request, what)}:{nonce}"
    )
