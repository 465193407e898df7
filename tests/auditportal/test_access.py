"""The one access check (auditportal/access.py): 404 when not visible, 403 when visible but
refused, and only the rules decide (a superuser's model-backend shortcut does not widen)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from auditportal.access import allowed, require
from tests.factories import UserFactory


def test_require_not_visible_is_404_even_for_the_business_team(business):
    with pytest.raises(Http404):
        require(business, "audits.manage_programme", visible=False)


def test_require_visible_but_refused_is_403(practitioner):
    with pytest.raises(PermissionDenied):
        require(practitioner, "audits.manage_programme")


def test_require_allowed_returns_quietly(business):
    assert require(business, "audits.manage_programme") is None


def test_allowed_a_superuser_without_the_role_gets_only_what_the_rules_give(db):
    superuser = UserFactory(role="board", is_superuser=True, is_staff=True)

    assert superuser.has_perm("audits.manage_programme") is True  # the model backend says yes
    assert allowed(superuser, "audits.manage_programme") is False  # the rules say no
    assert allowed(superuser, "findings.view_dashboard") is True


def test_allowed_an_unknown_permission_is_refused(business):
    assert allowed(business, "audits.no_such_permission") is False
