"""Every write of findings/views/findings.py, posted by each role: the allowed write happens,
a refused one changes nothing in the database. (Who gets which page is the URL-walk table in
tests/security/test_url_permissions.py.)"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from auditportal.models import AuditEvent
from findings.models import Action, Engagement, Finding, Quote, Resource, SubGroup
from tests.factories import (
    ActionFactory,
    AnswerFactory,
    AuditFactory,
    FindingFactory,
    QuoteFactory,
    ResourceFactory,
    SubGroupFactory,
)

BUSINESS_ONLY = {
    "business": 200,
    "admin": 200,
    "practitioner": 403,
    "other_practitioner": 403,
    "board": 403,
    "anonymous": 302,
}
BUSINESS_ONLY_WRITE = {**BUSINESS_ONLY, "business": 302, "admin": 302}
# A write under an audit nobody else can see (no agency of theirs takes part): 404, not 403.
AUDIT_WRITE = {**BUSINESS_ONLY_WRITE, "practitioner": 404, "other_practitioner": 404, "board": 404}


@pytest.fixture
def world(agency_a):
    audit = AuditFactory(title="Deep dive into early help")
    finding = FindingFactory(audit=audit, text="Original finding")
    FindingFactory(audit=audit, theme=finding.theme, text="Second finding")
    action = ActionFactory(audit=audit, owner_agency=agency_a, text="Original action")
    return {
        "audit": audit,
        "finding": finding,
        "action": action,
        "subgroup": SubGroupFactory(name="Original sub-group"),
        "quote": QuoteFactory(audit=audit, text="Original quote", order=1),
        "quote2": QuoteFactory(audit=audit, text="Second quote", order=2),
        "resource": ResourceFactory(title="Original resource"),
        "answer": AnswerFactory(evidence="Evidence worth promoting"),
        "theme": finding.theme,
    }


def snapshot() -> tuple:
    """Everything these views can change."""
    return (
        list(Finding.objects.order_by("pk").values_list("pk", "kind", "text", "order")),
        list(Action.objects.order_by("pk").values_list("pk", "text", "status", "due_date")),
        list(SubGroup.objects.order_by("pk").values_list("pk", "name", "active")),
        list(Engagement.objects.values_list("pk", "cyp_shared", "cyp_responses")),
        list(Quote.objects.order_by("pk").values_list("pk", "text", "order", "consent")),
        list(Resource.objects.order_by("pk").values_list("pk", "title", "active")),
        AuditEvent.objects.count(),
    )


def _due() -> str:
    return (timezone.localdate() + datetime.timedelta(days=10)).isoformat()


# name, args from world, data posted, expected by role
CASES = [
    (
        "finding-create",
        ["audit"],
        lambda w: {"kind": "strength", "theme": w["theme"].pk, "text": "New"},
        AUDIT_WRITE,
    ),
    (
        "finding-update",
        ["finding"],
        lambda w: {"kind": "development", "theme": w["theme"].pk, "text": "Changed"},
        BUSINESS_ONLY_WRITE,
    ),
    ("finding-delete", ["finding"], lambda w: {}, BUSINESS_ONLY_WRITE),
    ("finding-move", ["finding"], lambda w: {"direction": "down"}, BUSINESS_ONLY_WRITE),
    ("finding-promote", ["answer"], lambda w: {}, BUSINESS_ONLY_WRITE),
    (
        "action-create",
        ["audit"],
        lambda w: {
            "text": "Do it",
            "section": "will_do",
            "owner": f"subgroup-{w['subgroup'].pk}",
            "due_date": _due(),
        },
        AUDIT_WRITE,
    ),
    (
        "action-detail",
        ["action"],
        lambda w: {"status": "done", "completion_evidence": "Training delivered"},
        {
            "business": 302,
            "admin": 302,
            "practitioner": 403,  # sees it, but is not the agency's lead
            "other_practitioner": 404,
            "board": 403,
            "anonymous": 302,
        },
    ),
    (
        "action-update",
        ["action"],
        lambda w: {
            "text": "Changed",
            "section": "next_step",
            "owner": f"subgroup-{w['subgroup'].pk}",
            "due_date": _due(),
        },
        {**BUSINESS_ONLY_WRITE, "other_practitioner": 404},
    ),
    ("action-delete", ["action"], lambda w: {}, {**BUSINESS_ONLY_WRITE, "other_practitioner": 404}),
    ("subgroup-create", [], lambda w: {"name": "Neglect Sub-group"}, BUSINESS_ONLY_WRITE),
    ("subgroup-update", ["subgroup"], lambda w: {"name": "Renamed"}, BUSINESS_ONLY_WRITE),
    ("subgroup-retire", ["subgroup"], lambda w: {}, BUSINESS_ONLY_WRITE),
    (
        "engagement",
        ["audit"],
        lambda w: {
            "cyp_shared": 10,
            "cyp_responses": 5,
            "parent_shared": 4,
            "parent_responses": 1,
        },
        AUDIT_WRITE,
    ),
    (
        "quote-create",
        ["audit"],
        lambda w: {"text": "Kind staff", "source_label": "parent", "consent": "on"},
        AUDIT_WRITE,
    ),
    (
        "quote-update",
        ["quote"],
        lambda w: {"text": "Changed", "source_label": "parent"},
        BUSINESS_ONLY_WRITE,
    ),
    ("quote-delete", ["quote"], lambda w: {}, BUSINESS_ONLY_WRITE),
    ("quote-move", ["quote"], lambda w: {"direction": "down"}, BUSINESS_ONLY_WRITE),
    (
        "resource-create",
        [],
        lambda w: {"title": "New", "url": "https://example.org/new", "kind": "training"},
        BUSINESS_ONLY_WRITE,
    ),
    (
        "resource-update",
        ["resource"],
        lambda w: {"title": "Changed", "url": "https://example.org/x", "kind": "toolkit"},
        BUSINESS_ONLY_WRITE,
    ),
    ("resource-retire", ["resource"], lambda w: {}, BUSINESS_ONLY_WRITE),
]

ROLES = ["business", "admin", "practitioner", "other_practitioner", "board", "anonymous"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "args", "data", "expected"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_each_role_writes_or_changes_nothing(
    client_as, users, world, role, name, args, data, expected
):
    url = reverse(f"findings:{name}", args=[world[a].pk for a in args])
    client = client_as(users[role])
    before = snapshot()

    response = client.post(url, data(world))

    assert response.status_code == expected[role]
    refused = role == "anonymous" or expected[role] in {403, 404}
    if refused:
        assert snapshot() == before
    else:
        assert snapshot() != before  # the allowed write really happened
