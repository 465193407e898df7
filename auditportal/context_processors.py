from django.conf import settings
from django.http import HttpRequest


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
        "PARTNERSHIP_COLOUR": tenant.brand_colour if tenant is not None else "",
        "DEMO_MODE": settings.DEMO_MODE,
    }
