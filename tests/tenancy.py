"""The partnerships of the tests. Every test with database access runs inside the default
test partnership's context (tests/conftest.py), whose addresses are the test client's
`testserver` and the live server's `localhost` and `127.0.0.1`, so factories and requests
need no partnership argument. The second partnership answers on `second.testserver`:
build its rows inside `partnership_context(second)`, request with `HTTP_HOST=SECOND_HOST`.
"""

from django.conf import settings

from auditportal.tenancy import partnership_context, system_context
from cases.hosts import host_map
from cases.models import Partnership, PartnershipHost

DEFAULT_HOSTS = ("testserver", "localhost", "127.0.0.1")
SECOND_HOST = "second.testserver"
HOSTING_HOST = "hosting.testserver"


def _partnership(slug: str, name: str, hosts: tuple[str, ...]) -> Partnership:
    with system_context():
        partnership, created = Partnership.objects.get_or_create(slug=slug, defaults={"name": name})
        if created:
            PartnershipHost.objects.bulk_create(
                PartnershipHost(host=host, partnership=partnership) for host in hosts
            )
            host_map()  # loaded now, so a test's first request asks the database nothing more
    return partnership


def default_partnership() -> Partnership:
    return _partnership("test", settings.PARTNERSHIP_NAME, DEFAULT_HOSTS)


def second_partnership() -> Partnership:
    return _partnership("second", "Northmoor Safeguarding Children Partnership", (SECOND_HOST,))


__all__ = [
    "HOSTING_HOST",
    "SECOND_HOST",
    "default_partnership",
    "partnership_context",
    "second_partnership",
]
