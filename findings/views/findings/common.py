"""What the findings pages share: the address of an audit's findings page."""

from django.urls import reverse


def _findings_url(audit_pk: int, anchor: str = "") -> str:
    url = reverse("findings:finding-list", args=[audit_pk])
    return f"{url}#{anchor}" if anchor else url
