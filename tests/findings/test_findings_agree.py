"""Agreeing an audit's findings (moderation -> findings agreed): the findings layer checks its
own precondition (at least one finding) and the audit's service moves the audit on; the audit
layer never looks at findings (issue 13: a higher layer checks its own preconditions)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audits.models import Audit, AuditTransition
from findings.services import findings_agree
from tests.factories import AuditFactory, FindingFactory

S = Audit.Status


def test_findings_agree_needs_a_finding_and_changes_nothing_without_one(business):
    audit = AuditFactory(status=S.MODERATION)

    with pytest.raises(ValidationError, match="Record at least one finding"):
        findings_agree(audit=audit, actor=business)

    assert Audit.objects.get(pk=audit.pk).status == S.MODERATION
    assert not AuditTransition.objects.filter(audit=audit).exists()


def test_findings_agree_with_a_finding_moves_the_audit_on_with_its_note(business):
    audit = AuditFactory(status=S.MODERATION)
    FindingFactory(audit=audit)

    findings_agree(audit=audit, actor=business, note="Agreed at the moderation meeting")

    assert Audit.objects.get(pk=audit.pk).status == S.FINDINGS_AGREED
    step = AuditTransition.objects.get(audit=audit)
    assert (step.from_status, step.to_status, step.note) == (
        S.MODERATION,
        S.FINDINGS_AGREED,
        "Agreed at the moderation meeting",
    )


def test_findings_agree_of_an_open_audit_says_it_cannot_move(business):
    audit = AuditFactory(status=S.OPEN)

    with pytest.raises(ValidationError, match="cannot move"):
        findings_agree(audit=audit, actor=business)


def test_findings_agree_refuses_a_practitioner_before_looking_at_findings(practitioner):
    audit = AuditFactory(status=S.MODERATION)

    with pytest.raises(PermissionDenied):
        findings_agree(audit=audit, actor=practitioner)

    assert Audit.objects.get(pk=audit.pk).status == S.MODERATION


def test_the_audit_pages_button_posts_to_the_findings_layer(client, business):
    audit = AuditFactory(status=S.MODERATION)
    FindingFactory(audit=audit)
    client.force_login(business)
    agree_url = reverse("findings:findings-agree", args=[audit.pk])

    page = client.get(audit.get_absolute_url()).content.decode()
    response = client.post(agree_url, {"note": "Agreed"}, follow=True)

    assert f'formaction="{agree_url}"' in page
    assert response.redirect_chain[-1][0] == audit.get_absolute_url()
    assert "The audit is now “Findings agreed”." in response.content.decode()
    assert Audit.objects.get(pk=audit.pk).status == S.FINDINGS_AGREED


def test_the_button_without_findings_shows_why_and_changes_nothing(client, business):
    audit = AuditFactory(status=S.MODERATION)
    client.force_login(business)

    response = client.post(
        reverse("findings:findings-agree", args=[audit.pk]), {"note": ""}, follow=True
    )

    assert "Record at least one finding before marking the findings agreed." in (
        response.content.decode()
    )
    assert Audit.objects.get(pk=audit.pk).status == S.MODERATION
