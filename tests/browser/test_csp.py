"""The pages run under a strict Content Security Policy, and the browser enforces it."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_csp_header_forbids_inline_script_and_style(ui_for):
    ui = ui_for(None)

    response = ui.goto("/accounts/sign-in/")
    ui.check("Sign in")

    policy = response.headers["content-security-policy"]
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_csp_blocks_an_injected_inline_script(ui_for):
    ui = ui_for(None)
    ui.goto("/accounts/sign-in/")
    ui.check("Sign in")
    ui.allow_console_error(r"CSP violation: script-src|Content Security Policy")

    with ui.page.expect_console_message(
        predicate=lambda message: "CSP violation" in message.text
    ) as violation:
        ui.page.evaluate(
            """() => {
                const script = document.createElement('script');
                script.textContent = 'window.injected = true';
                document.body.appendChild(script);
            }"""
        )

    assert re.search(r"script-src", violation.value.text)
    assert ui.page.evaluate("() => window.injected === undefined")
