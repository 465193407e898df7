"""Authorization review: walk every URL pattern of the project and check what each role gets
for a GET, against an explicit table. A URL name missing from EXPECTED fails the test: every
new view needs a rule here. This is the one table of who gets what status: a single test file
checks behaviour (what a page shows, that a refused write changes nothing), not statuses again.
The Django admin is checked separately (staff only).

Roles, in this order: business team, practitioner of the agency that owns the object
(agency A), practitioner of another agency (agency B), board member, anonymous.
Statuses: 200 page, 302 redirect (anonymous: to sign-in), 403 refused, 404 not visible,
405 GET not allowed (a POST-only endpoint; anonymous still goes to sign-in first).

To print what the app answers now:
    URL_PERMISSIONS_DISCOVER=1 pytest -s tests/security/test_url_permissions.py
"""

import os
from collections.abc import Callable

import pytest
from django.urls import reverse

from .test_csp import assert_strict_csp
from .world import ROLES, all_routes, build_world, url_kwargs

# business, practitioner (right agency), practitioner (other agency), board, anonymous
EXPECTED: dict[str, str] = {
    "home": "302 302 302 302 302",
    "accounts:login": "302 302 302 302 200",
    "accounts:logout": "405 405 405 405 405",
    "accounts:password-change": "200 200 200 200 302",
    "accounts:password-reset": "200 200 200 200 200",
    "accounts:password-reset-sent": "200 200 200 200 200",
    "accounts:password-reset-confirm": "200 200 200 200 200",
    "accounts:password-reset-complete": "200 200 200 200 200",
    "accounts:profile": "200 200 200 200 302",
    "accounts:mfa-enrol": "302 302 302 302 302",
    "accounts:mfa-verify": "302 302 302 302 302",
    "accounts:mfa-recovery-codes": "405 405 405 405 302",
    "accounts:keep-alive": "405 405 405 405 405",
    "audits:programme": "200 403 403 403 302",
    "audits:calendar": "200 403 403 403 302",
    # A secret signed token instead of a session (calendar apps): titles and dates only.
    "audits:ics": "200 200 200 200 200",
    "audits:ics-renew": "405 405 405 405 302",
    "audits:ics-revoke": "405 405 405 405 302",
    "audits:audit-create": "200 403 403 403 302",
    "audits:audit-detail": "200 403 404 404 302",
    "audits:audit-edit": "200 403 404 404 302",
    "audits:audit-transition": "405 405 405 405 302",
    "audits:case-add": "200 403 404 404 302",
    "audits:case-edit": "200 403 404 404 302",
    "audits:case-delete": "200 403 404 404 302",
    # The sample builder's candidate list: pseudonyms, like the audit's cases pages.
    "audits:sample-builder": "200 403 404 404 302",
    "audits:sample-upload": "405 405 405 405 302",
    "audits:sample-propose": "405 405 405 405 302",
    "audits:sample-swap": "405 405 405 405 302",
    "audits:sample-add": "405 405 405 405 302",
    "audits:question-bank": "200 403 403 403 302",
    "audits:question-create": "200 403 403 403 302",
    "audits:question-edit": "200 403 403 403 302",
    "audits:question-move": "405 405 405 405 302",
    "audits:theme-create": "200 403 403 403 302",
    "audits:theme-edit": "200 403 403 403 302",
    "audits:questionset-list": "200 403 403 403 302",
    "audits:questionset-create": "200 403 403 403 302",
    "audits:questionset-detail": "200 403 403 403 302",
    "audits:questionset-edit": "200 403 403 403 302",
    "audits:questionset-new-version": "405 405 405 405 302",
    "audits:my-returns": "403 200 200 403 302",
    # Case-level data: the business team and the agency that holds the record only.
    "audits:return-detail": "200 200 404 404 302",
    "audits:return-autosave": "405 405 405 405 405",
    "audits:return-submit": "405 405 405 405 302",
    "audits:return-send-back": "200 403 404 404 302",
    "audits:return-reassign": "200 403 404 404 302",
    "audits:concern-raise": "200 200 404 404 302",
    "audits:concern-resolve": "200 200 404 404 302",
    "audits:progress": "200 403 404 404 302",
    # Key events: a return's own agency writes them; everyone else never sees them here (the
    # business team reads them merged on the child's page).
    "audits:key-event-add": "405 405 405 405 302",
    "audits:key-event-update": "403 200 404 404 302",
    "audits:key-event-delete": "405 405 405 405 302",
    # Queries on one answer: raised by the business team; read and answered by the agency.
    "audits:answer-query": "200 403 404 404 302",
    "audits:query-detail": "200 200 404 404 302",
    # Closed and re-opened by the business team (POST only).
    "audits:query-close": "405 405 405 405 302",
    "audits:query-reopen": "405 405 405 405 302",
    # An audit's results and findings: like every business-team page of an audit, 404 to
    # whoever cannot see the audit at all (another agency, the board), 403 to its agencies.
    "findings:results": "200 403 404 404 302",
    "findings:results-evidence": "200 403 404 404 302",
    "findings:results-theme-agencies": "200 403 404 404 302",
    "findings:results-export": "200 403 404 404 302",
    "findings:answers-export": "200 403 404 404 302",
    "findings:moderate": "200 403 403 403 302",
    # The child's page and summary: every agency's answers and events, the business team's.
    "findings:child-page": "200 403 404 404 302",
    "findings:child-summary-request": "405 405 405 405 302",
    "findings:child-summary": "200 403 404 404 302",
    # Board members see aggregate figures (the partnership dashboard), never case data.
    "findings:trend": "200 403 403 200 302",
    "findings:trend-index": "200 403 403 200 302",
    "findings:question-trend": "200 403 403 200 302",
    "findings:completion-trend": "200 403 403 200 302",
    # A re-audit's before → after: the business team's, like the audit's results.
    "findings:reaudit-results": "200 403 404 404 302",
    "findings:dashboard": "200 403 403 200 302",
    # The aggregate data feed: a token in the Authorization header, never a session.
    "findings:feed-data": "401 401 401 401 401",
    "findings:feed-tokens": "200 403 403 403 302",
    "findings:feed-token-revoke": "405 405 405 405 302",
    "findings:finding-list": "200 403 404 404 302",
    "findings:finding-create": "200 403 404 404 302",
    "findings:findings-agree": "405 405 405 405 302",
    "findings:finding-update": "200 403 403 403 302",
    "findings:finding-delete": "200 403 403 403 302",
    "findings:finding-move": "405 405 405 405 302",
    "findings:finding-promote": "405 405 405 405 302",
    "findings:action-create": "200 403 404 404 302",
    "findings:action-tracker": "200 200 200 403 302",
    "findings:action-detail": "200 200 404 403 302",
    "findings:action-update": "200 403 404 403 302",
    # "Check with a re-audit": the business team's, like editing the action or finding.
    "findings:action-reaudit": "200 403 404 403 302",
    "findings:finding-reaudit": "200 403 403 403 302",
    "findings:action-delete": "200 403 404 403 302",
    "findings:subgroup-list": "200 403 403 403 302",
    "findings:subgroup-create": "200 403 403 403 302",
    "findings:subgroup-update": "200 403 403 403 302",
    "findings:subgroup-retire": "405 405 405 405 302",
    "findings:engagement": "200 403 404 404 302",
    "findings:quote-create": "200 403 404 404 302",
    "findings:quote-update": "200 403 403 403 302",
    "findings:quote-delete": "200 403 403 403 302",
    "findings:quote-move": "405 405 405 405 302",
    "findings:resource-list": "200 403 403 403 302",
    "findings:resource-create": "200 403 403 403 302",
    "findings:resource-update": "200 403 403 403 302",
    "findings:resource-retire": "405 405 405 405 302",
    "briefings:published": "200 200 200 200 302",
    # The reach of briefings (learning events): aggregate counts of staff, no child.
    "briefings:take-up": "200 403 403 200 302",
    "briefings:reach": "200 403 403 200 302",
    "briefings:use-record": "200 200 200 403 302",
    "briefings:composer": "200 403 404 404 302",
    # Autosave answers JSON, also to a signed-out browser (401 on POST), like the returns'.
    "briefings:autosave": "405 405 405 405 405",
    "briefings:refill": "405 405 405 405 302",
    "briefings:render": "405 405 405 405 302",
    "briefings:versions": "200 403 404 404 302",
    "briefings:preview": "200 403 404 404 302",
    "briefings:preview-live": "405 405 405 405 302",
    "briefings:pulse-send": "405 405 405 405 302",
    # The published version: everyone signed in. Drafts: see test_draft_pdf_* below.
    "briefings:version-download": "200 200 200 200 302",
    # The web briefing of the published version: everyone signed in, logged like a download.
    "briefings:version-read": "200 200 200 200 302",
    # The Word version of the published version: whoever may download its PDF.
    "briefings:version-word": "200 200 200 200 302",
    "briefings:version-public-link": "405 405 405 405 302",
    "briefings:public-link-withdraw": "405 405 405 405 302",
    # The public version at its unguessable link: no sign-in (withdrawn: 404).
    "briefings:public": "200 200 200 200 200",
    "briefings:version-rerun": "405 405 405 405 302",
    "briefings:version-approve": "405 405 405 405 302",
    "briefings:version-publish": "405 405 405 405 302",
    # Surveys: the business team builds them, like every business-team page of an audit.
    # A survey that has opened has frozen questions: adding or editing one goes back (302).
    "surveys:survey-list": "200 403 404 404 302",
    "surveys:survey-create": "405 405 405 405 302",
    "surveys:survey-detail": "200 403 404 404 302",
    "surveys:survey-status": "405 405 405 405 302",
    "surveys:survey-question-create": "302 403 404 404 302",
    "surveys:survey-plain-language": "405 405 405 405 302",
    "surveys:survey-batch-create": "200 403 404 404 302",
    "surveys:survey-results": "200 403 404 404 302",
    "surveys:question-edit": "302 403 404 404 302",
    "surveys:question-delete": "405 405 405 405 302",
    "surveys:question-move": "405 405 405 405 302",
    "findings:survey-quotes": "200 403 404 404 302",
    "findings:survey-quote-review": "200 403 404 404 302",
    # The public survey pages at the short address: no sign-in, for anyone with a code. The
    # answer page without this device's cookie goes to the start page (302, not sign-in).
    "survey_public:start": "200 200 200 200 200",
    "survey_public:answer": "302 302 302 302 302",
    "survey_public:thanks": "200 200 200 200 200",
    "survey_public:code": "200 200 200 200 200",
    "trail:events": "200 403 403 403 302",
    "trail:export": "200 403 403 403 302",
    "trail:retention": "200 403 403 403 302",
    "trail:legal-hold": "405 405 405 405 302",
    # The hosting administration: not on a partnership's address at all (its own host only;
    # tests/cases/test_onboarding.py).
    "hosting:partnerships": "404 404 404 404 404",
    "hosting:partnership-create": "404 404 404 404 404",
    # One partnership's page and its changes (tests/cases/test_hosting_partnership.py walks
    # them on the hosting host for every role of both partnerships).
    "hosting:partnership": "404 404 404 404 404",
    "hosting:partnership-rename": "404 404 404 404 404",
    "hosting:partnership-host-add": "404 404 404 404 404",
    "hosting:partnership-host-remove": "404 404 404 404 404",
    "hosting:partnership-deactivate": "404 404 404 404 404",
    "hosting:partnership-reactivate": "404 404 404 404 404",
    # The partnership's colour: a stylesheet, the same for everyone on its address.
    "partnership-css": "200 200 200 200 200",
}


