"""The trail's event codes: every code written is registered by the app that writes it, in one
style ("<noun>.<verb_past>"), with its words and kind; nothing else can be written."""

import ast
import importlib
from pathlib import Path

import pytest
from django.urls import reverse

from auditportal.auditlog import access_log, audit_log
from auditportal.models import AuditEvent
from auditportal.trail_registry import (
    EventKind,
    codes_matching,
    event_kind,
    label_of,
    register,
    registered,
)

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "auditportal", "audits", "briefings", "cases", "findings", "surveys")
WRITERS = {"audit_log", "access_log", "_security_row"}


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "/migrations/" not in path.as_posix() and path.name != "events.py":
            yield path, ast.parse(path.read_text())


def _constants(node: ast.AST) -> list[str]:
    """The strings a `code=` argument can take: a literal, or either side of `a if x else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constants(node.body) + _constants(node.orelse)
    return []


def _written_codes() -> dict[str, set[str]]:
    """app -> the codes its modules pass to audit_log / access_log."""
    written: dict[str, set[str]] = {app: set() for app in APPS}
    for app in APPS:
        for _path, tree in _modules(app):
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                for keyword in node.keywords:
                    if name in WRITERS and keyword.arg == "code":
                        written[app].update(_constants(keyword.value))
    return written


def _strings_of(app: str) -> set[str]:
    return {
        node.value
        for _path, tree in _modules(app)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_every_code_written_is_registered_by_the_app_that_writes_it():
    written = _written_codes()

    unregistered = {
        (app, code)
        for app, codes in written.items()
        for code in codes
        if code not in [kind.code for kind in _events_of(app)]
    }

    assert sum(len(codes) for codes in written.values()) > 80  # the scan sees the call sites
    assert unregistered == set()


def _events_of(app: str) -> list[EventKind]:
    return importlib.import_module(f"{app}.events").EVENTS


def test_every_registered_code_is_written_by_its_app():
    unused = {
        (app, kind.code)
        for app in APPS
        for kind in _events_of(app)
        if kind.code not in _strings_of(app)
    }

    assert unused == set()


def test_the_registry_holds_every_apps_events_once():
    listed = [kind for app in APPS for kind in _events_of(app)]

    assert sorted(listed, key=lambda kind: kind.code) == registered()
    assert len({kind.code for kind in listed}) == len(listed)


@pytest.mark.parametrize(
    "kind",
    [
        EventKind("password changed", "Changed their password"),
        EventKind("Return.Viewed", "Viewed a return"),
        EventKind("return.viewed", "Looked at a return"),  # taken, with other words
        EventKind("return.opened", "Opened a return", "read"),  # no such kind
    ],
)
def test_a_code_out_of_style_or_registered_twice_is_refused(kind):
    with pytest.raises(ValueError):
        register(kind)

    assert label_of("return.viewed") == "Viewed a return"


def test_the_kind_of_a_row_comes_from_its_code(business):
    security = audit_log(actor=business, code="account.mfa_reset", target=business)
    change = audit_log(actor=business, code="audit.created")
    access = access_log(actor=business, code="trail.exported", target=None)

    assert [security.kind, change.kind, access.kind] == ["security", "change", "access"]


def test_an_unregistered_code_or_a_change_logged_as_a_view_writes_nothing(business):
    with pytest.raises(LookupError):
        audit_log(actor=business, code="return.opened")
    with pytest.raises(LookupError):
        audit_log(actor=business, code="password changed")
    with pytest.raises(ValueError):
        access_log(actor=business, code="audit.created", target=None)

    assert not AuditEvent.objects.exists()


def test_the_event_search_matches_words_and_codes():
    assert codes_matching("PDF") == [
        "briefing.render_requested",
        "briefing.render_rerun",
        "briefing.render_resent",
        "briefing.downloaded",
    ]
    assert codes_matching("return.view") == ["return.viewed"]
    assert event_kind("briefing.downloaded").label == "Downloaded a briefing PDF"


def test_the_trail_page_reads_as_words(client, business):
    audit_log(actor=business, code="account.mfa_reset", target=business)
    client.force_login(business)

    html = client.get(reverse("trail:events")).content.decode()

    assert "<td>Reset two-factor sign-in</td>" in html
    assert "account.mfa_reset" not in html
