"""The app's own error pages under DEBUG (`make run`, the embedded demo): never Django's debug
pages with the URL patterns, view names and settings, unless DEBUG_ERROR_PAGES asks for them."""

import logging

import pytest
from django.test import Client

from tests.factories import CaseFactory, ReturnFactory

DJANGO_DEBUG_404 = "Using the URLconf defined in"


@pytest.fixture
def demo_debug(settings):
    """What `make run` runs with: DEBUG on (pytest-django switches it off for tests)."""
    settings.DEBUG = True
    settings.DEBUG_ERROR_PAGES = False
    settings.ROOT_URLCONF = "tests.auditportal.error_urls"
    return settings


def test_unknown_url_under_debug_shows_the_apps_not_found_page(demo_debug, client, practitioner):
    client.force_login(practitioner)

    response = client.get("/audits/no-such-page/")

    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]
    html = response.content.decode()
    assert DJANGO_DEBUG_404 not in html
    assert "Go to your start page" in html
    assert "Sign out" in html  # the layout, signed in


def test_another_agencys_return_under_debug_is_the_apps_not_found_page(
    demo_debug, client, practitioner, agency_b
):
    other = ReturnFactory(agency=agency_b, case=CaseFactory())
    client.force_login(practitioner)

    response = client.get(other.get_absolute_url())

    assert response.status_code == 404
    assert response.templates[0].name == "404.html"
    assert "No Return matches the given query" not in response.content.decode()


def test_refused_page_under_debug_shows_the_apps_forbidden_page(demo_debug, client, practitioner):
    client.force_login(practitioner)

    response = client.get("/audits/")

    assert response.status_code == 403
    assert response.templates[0].name == "403.html"


def test_error_under_debug_shows_the_apps_page_and_logs_the_traceback(demo_debug, caplog, business):
    client = Client(raise_request_exception=False)
    client.force_login(business)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/test-errors/broken/")

    assert response.status_code == 500
    assert response.templates[0].name == "500.html"
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "RuntimeError" not in html
    assert caplog.records[-1].getMessage() == "Internal Server Error: /test-errors/broken/"
    assert caplog.records[-1].exc_info[0] is RuntimeError


def test_bad_request_under_debug_shows_the_apps_page(demo_debug, client, business):
    client.force_login(business)

    response = client.get("/test-errors/suspicious/")

    assert response.status_code == 400
    assert response.templates[0].name == "400.html"
    assert "tampered" not in response.content.decode()


def test_missing_slash_under_debug_still_redirects(demo_debug, client, business):
    client.force_login(business)

    response = client.get("/audits")

    assert response.status_code == 301
    assert response["Location"] == "/audits/"


def test_debug_error_pages_setting_gives_developers_djangos_pages(demo_debug, client, business):
    demo_debug.DEBUG_ERROR_PAGES = True
    client.force_login(business)

    response = client.get("/audits/no-such-page/")

    assert response.status_code == 404
    assert DJANGO_DEBUG_404 in response.content.decode()


def test_production_not_found_page_is_the_apps(settings, client, business):
    settings.DEBUG = False
    client.force_login(business)

    response = client.get("/audits/no-such-page/")

    assert response.status_code == 404
    assert response.templates[0].name == "404.html"


def test_form_without_its_csrf_token_explains_what_to_do(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/sign-in/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert response.templates[0].name == "403_csrf.html"
    assert "Go back, reload the page, and send the form again." in response.content.decode()
