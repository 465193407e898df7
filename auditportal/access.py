"""The one access check a view makes: the rules of each app's ``rules.py``, nothing else.

A view loads what it needs through a selector that already filters by partnership, role and
agency, then asks ``require(user, "app.verb_noun", obj)``:

- of another partnership than the request's (the object's, or the user's): 404, before any
  rule is asked (the selectors' managers filter by partnership already: this is the check
  that a rule never sees another partnership's object, whatever loaded it);
- not visible to the user (the selector found nothing, or ``visible=False``): 404, so a page
  never reveals that a return, case, audit or briefing exists;
- visible but not allowed: 403 (``PermissionDenied``), never a form error.

It reads the rules alone (``rules.has_perm``), not ``user.has_perm``: that would ask every
authentication backend, and the model backend answers yes to a superuser for anything.
"""

from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404

from . import tenancy

_NO_PARTNERSHIP = object()


def in_partnership(user: Any, obj: object | None = None) -> bool:
    """The user and the object belong to the partnership this request runs for."""
    current = tenancy.current()
    if current is tenancy.SYSTEM:
        return True
    if getattr(user, "is_authenticated", False) and user.partnership_id != current:
        return False
    owner = getattr(obj, "partnership_id", _NO_PARTNERSHIP)
    return owner is _NO_PARTNERSHIP or owner == current


def allowed(user: Any, perm: str, obj: object | None = None) -> bool:
    """What the rules say, for a template flag ("show the Send back button"); never yes for
    another partnership's user or object."""
    return in_partnership(user, obj) and bool(rules.has_perm(perm, user, obj))


def require(user: Any, perm: str, obj: object | None = None, *, visible: bool = True) -> None:
    """Raise Http404 when the object is not visible to the user, PermissionDenied when it is
    visible but the rule refuses; return quietly when allowed."""
    if not visible or not in_partnership(user, obj):
        raise Http404
    if not allowed(user, perm, obj):
        raise PermissionDenied