# The administrator gets what the business team gets on every URL, except these.
ADMIN_DIFFERS: dict[str, str] = {}
# The lead practitioner of agency A gets what the practitioner of agency A gets, except these.
LEAD_DIFFERS: dict[str, str] = {
    # A lead hands their agency's returns to a colleague.
    "audits:return-reassign": "200",
}

# The same URL with other arguments than the world's defaults, where the status depends on
# the object: (URL name, what it is, kwargs from the world) -> statuses for the five roles.
VARIANTS: list[tuple[str, str, Callable[[dict], dict], str]] = [
    ("audits:ics", "a token that is not one", lambda w: {"token": "not-a-token"}, "404 " * 5),
    (
        "briefings:version-download",
        "a draft version (not published)",
        lambda w: {"pk": w["draft_version"].pk},
        "200 404 404 404 302",
    ),
    (
        "briefings:version-word",
        "a draft version (only the published version has a Word version)",
        lambda w: {"pk": w["draft_version"].pk},
        "404 404 404 404 302",
    ),
    (
        "surveys:survey-question-create",
        "a survey still in draft",
        lambda w: {"pk": w["draft_survey"].pk},
        "200 403 404 404 302",
    ),
    (
        "survey_public:code",
        "a code that is not one (a friendly page, nothing saved)",
        lambda w: {"code": "ABCD-EFGH-JKMN"},
        "404 " * 5,
    ),
    (
        "briefings:use-record",
        "a briefing not yet published",
        lambda w: {"pk": w["draft_version"].briefing_id},
        "404 404 404 404 302",
    ),
]


