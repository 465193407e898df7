"""Which partnership this code runs for: the first lock of the seal between partnerships.

One deployment serves several partnerships. Every request (resolved from its host name by
``cases.middleware.PartnershipMiddleware``) and every Celery task (from the partnership id
it carries) runs inside ``partnership_context(id)``. Inside it:

- every model that inherits ``PartnershipOwned`` is read through ``PartnershipManager``,
  which filters by the partnership before any selector adds role or agency; related
  managers (``audit.returns``) and form choices derive from it, so they are scoped too;
- a new row gets the partnership by default, and saving a row of another partnership raises
  ``CrossPartnershipWrite`` (nothing is written);
- on PostgreSQL the connection carries the same partnership in the ``auditportal.partnership``
  setting, which the row-level security policies read (the second lock, docs/security.md).

``partnership_context(None)`` is the hosting administrator's context: no partnership's rows
at all (users without a partnership only). Outside any context (management commands, the
outbox relay, migrations, the shell) nothing is filtered: that is the operator's own code.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any, ClassVar

from django.db import models

SETTING = "auditportal.partnership"


class _System:
    """Outside any partnership: operator code (commands, relay, migrations)."""

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Any = _System()

# int: that partnership; None: the hosting administrator (no partnership); SYSTEM: unset.
_current: contextvars.ContextVar[Any] = contextvars.ContextVar("partnership", default=SYSTEM)
_orm_filter_off: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "partnership_orm_filter_off", default=False
)


class CrossPartnershipWrite(Exception):
    """A row of one partnership saved while running for another: refused, nothing written."""


def current() -> Any:
    """The partnership id this code runs for, None (hosting administrator) or SYSTEM."""
    return _current.get()


def current_partnership_id() -> int | None:
    """The default of every ``partnership`` column: the partnership this code runs for."""
    value = _current.get()
    return value if isinstance(value, int) else None


def is_system() -> bool:
    return _current.get() is SYSTEM


@contextlib.contextmanager
def partnership_context(partnership: Any) -> Iterator[None]:
    """Run the block for one partnership (a Partnership, its id, or None for the hosting
    administrator). Contexts nest; leaving one restores the previous."""
    value = partnership if partnership is None or isinstance(partnership, int) else partnership.pk
    token = _current.set(value)
    try:
        yield
    finally:
        _current.reset(token)


@contextlib.contextmanager
def system_context() -> Iterator[None]:
    """Operator code that must see every partnership (cross-partnership aggregates, a task
    that fans out per partnership). Never inside a request's view code."""
    token = _current.set(SYSTEM)
    try:
        yield
    finally:
        _current.reset(token)


@contextlib.contextmanager
def orm_filter_disabled() -> Iterator[None]:
    """For the test of the second lock only: the managers stop filtering, the database
    setting stays, so what comes back is what row-level security alone lets through."""
    token = _orm_filter_off.set(True)
    try:
        yield
    finally:
        _orm_filter_off.reset(token)


def database_value() -> str:
    """What the ``auditportal.partnership`` setting holds for the current context."""
    value = _current.get()
    if value is SYSTEM:
        return "*"
    if value is None:
        return "none"
    return str(int(value))


def sql_scope() -> tuple[bool, int]:
    """The first lock for hand-written SQL: (every partnership?, the partnership id), as in
    ``(%s OR t.partnership_id = %s)``; the same rule as `scope`."""
    value = _current.get()
    if value is SYSTEM or _orm_filter_off.get():
        return True, 0
    return False, value if isinstance(value, int) else 0


def scope(queryset: models.QuerySet) -> models.QuerySet:
    """The queryset filtered to the partnership this code runs for (unfiltered for SYSTEM)."""
    value = _current.get()
    if value is SYSTEM or _orm_filter_off.get():
        return queryset
    return queryset.filter(partnership_id=value)


class PartnershipManager(models.Manager):
    """The default manager of every partnership-owned model."""

    def get_queryset(self) -> models.QuerySet:
        return scope(super().get_queryset())


class PartnershipOwned(models.Model):
    """Abstract base of every partnership-owned model: a direct ``partnership`` column (so
    the row-level security policy is one equality), the scoped default manager, and the
    guard on save. Recipe: docs/architecture.md, "Making a new model partnership-owned"."""

    partnership = models.ForeignKey(
        "cases.Partnership",
        on_delete=models.PROTECT,
        related_name="+",
        default=current_partnership_id,
        editable=False,
    )

    objects: ClassVar[PartnershipManager] = PartnershipManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.partnership_id is None:
            self.partnership_id = partnership_of_parent(self)
        check_partnership(self)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: Any = None) -> None:
        # The partnership is set by code, never typed; the database's foreign key holds it.
        # Not validated here, so full_clean() asks no query for it (unique checks still use it).
        super().clean_fields(exclude={*(exclude or ()), "partnership"})


def partnership_of_parent(obj: models.Model) -> int | None:
    """The partnership of the first partnership-owned parent of ``obj`` (operator code that
    runs outside a context creates a child row from its parent)."""
    for field in obj._meta.concrete_fields:
        if not field.is_relation or field.name == "partnership":
            continue
        related = field.related_model
        if not isinstance(related, type) or not issubclass(related, PartnershipOwned):
            continue
        parent_id = getattr(obj, field.attname)
        if parent_id is None:
            continue
        parent = getattr(obj, field.name)
        return parent.partnership_id
    return None


def check_partnership(obj: models.Model) -> None:
    """Refuse a row of another partnership than the current one, or whose loaded parents
    belong to another partnership (no query: only parents already in hand are compared)."""
    partnership_id = obj.partnership_id  # type: ignore[attr-defined]
    value = _current.get()
    if isinstance(value, int) and partnership_id != value:
        raise CrossPartnershipWrite(
            f"{obj._meta.label} of partnership {partnership_id} saved for partnership {value}"
        )
    if value is None and partnership_id is not None:
        raise CrossPartnershipWrite(f"{obj._meta.label} saved by the hosting administration")
    for field in obj._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey) or field.name == "partnership":
            continue
        if not field.is_cached(obj):
            continue
        parent = field.get_cached_value(obj)
        parent_partnership = getattr(parent, "partnership_id", partnership_id)
        if isinstance(parent, PartnershipOwned) and parent_partnership != partnership_id:
            raise CrossPartnershipWrite(
                f"{obj._meta.label} of partnership {partnership_id} points at "
                f"{parent._meta.label} of partnership {parent_partnership}"
            )


def owned_models() -> list[type[models.Model]]:
    """Every concrete model with a ``partnership`` column, history tables included."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if not model._meta.abstract
        and any(field.name == "partnership" for field in model._meta.concrete_fields)
    ]
