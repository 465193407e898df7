"""Bad-input sweep (Hypothesis): every form of the project gets random and hostile values
(very long strings, control characters, HTML and script, SQL-ish text, out-of-range numbers,
invalid dates). The answer is a page with errors, a redirect or a refusal, never a 500, and a
refused post changes no row counts.

Forms are found by walking every page (as the business team and as a practitioner) and
reading each <form method="post">: its action and field names. POST-only endpoints found
this way are swept too, so new forms are covered without edits here.
"""

import json
import os
import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .world import all_routes, build_world, url_kwargs

# Examples per endpoint: HOSTILE_EXAMPLES=50 for a deeper run.
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "10"))
ALLOWED = {200, 302, 400, 403, 404, 409, 422}
REFUSED = {400, 403, 404, 409, 422}
SKIP = {"accounts:logout", "accounts:login", "accounts:password-reset"}
# Destructive endpoints run last so they do not take objects away from the others.
LAST_WORDS = ("delete", "retire", "remove", "revoke", "transition", "publish", "send-back")
APPS = {"accounts", "cases", "audits", "findings", "briefings"}

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE audits_audit; --",
    "1 OR 1=1",
    "\x00",
    "a\x00b",
    "\x1b[31m\x07\x08",
    "\u202e\u200b\ufeff",
    "../../etc/passwd",
    "{{ 7*7 }}{% debug %}",
    '=HYPERLINK("http://evil.example")',
    "-1",
    "0",
    "99999999999999999999999999",
    "-99999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "2026-02-30",
    "31/31/2026",
    "0000-00-00",
    "9999-12-31",
    "",
    " ",
    "true",
    "null",
    "[]",
    "{}",
]
LONG = ["x" * 20_000, "é" * 6_000, "<b>" * 3_000]

values = st.one_of(
    st.sampled_from(HOSTILE),
    st.sampled_from(LONG),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(lambda d: d.isoformat()),
)


class FormParser(HTMLParser):
    """Collects (action, field names) of every <form method="post">."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, set[str]]] = []
        self._current: tuple[str, set[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self._current = (attributes.get("action") or "", set())
            self.forms.append(self._current)
        elif tag in {"input", "select", "textarea", "button"} and self._current is not None:
            name = attributes.get("name")
            if name and name != "csrfmiddlewaretoken":
                self._current[1].add(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def row_counts() -> tuple[int, ...]:
    """Row counts of every table of the product's apps (history tables aside), one query."""
    tables = sorted(
        model._meta.db_table
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    )
    counts = ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables)  # noqa: S608
    sql = f"SELECT {counts}"
    with connection.cursor() as cursor:
        cursor.execute(sql)  # table names come from the models, not from input
        return tuple(cursor.fetchone())


def find_forms(clients: dict[str, Client], world: dict) -> dict[str, tuple[str, str, set[str]]]:
    """url path -> (url name, role, field names) for every POST form reachable by GET."""
    found: dict[str, tuple[str, str, set[str]]] = {}
    for route in all_routes():
        path = reverse(route.name, kwargs=url_kwargs(route, world))
        for role, client in clients.items():
            response = client.get(path)
            if response.status_code == 405:
                found.setdefault(path, (route.name, role, set()))
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = FormParser()
            parser.feed(response.content.decode(errors="replace"))
            for action, fields in parser.forms:
                target = urlparse(urljoin(path, action)).path
                try:
                    name = resolve(target).view_name
                except Resolver404:
                    continue
                if name in SKIP:
                    continue
                entry = found.setdefault(target, (name, role, set()))
                entry[2].update(fields)
    return {p: v for p, v in found.items() if v[0] not in SKIP}


def order(item):
    path, (name, _role, _fields) = item
    return (any(word in name for word in LAST_WORDS), name, path)


def make_sweep(client: Client, path: str, name: str, names: list[str], failures: list[str]):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        data=st.fixed_dictionaries({field: values for field in names}),
        as_json=st.booleans(),
    )
    def sweep(data, as_json):
        before = row_counts()
        if as_json and name.endswith("autosave"):
            response = client.post(path, json.dumps(data), content_type="application/json")
        else:
            response = client.post(path, data)
        status = response.status_code
        if status not in ALLOWED:
            failures.append(f"{name} {path}: {status} for {data!r:.300}")
        elif status in REFUSED and row_counts() != before:
            failures.append(f"{name} {path}: refused ({status}) but rows changed")

    return sweep


def test_hostile_values_never_cause_a_500_or_a_half_save(
    business, practitioner, other_practitioner, agency_a, agency_b
):
    world = build_world(
        business=business,
        practitioner=practitioner,
        other_practitioner=other_practitioner,
        agency_a=agency_a,
        agency_b=agency_b,
    )
    clients = {}
    for role, user in [("business", business), ("practitioner", practitioner)]:
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)
    endpoints = sorted(find_forms(clients, world).items(), key=order)
    print(f"hostile-input sweep: {len(endpoints)} endpoints")
    assert len(endpoints) >= 10, [e[0] for e in endpoints]
    failures: list[str] = []
    timings: list[tuple[float, str]] = []

    for path, (name, role, fields) in endpoints:
        names = sorted(fields) or ["text", "status", "note", "reason", "version", "hold"]
        started = time.monotonic()
        make_sweep(clients[role], path, name, names, failures)()
        timings.append((time.monotonic() - started, name))
        if len(failures) > 20:
            break

    print(f"sweep {sum(t for t, _ in timings):.1f}s, slowest:", sorted(timings, reverse=True)[:5])
    assert not failures, "\n".join(failures[:20])


def test_an_id_too_large_for_the_database_is_a_400_not_a_500(
    client, business, practitioner, other_practitioner, agency_a, agency_b
):
    world = build_world(
        business=business,
        practitioner=practitioner,
        other_practitioner=other_practitioner,
        agency_a=agency_a,
        agency_b=agency_b,
    )
    client.force_login(business)
    before = row_counts()

    response = client.post(
        reverse("briefings:composer", args=[world["audit"].pk]),
        {"title": "Riverbend briefing", "resources": "99999999999999999999999999"},
    )

    assert response.status_code == 400
    assert row_counts() == before