def status_of(response) -> int:
    if response.status_code == 302 and "/accounts/sign-in/" in response["Location"]:
        return 302
    return response.status_code


@pytest.fixture
def world(business, practitioner, other_practitioner, agency_a, agency_b):
    return build_world(
        business=business,
        practitioner=practitioner,
        other_practitioner=other_practitioner,
        agency_a=agency_a,
        agency_b=agency_b,
    )


@pytest.fixture
def clients(users, agency_lead):
    from django.test import Client

    users = {**users, "agency_lead": agency_lead}
    signed_in = {}
    for role in (*ROLES, "admin", "agency_lead"):
        client = Client()
        if users[role] is not None:
            client.force_login(users[role])
        signed_in[role] = client
    return signed_in


def test_every_url_has_a_rule_and_every_role_gets_what_the_rule_says(world, clients):
    actual: dict[str, str] = {}
    problems: list[str] = []
    for route in all_routes():
        url = reverse(route.name, kwargs=url_kwargs(route, world))
        statuses = []
        for role in ROLES:
            response = clients[role].get(url)
            statuses.append(str(status_of(response)))
            is_html = response.get("Content-Type", "").startswith("text/html")
            if response.status_code == 200 and is_html:
                try:
                    assert_strict_csp(response)
                except AssertionError as error:
                    problems.append(f"{route.name} as {role}: CSP {error}")
                if role != "anonymous" and "no-store" not in response.get("Cache-Control", ""):
                    problems.append(f"{route.name} as {role}: no Cache-Control: no-store")
            if response.status_code >= 500:
                problems.append(f"{route.name} as {role}: {response.status_code}")
        actual[route.name] = " ".join(statuses)
        admin = str(status_of(clients["admin"].get(url)))
        if admin != ADMIN_DIFFERS.get(route.name, statuses[0]):
            problems.append(f"{route.name} ({url}) as admin: {admin}, not {statuses[0]}")
        lead = str(status_of(clients["agency_lead"].get(url)))
        if lead != LEAD_DIFFERS.get(route.name, statuses[1]):
            problems.append(f"{route.name} ({url}) as agency lead: {lead}, not {statuses[1]}")
        if route.name not in EXPECTED:
            problems.append(f"{route.name} ({url}): new view without a rule: {actual[route.name]}")
        elif EXPECTED[route.name] != actual[route.name]:
            problems.append(
                f"{route.name} ({url}): expected {EXPECTED[route.name]}, got {actual[route.name]}"
            )
    for name, what, kwargs, expected in VARIANTS:
        url = reverse(name, kwargs=kwargs(world))
        got = " ".join(str(status_of(clients[role].get(url))) for role in ROLES)
        if got != expected.strip():
            problems.append(f"{name}, {what} ({url}): expected {expected.strip()}, got {got}")
    stale = sorted(set(EXPECTED) - set(actual))
    problems.extend(f"{name}: rule for a URL that no longer exists" for name in stale)
    if os.environ.get("URL_PERMISSIONS_DISCOVER"):
        print("\nEXPECTED = {")
        for name, statuses in actual.items():
            print(f'    "{name}": "{statuses}",')
        print("}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("business", 302),
        ("practitioner", 302),
        ("other_practitioner", 302),
        ("board", 302),
        ("anonymous", 302),
        ("admin", 200),
    ],
)
def test_admin_needs_staff(client_as, users, role, status):
    response = client_as(users[role]).get(reverse("admin:index"))

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", ["practitioner", "other_practitioner", "board", "anonymous"])
def test_record_reference_is_shown_only_to_its_agency(world, clients, role):
    url = reverse("audits:return-detail", args=[world["return"].pk])

    html = clients[role].get(url).content.decode()

    assert ("RB-SC-1001" in html) is (role == "practitioner")


