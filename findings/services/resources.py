"""Writes for the resources library (links shown with findings and briefings)."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from accounts.models import User
from auditportal.auditlog import audit_log

from ..models import Resource

# ---------------------------------------------------------------------------------------------
# Resources

_http_only = URLValidator(schemes=["http", "https"])


def _clean_resource(resource: Resource) -> None:
    resource.title = (resource.title or "").strip()
    resource.url = (resource.url or "").strip()
    errors = {}
    if not resource.title:
        errors["title"] = "Give the resource a title."
    try:
        _http_only(resource.url)
    except ValidationError:
        errors["url"] = (
            "Enter a full web address starting with https:// or http:// "
            "(other kinds of link are not allowed)."
        )
    if resource.kind not in Resource.Kind.values:
        errors["kind"] = "Choose training, toolkit or guidance."
    if errors:
        raise ValidationError(errors)
    resource.full_clean()


@transaction.atomic
def resource_create(
    *, title: str, url: str, kind: str, actor: User, description: str = "", active: bool = True
) -> Resource:
    resource = Resource(
        title=title, url=url, kind=kind, description=(description or "").strip(), active=active
    )
    _clean_resource(resource)
    resource.save()
    audit_log(actor=actor, code="resource.created", target=resource)
    return resource


@transaction.atomic
def resource_update(
    *,
    resource: Resource,
    title: str,
    url: str,
    kind: str,
    actor: User,
    description: str = "",
    active: bool = True,
) -> Resource:
    resource.title = title
    resource.url = url
    resource.kind = kind
    resource.description = (description or "").strip()
    resource.active = active
    _clean_resource(resource)
    resource.save(update_fields=["title", "url", "kind", "description", "active"])
    audit_log(actor=actor, code="resource.updated", target=resource)
    return resource


@transaction.atomic
def resource_set_active(*, resource: Resource, active: bool, actor: User) -> Resource:
    resource.active = active
    resource.save(update_fields=["active"])
    audit_log(
        actor=actor,
        code="resource.reinstated" if active else "resource.retired",
        target=resource,
    )
    return resource
