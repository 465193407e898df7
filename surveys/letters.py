"""The printable letter of a code: the short address to type, the code, a QR code that opens
the survey with the code filled in, and the link a practitioner can send instead."""

import base64
import io
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse

from .codes import display, normalise


@dataclass(frozen=True)
class Letter:
    code: str  # as printed: KX7P-M3QD-9TWA
    link: str  # the survey with the code filled in
    qr_data_uri: str  # the link as an SVG QR code, in a data: URI (the CSP's img-src allows it)


def short_address() -> str:
    """What a person types: the site without its scheme, and /s/."""
    site = settings.SITE_URL.rstrip("/").split("://", 1)[-1]
    return f"{site}{reverse('survey_public:start')}"


def code_link(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "survey_public:code", kwargs={"code": normalise(code)}
    )


def qr_data_uri(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def letters_for(codes: list[str]) -> list[Letter]:
    return [Letter(display(c), code_link(c), qr_data_uri(code_link(c))) for c in codes]
