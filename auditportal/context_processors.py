from django.conf import settings
from django.http import HttpRequest


def partnership(request: HttpRequest) -> dict:
    return {
        "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
        "PARTNERSHIP_CONTACT_EMAIL": settings.PARTNERSHIP_CONTACT_EMAIL,
        "DEMO_MODE": settings.DEMO_MODE,
    }