# Self-service endpoints every signed-in user may post to (their own account), and what a
# practitioner of any agency may do with a published briefing.
WRITE_OPEN_TO = {
    "board": {
        "accounts:password-change",
        "accounts:mfa-recovery-codes",
        "accounts:keep-alive",
    },
    "other_practitioner": {
        "accounts:password-change",
        "accounts:mfa-recovery-codes",
        "accounts:keep-alive",
        "briefings:use-record",
    },
    "anonymous": {"accounts:keep-alive"},
}


def test_refused_roles_cannot_write_anywhere(world, clients):
    """Every POST form of the app, posted by the board, a practitioner of another agency and
    an anonymous visitor: refused (sign-in, 403, 404 or 405), and no row changes."""
    from .test_hostile_input import find_forms, row_counts

    endpoints = find_forms(
        {"business": clients["business"], "practitioner": clients["practitioner"]}, world
    )
    assert len(endpoints) >= 10
    problems = []
    for path, (name, _role, fields) in sorted(endpoints.items()):
        for role, open_names in WRITE_OPEN_TO.items():
            if name in open_names:
                continue
            before = row_counts()
            response = clients[role].post(path, {field: "1" for field in fields})
            status = status_of(response)
            # 401: the autosave endpoint answers JSON to a signed-out browser.
            if status not in {302, 401, 403, 404, 405} or (
                status in {302, 401} and role != "anonymous"
            ):
                problems.append(f"{name} {path} as {role}: {response.status_code}")
            elif row_counts() != before:
                problems.append(f"{name} {path} as {role}: refused but rows changed")
    assert not problems, "\n".join(problems)
