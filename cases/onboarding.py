"""Onboarding a partnership (the hosting administration): the tenant, its host name, and its
first business-team member, who gets an invitation e-mail to set a password and then enrols
two-factor sign-in on first sign-in (accounts.middleware enforces it).

Higher layers prepare what a new partnership needs from them (the audits layer seeds the
question bank from the default bank) through ``register_partnership_setup``: cases imports
no higher layer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from accounts.models import User
from auditportal import outbox
from auditportal.auditlog import audit_log
from auditportal.tenancy import partnership_context

from .hosts import host_name
from .models import Partnership, PartnershipHost

HOST_PATTERN = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9-]{1,63})*$"
)

_setups: list[Callable[[Partnership], object]] = []


def register_partnership_setup(setup: Callable[[Partnership], object]) -> None:
    """A function run inside a new partnership's context when it is created."""
    if setup not in _setups:
        _setups.append(setup)


def clean_host(raw: str) -> str:
    """A new host name for a partnership, lower case without port or final dot; refused when
    it is not a host name, is the hosting administration's, or another partnership's."""
    host = host_name(raw.strip())
    if not HOST_PATTERN.match(host):
        raise ValidationError({"host": "Enter a host name such as riverbend.example.org."})
    if host in settings.HOSTING_HOSTS:
        raise ValidationError({"host": "This is the hosting administration's host name."})
    if PartnershipHost.objects.filter(host=host).exists():
        raise ValidationError({"host": "Another partnership answers on this host name."})
    return host


@transaction.atomic
def partnership_create(
    *,
    actor: User | None,
    name: str,
    host: str,
    business_email: str,
    business_first_name: str,
    business_last_name: str,
    slug: str = "",
    administrator: bool = False,
) -> tuple[Partnership, User]:
    """The partnership, its host name and first business-team member, with the default
    question bank; the member's invitation goes out through the outbox once committed.
    `administrator`: the member is the partnership's administrator (Django admin: agencies,
    users, settings), as a new installation's first account must be."""
    slug = slugify(slug or name)[:60]
    partnership = Partnership(name=name.strip(), slug=slug)
    partnership.full_clean()
    host = clean_host(host)
    partnership.save()
    PartnershipHost.objects.create(host=host, partnership=partnership)
    audit_log(
        actor=actor,
        code="partnership.created",
        target=partnership,
        changes={"name": partnership.name, "host": host},
    )
    with partnership_context(partnership):
        username = business_email.strip().lower()
        if User._base_manager.filter(username__iexact=username).exists() or (
            User._base_manager.filter(email__iexact=username).exists()
        ):
            raise ValidationError({"business_email": "An account with this address exists."})
        member = User(
            username=username,
            email=username,
            first_name=business_first_name.strip(),
            last_name=business_last_name.strip(),
            role=User.Role.ADMIN if administrator else User.Role.BUSINESS,
            is_staff=administrator,
            is_superuser=administrator,
        )
        member.set_unusable_password()
        member.full_clean(exclude=["password"])
        member.save()
        for setup in _setups:
            setup(partnership)
        outbox.enqueue(
            "cases.send_invitation",
            kwargs={"user_id": member.pk},
            ref=outbox.ref_for(member),
        )
    return partnership, member
