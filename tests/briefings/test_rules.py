"""Who may do what with briefings (briefings/rules.py), and the services' own guard: a
refusal is a PermissionDenied (the view answers 403), not a form error, and writes nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from auditportal.access import allowed
from auditportal.models import AuditEvent
from briefings import services
from briefings.models import Briefing, BriefingVersion

ROLES = ["business", "admin", "practitioner", "other_practitioner", "board"]


@pytest.mark.parametrize(
    ("perm", "who"),
    [
        ("briefings.compose_briefing", {"business", "admin"}),
        ("briefings.record_use", {"business", "admin", "practitioner", "other_practitioner"}),
        ("briefings.view_reach", {"business", "admin", "board"}),
        (
            "briefings.view_published",
            {"business", "admin", "practitioner", "other_practitioner", "board"},
        ),
    ],
)
def test_briefing_permissions_by_role(users, perm, who):
    allowed_roles = {role for role in ROLES if allowed(users[role], perm)}

    assert allowed_roles == who


def _snapshot(briefing):
    briefing.refresh_from_db()
    return (
        Briefing.objects.count(),
        BriefingVersion.objects.count(),
        AuditEvent.objects.count(),
        briefing.working_well,
        briefing.topic,
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda b, actor: services.briefing_get_or_create(audit=b.audit, actor=actor),
        lambda b, actor: services.briefing_update(briefing=b, actor=actor, topic="Changed"),
        lambda b, actor: services.briefing_refill_section(
            briefing=b, field="working_well", actor=actor
        ),
        lambda b, actor: services.briefing_render(briefing=b, actor=actor, enqueue=False),
    ],
    ids=["get_or_create", "update", "refill", "render"],
)
@pytest.mark.parametrize("role", ["practitioner", "board"])
def test_briefing_services_refuse_with_permission_denied_and_change_nothing(
    briefing, users, call, role
):
    before = _snapshot(briefing)

    with pytest.raises(PermissionDenied):
        call(briefing, users[role])

    assert _snapshot(briefing) == before


def test_refill_by_a_practitioner_of_a_taking_part_agency_is_403_and_changes_nothing(
    briefing, practitioner, client_as
):
    # agency A takes part in the audit, so the practitioner can see it: 403, not 404.
    before = _snapshot(briefing)

    response = client_as(practitioner).post(
        reverse("briefings:refill", args=[briefing.audit_id]), {"field": "working_well"}
    )

    assert response.status_code == 403
    assert _snapshot(briefing) == before
