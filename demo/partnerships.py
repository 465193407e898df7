"""The demo's partnerships: two tenants of one installation, so a newcomer sees the seal.

- Riverbend, the full demo, answers on SITE_URL's host (and the other ALLOWED_HOSTS), so
  `make run`'s http://127.0.0.1:8000 and the production smoke test's host keep working, and
  on riverbend.localhost. If a partnership already answers on SITE_URL's host (the test
  suite's), the demo is loaded into it.
- Northmoor, a small second partnership (demo/northmoor.py), answers on northmoor.localhost.
- The hosting administration answers on HOSTING_HOSTS (hosting.localhost in DEBUG).
"""

from urllib.parse import urlsplit

from django.conf import settings

from accounts.models import User
from auditportal.tenancy import partnership_context
from cases.models import Partnership, PartnershipHost

from .users import DEMO_PASSWORD

RIVERBEND_HOST = "riverbend.localhost"
NORTHMOOR_HOST = "northmoor.localhost"


def _hosts(partnership: Partnership, hosts: list[str]) -> None:
    for host in hosts:
        if host and not PartnershipHost.objects.filter(host=host).exists():
            PartnershipHost.objects.create(host=host, partnership=partnership)


def riverbend() -> Partnership:
    site_host = (urlsplit(settings.SITE_URL).hostname or "").lower()
    existing = PartnershipHost.objects.filter(host=site_host).select_related("partnership")
    if existing:
        return existing[0].partnership
    partnership, _ = Partnership.objects.get_or_create(
        slug="riverbend",
        defaults={
            "name": settings.PARTNERSHIP_NAME,
            "contact_email": settings.PARTNERSHIP_CONTACT_EMAIL,
            "logo": settings.PARTNERSHIP_LOGO,
        },
    )
    others = [
        h
        for h in settings.ALLOWED_HOSTS
        if h and not h.startswith(".") and h not in {"*", "testserver"}
    ]
    _hosts(partnership, [site_host, *others, RIVERBEND_HOST])
    return partnership


def northmoor() -> Partnership:
    partnership, _ = Partnership.objects.get_or_create(
        slug="northmoor",
        defaults={
            "name": "Northmoor Safeguarding Children Partnership",
            "contact_email": "audits@northmoor.example",
            "brand_colour": "#24553a",
            "sender_name": "Northmoor audits",
        },
    )
    _hosts(partnership, [NORTHMOOR_HOST])
    return partnership


def hosting_admin() -> User:
    with partnership_context(None):
        user, created = User.objects.get_or_create(
            username="hosting",
            defaults={
                "first_name": "Alex",
                "last_name": "Moran",
                "email": "hosting@hosting.example",
                "role": User.Role.HOSTING,
                "job_title": "Hosting administrator",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return user


def address(partnership: Partnership) -> str:
    """Where a partnership's demo is in a browser."""
    site = urlsplit(settings.SITE_URL)
    port = f":{site.port}" if site.port else ""
    host = partnership.hosts.order_by("pk").values_list("host", flat=True).first()
    return f"{site.scheme}://{host}{port}/"
