"""The kinds of event the audit trail records: a stable code ("<noun>.<verb_past>", e.g.
"return.viewed"), the words a data protection officer reads ("Viewed a return") and whether it
is a change, an access or a security event.

Each app lists the codes it writes as `EVENTS` in its `events.py`, found at start-up as the
admin finds `admin.py`; `audit_log` refuses a code nobody registered, so the trail never holds
a free-text verb. Codes are never renamed once written: the label may change, the code may not.
"""

import re
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from .models import AuditEvent

CODE = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")


@dataclass(frozen=True)
class EventKind:
    code: str
    label: str
    kind: str = AuditEvent.Kind.CHANGE


def change(code: str, label: str) -> EventKind:
    return EventKind(code, label, AuditEvent.Kind.CHANGE)


def access(code: str, label: str) -> EventKind:
    return EventKind(code, label, AuditEvent.Kind.ACCESS)


def security(code: str, label: str) -> EventKind:
    return EventKind(code, label, AuditEvent.Kind.SECURITY)


_KINDS: dict[str, EventKind] = {}


def register(*kinds: EventKind) -> None:
    for kind in kinds:
        if not CODE.match(kind.code):
            raise ValueError(f"Trail code {kind.code!r} is not '<noun>.<verb_past>'.")
        if kind.kind not in AuditEvent.Kind.values:
            raise ValueError(f"Trail code {kind.code!r} has no kind {kind.kind!r}.")
        if _KINDS.get(kind.code, kind) != kind:
            raise ValueError(f"Trail code {kind.code!r} is registered twice.")
        _KINDS[kind.code] = kind


def register_installed_apps() -> None:
    """Register the `EVENTS` of every installed app's `events.py` (AuditPortalConfig.ready)."""
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "events"):
            register(*import_module(f"{app_config.name}.events").EVENTS)


def registered() -> list[EventKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.code)


def event_kind(code: str) -> EventKind:
    """The registered kind of `code`. Raises LookupError for a code nobody registered."""
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"Trail code {code!r} is not registered (see <app>/events.py).") from None


def label_of(code: str) -> str:
    """The words for `code`; a row whose code is no longer registered shows the code."""
    kind = _KINDS.get(code)
    return kind.label if kind is not None else code


def codes_matching(text: str) -> list[str]:
    """The codes whose code or label contains `text` (any case): the trail's event search."""
    needle = text.strip().casefold()
    return [
        kind.code
        for kind in _KINDS.values()
        if needle in kind.code.casefold() or needle in kind.label.casefold()
    ]
