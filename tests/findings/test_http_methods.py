"""Every URL of the findings app answers only the methods it is for, and 405 to any other:
walked from the URL conf, with the security tests' world (tests/security/world.py)."""

import re

import pytest
from django.urls import reverse

from tests.security.world import all_routes, build_world, url_kwargs

# A page posts to itself when one of its POST forms has no action, an empty one or its own URL.
POST_FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>", re.IGNORECASE)
ACTION = re.compile(r"\baction=\"([^\"]*)\"")
# Pages whose own form shows only in another state than the world's open audit.
FORM_IN_ANOTHER_STATE = {
    "findings:moderate",  # while the audit is in moderation
    "findings:action-reaudit",  # once the action's audit is published
    "findings:finding-reaudit",  # once the finding's audit is published
}


@pytest.fixture
def findings_urls(business, practitioner, other_practitioner, agency_a, agency_b):
    world = build_world(
        business=business,
        practitioner=practitioner,
        other_practitioner=other_practitioner,
        agency_a=agency_a,
        agency_b=agency_b,
    )
    routes = [route for route in all_routes() if route.name.startswith("findings:")]
    assert len(routes) >= 30
    return {route.name: reverse(route.name, kwargs=url_kwargs(route, world)) for route in routes}


def posts_to_itself(html: str, url: str) -> bool:
    for form in POST_FORM.findall(html):
        action = ACTION.search(form)
        if action is None or action.group(1) in {"", url}:
            return True
    return False


def test_every_findings_url_refuses_put_patch_and_delete(client, business, findings_urls):
    client.force_login(business)

    answered = {
        (name, method): getattr(client, method)(url).status_code
        for name, url in findings_urls.items()
        for method in ("put", "patch", "delete")
    }

    assert {key: status for key, status in answered.items() if status != 405} == {}


def test_findings_pages_without_a_form_of_their_own_refuse_post(client, business, findings_urls):
    client.force_login(business)
    page_only = []
    for name, url in findings_urls.items():
        response = client.get(url)
        is_page = response.status_code == 200 and response["Content-Type"].startswith("text/html")
        if is_page and not posts_to_itself(response.content.decode(), url):
            page_only.append(name)
    page_only = [name for name in page_only if name not in FORM_IN_ANOTHER_STATE]

    answered = {name: client.post(findings_urls[name]).status_code for name in page_only}

    assert "findings:finding-list" in answered
    assert {name: status for name, status in answered.items() if status != 405} == {}
