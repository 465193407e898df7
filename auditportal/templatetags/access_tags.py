"""`{% has_perm "app.verb_noun" user obj as can_x %}`: what a template shows asks the same rule
the view checks (each app's rules.py), through auditportal.access.allowed.

The same call as django-rules' own `{% load rules %}{% has_perm %}`, which asks
`user.has_perm` and so every authentication backend: the model backend answers yes to a
superuser for anything, and a superuser would see buttons whose page then refuses them.
"""

from typing import Any

from django import template

from auditportal.access import allowed

register = template.Library()


@register.simple_tag
def has_perm(perm: str, user: Any, obj: object | None = None) -> bool:
    return allowed(user, perm, obj)
