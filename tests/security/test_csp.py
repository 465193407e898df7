"""Content Security Policy: the header on every page, and no inline script or style in any
template (tests/security/test_url_permissions.py also checks the header on every page it
reaches)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)

REQUIRED = {
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
}


def directives(header: str) -> dict[str, str]:
    parsed = {}
    for part in header.split(";"):
        bits = part.strip().split(None, 1)
        if bits:
            parsed[bits[0]] = bits[1] if len(bits) > 1 else ""
    return parsed


def assert_strict_csp(response) -> None:
    header = response.get("Content-Security-Policy", "")
    assert header, "no Content-Security-Policy header"
    parsed = directives(header)
    for name, value in REQUIRED.items():
        assert parsed.get(name) == value, (name, header)
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


def all_templates() -> list[Path]:
    return sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*") if p.suffix in {".html", ".svg"})


def test_there_are_templates_to_check():
    assert len(all_templates()) > 10


@pytest.mark.parametrize("path", all_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_no_inline_script_or_style(path):
    source = path.read_text()
    problems = []
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("inline event handler", EVENT_HANDLER),
        ("<style> block", STYLE_BLOCK),
        ("style= attribute", STYLE_ATTRIBUTE),
        ("javascript: URL", JAVASCRIPT_URL),
    ]:
        for match in pattern.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            problems.append(f"{name} at line {line}: {match.group(0)!r}")
    assert not problems, problems


@pytest.mark.parametrize(
    ("user_fixture", "url"),
    [
        ("anonymous", "accounts:login"),
        ("anonymous", "accounts:password-reset"),
        ("business", "accounts:profile"),
        ("business", "trail:events"),
        ("business", "trail:retention"),
        ("business", "audits:programme"),
        ("practitioner", "audits:my-returns"),
        ("board", "briefings:published"),
    ],
)
def test_pages_carry_the_strict_policy(db, client_as, request, user_fixture, url):
    client = client_as(request.getfixturevalue(user_fixture))

    response = client.get(reverse(url))

    assert response.status_code == 200
    assert_strict_csp(response)


@pytest.mark.no_auto_mfa
def test_two_factor_pages_carry_the_strict_policy(client, business):
    client.force_login(business)

    response = client.get(reverse("accounts:mfa-enrol"))

    assert response.status_code == 200
    assert_strict_csp(response)
    assert "data:" in directives(response["Content-Security-Policy"])["img-src"]


def test_error_pages_carry_the_strict_policy(client, business, settings):
    settings.DEBUG = False
    client.force_login(business)

    assert_strict_csp(client.get("/no-such-page/"))
