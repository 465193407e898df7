"""Tasks know their tenant. Every Celery task of the project is a ``PartnershipTask``
(auditportal/celery.py): ``outbox.enqueue`` adds the partnership the caller runs for to the
task's keyword arguments (``partnership_id``), and the task runs inside that partnership's
context (auditportal.tenancy), so its reads and writes are scoped, the connection carries
the row-level security setting, and its e-mails link to that partnership's address.

A task whose partnership was deactivated (or deleted) since it was queued does nothing and
logs why. A periodic task (``base=PerPartnershipTask``: reminders, summaries, purges) that beat
starts with no partnership runs once for each active partnership, each in its own context.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task

from . import tenancy

logger = logging.getLogger(__name__)

KWARG = "partnership_id"


def _active_partnership_ids() -> list[int]:
    from django.apps import apps

    partnership = apps.get_model("cases", "Partnership")
    return list(partnership.objects.filter(active=True).order_by("pk").values_list("pk", flat=True))


def partnership_is_active(partnership_id: int) -> bool:
    from django.apps import apps

    partnership = apps.get_model("cases", "Partnership")
    return partnership.objects.filter(pk=partnership_id, active=True).exists()


class PartnershipTask(Task):
    # Set on periodic tasks: started without a partnership, run once per active partnership.
    per_partnership = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        partnership_id = kwargs.pop(KWARG, None)
        if partnership_id is None:
            if self.per_partnership and tenancy.is_system():
                return self._for_each_partnership(args, kwargs)
            return super().__call__(*args, **kwargs)
        if not partnership_is_active(partnership_id):
            logger.warning(
                "task %s stopped: partnership %s is deactivated or gone", self.name, partnership_id
            )
            return None
        with tenancy.partnership_context(int(partnership_id)):
            return super().__call__(*args, **kwargs)

    def _for_each_partnership(self, args: tuple, kwargs: dict) -> Any:
        results = []
        for partnership_id in _active_partnership_ids():
            with tenancy.partnership_context(partnership_id):
                results.append(super().__call__(*args, **kwargs))
        if all(isinstance(result, int) for result in results):
            return sum(results)
        return results


class PerPartnershipTask(PartnershipTask):
    """A periodic task: started by beat with no partnership, it runs once per partnership."""

    per_partnership = True


def with_partnership(kwargs: dict | None) -> dict:
    """The task's keyword arguments with the partnership the caller runs for."""
    kwargs = dict(kwargs or {})
    partnership_id = tenancy.current_partnership_id()
    if partnership_id is not None:
        kwargs.setdefault(KWARG, partnership_id)
    return kwargs
