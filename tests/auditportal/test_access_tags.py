"""Templates ask the rules the views check (auditportal/templatetags/access_tags.py): the
navigation shows a link when its page's rule allows it, and a superuser sees only what the
rules give (django-rules' own tag would ask the model backend, which says yes to anything)."""

import re

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.factories import ActionFactory, UserFactory


def nav_links(user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    html = render_to_string("includes/nav_items.html", {"user": user, "request": request})
    return re.findall(r'class="nav-link" href="[^"]*"[^>]*>([^<]+)</a>', html)


@pytest.mark.parametrize(
    ("role", "links"),
    [
        (
            "business",
            [
                "Audit programme",
                "Calendar",
                "Question bank",
                "Published briefings",
                "Dashboard",
                "Actions",
                "Resources",
                "Audit trail",
            ],
        ),
        ("practitioner", ["My returns", "Published briefings", "Actions"]),
        ("board", ["Published briefings", "Dashboard"]),
    ],
)
def test_the_navigation_shows_the_pages_each_role_may_open(users, role, links):
    assert nav_links(users[role]) == links


def test_the_navigation_offers_administration_to_staff_of_the_business_team(db):
    admin = UserFactory(role="admin", is_staff=True)
    board_staff = UserFactory(role="board", is_staff=True, is_superuser=True)

    assert "Administration" in nav_links(admin)
    assert nav_links(board_staff) == ["Published briefings", "Dashboard"]


def test_has_perm_asks_the_rules_alone_with_the_object(db, business, practitioner):
    superuser = UserFactory(role="practitioner", is_superuser=True)
    action = ActionFactory()
    template = Template(
        '{% load access_tags %}{% has_perm "findings.edit_action" user action as can %}{{ can }}'
    )

    def answer(user):
        return template.render(Context({"user": user, "action": action}))

    assert superuser.has_perm("findings.edit_action", action) is True  # the model backend
    assert (answer(business), answer(practitioner), answer(superuser)) == ("True", "False", "False")
