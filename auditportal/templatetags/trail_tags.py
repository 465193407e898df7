"""Links into the audit trail of one record ("Who has seen this?")."""

from typing import Any

from django import template
from django.db import models
from django.urls import reverse
from django.utils.http import urlencode

from auditportal.trail_records import RECORD_TYPES, record_key

register = template.Library()


@register.simple_tag
def trail_url(record_type: str, pk: Any, query: str = "") -> str:
    """The trail page narrowed to one record; "" for a type the trail cannot narrow to.
    `query` keeps other filters (already URL-encoded)."""
    if record_type not in RECORD_TYPES or not pk:
        return ""
    record = urlencode({"record": record_key(record_type, pk)})
    return f"{reverse('trail:events')}?{query + '&' if query else ''}{record}"


@register.filter
def who_has_seen_url(obj: models.Model) -> str:
    """{{ audit_return|who_has_seen_url }}: the trail of this record."""
    return trail_url(obj._meta.label_lower, obj.pk)
