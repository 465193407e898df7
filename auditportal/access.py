"""The one access check a view makes: the rules of each app's ``rules.py``, nothing else.

A view loads what it needs through a selector that already filters by partnership, role and
agency, then asks ``require(user, "app.verb_noun", obj)``:

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


def allowed(user: Any, perm: str, obj: object | None = None) -> bool:
    """What the rules say, for a template flag ("show the Send back button")."""
    return bool(rules.has_perm(perm, user, obj))


def require(user: Any, perm: str, obj: object | None = None, *, visible: bool = True) -> None:
    """Raise Http404 when the object is not visible to the user, PermissionDenied when it is
    visible but the rule refuses; return quietly when allowed."""
    if not visible:
        raise Http404
    if not allowed(user, perm, obj):
        raise PermissionDenied
