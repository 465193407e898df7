from typing import Any

from django.conf import settings
from django.http import HttpRequest

HOUSE_COLOUR = "#1d3557"  # static/css/app.css's header navy (cases.models.HOUSE_COLOUR)


def _colour(tenant: Any) -> str:
    if tenant is None or tenant.brand_colour.lower() == HOUSE_COLOUR:
        return ""
    return tenant.brand_colour


def partnership(request: HttpRequest) -> dict:
    """The request's partnership on every page (cases.middleware sets it from the host, with
    no query): its name, address, logo and colour; the settings are the deployment's default
    address. The hosting administration has none."""
    tenant = getattr(request, "partnership", None)
    name = tenant.name if tenant is not None else "Hosting administration"
    contact = (tenant.contact_email if tenant is not None else "") or (
        settings.PARTNERSHIP_CONTACT_EMAIL
    )
    return {
        "PARTNERSHIP": tenant,
        "PARTNERSHIP_NAME": name,
        "PARTNERSHIP_CONTACT_EMAIL": contact,
        # Set only when it is not the house colour: then the page links its stylesheet.
        "PARTNERSHIP_COLOUR": _colour(tenant),
        "DEMO_MODE": settings.DEMO_MODE,
    }
