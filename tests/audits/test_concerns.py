"""Immediate concerns: raised from a return, e-mailed at once without the child's details,
shown as a banner on the audit until the action taken is recorded."""

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from audits.models import ImmediateConcern
from audits.services import concern_raise
from tests.factories import UserFactory

from .returns_builders import build_open_audit

DESCRIPTION = "Parent said at the last visit that the child had been left alone overnight."


@pytest.fixture
def built(agency_a, agency_b):
    return build_open_audit(agencies=[agency_a, agency_b])


def raise_url(audit_return):
    return reverse("audits:concern-raise", args=[audit_return.pk])


def test_raising_a_concern_emails_business_team_and_safeguarding_lead_at_once(
    client_as,
    practitioner,
    business,
    business2,
    board,
    built,
    agency_a,
    django_capture_on_commit_callbacks,
):
    UserFactory(role="business", is_active=False)
    audit_return = built.return_for(agency_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(practitioner).post(
            raise_url(audit_return), {"description": DESCRIPTION}
        )

    concern = ImmediateConcern.objects.get()
    assert response.status_code == 302
    assert (concern.audit, concern.audit_return, concern.raised_by) == (
        built.audit,
        audit_return,
        practitioner,
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [business.email, business2.email, agency_a.safeguarding_lead_email]
    )
    for message in mail.outbox:
        assert built.audit.title in message.body
        assert agency_a.name in message.body
        assert "Riverbend child" not in message.subject + message.body
        assert f"RB-{agency_a.pk}" not in message.body
        assert "left alone" not in message.body
        assert reverse("audits:concern-resolve", args=[concern.pk]) in message.body


def test_concern_emails_sent_once_even_if_notified_again(
    practitioner, business, built, agency_a, django_capture_on_commit_callbacks
):
    from audits.notifications import concern_alerts_deliver

    with django_capture_on_commit_callbacks(execute=True):
        concern = concern_raise(
            audit_return=built.return_for(agency_a), actor=practitioner, description=DESCRIPTION
        )
    concern_alerts_deliver(concern_id=concern.pk)

    assert len(mail.outbox) == 2


def test_concern_email_goes_without_a_worker_when_mail_server_fails_first(
    practitioner, business, built, agency_a, django_capture_on_commit_callbacks, monkeypatch
):
    """The first attempt fails; the Celery task (eager here) retries and sends."""
    from audits import notifications

    real = notifications.send_mail
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("mail server down")
        return real(*args, **kwargs)

    monkeypatch.setattr(notifications, "send_mail", flaky)

    with django_capture_on_commit_callbacks(execute=True):
        concern_raise(
            audit_return=built.return_for(agency_a), actor=practitioner, description=DESCRIPTION
        )

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [business.email, agency_a.safeguarding_lead_email]
    )


def test_concern_needs_description_and_at_most_2000_characters(
    client_as, practitioner, built, agency_a
):
    client = client_as(practitioner)

    empty = client.post(raise_url(built.return_for(agency_a)), {"description": ""})
    long = client.post(raise_url(built.return_for(agency_a)), {"description": "x" * 2001})

    assert empty.status_code == long.status_code == 200
    assert "This field is required" in empty.content.decode()
    assert "at most 2000 characters" in long.content.decode()
    assert not ImmediateConcern.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("business", 302),
        ("practitioner", 302),
        ("other_practitioner", 404),
        ("board", 404),
        ("anonymous", 302),
    ],
)
def test_raise_concern_permission_matrix(client_as, users, agency_a, role, expected):
    built = build_open_audit(agencies=[agency_a])

    response = client_as(users[role]).post(
        raise_url(built.return_for(agency_a)), {"description": DESCRIPTION}
    )

    assert response.status_code == expected
    assert ImmediateConcern.objects.exists() is (role in {"business", "practitioner"})


def render_banner(user, audit):
    request = RequestFactory().get("/")
    request.user = user
    template = Template('{% include "audits/includes/concerns.html" %}')
    return template.render(Context({"audit": audit, "request": request, "user": user}))


def test_banner_shows_until_action_recorded(
    client_as, practitioner, agency_lead, business, built, agency_a
):
    concern = concern_raise(
        audit_return=built.return_for(agency_a), actor=practitioner, description=DESCRIPTION
    )
    assert "Immediate concern raised" in render_banner(business, built.audit)
    assert "Record the action taken" in render_banner(agency_lead, built.audit)
    assert "View the concern" in render_banner(practitioner, built.audit)

    response = client_as(agency_lead).post(
        reverse("audits:concern-resolve", args=[concern.pk]),
        {"action_taken": "Referred to the duty social work team the same afternoon."},
    )

    concern.refresh_from_db()
    assert response.status_code == 302
    assert (concern.resolved_by, concern.is_open) == (agency_lead, False)
    banner = render_banner(business, built.audit)
    assert "Immediate concern raised" not in banner
    assert "Action recorded" in banner


def test_banner_hides_other_agencies_concerns(practitioner, other_practitioner, built, agency_a):
    concern_raise(
        audit_return=built.return_for(agency_a), actor=practitioner, description=DESCRIPTION
    )

    assert render_banner(other_practitioner, built.audit).strip() == ""


def test_resolve_needs_action_text_and_happens_once(
    client_as, business, practitioner, built, agency_a
):
    concern = concern_raise(
        audit_return=built.return_for(agency_a), actor=practitioner, description=DESCRIPTION
    )
    url = reverse("audits:concern-resolve", args=[concern.pk])
    client = client_as(business)

    empty = client.post(url, {"action_taken": ""})
    client.post(url, {"action_taken": "Strategy discussion held."})
    again = client.post(url, {"action_taken": "Something else."})

    concern.refresh_from_db()
    assert "This field is required" in empty.content.decode()
    assert again.status_code == 200
    assert concern.action_taken == "Strategy discussion held."


@pytest.mark.parametrize(
    ("role", "get_status", "post_status"),
    [
        ("business", 200, 302),
        ("agency_lead", 200, 302),
        ("practitioner", 200, 403),
        ("other_practitioner", 404, 404),
        ("board", 404, 404),
        ("anonymous", 302, 302),
    ],
)
def test_resolve_concern_permission_matrix(
    client_as, users, agency_lead, practitioner, agency_a, role, get_status, post_status
):
    users = {**users, "agency_lead": agency_lead}
    built = build_open_audit(agencies=[agency_a])
    concern = concern_raise(
        audit_return=built.return_for(agency_a), actor=practitioner, description=DESCRIPTION
    )
    url = reverse("audits:concern-resolve", args=[concern.pk])
    client = client_as(users[role])

    page = client.get(url)
    post = client.post(url, {"action_taken": "Referred to the police."})

    concern.refresh_from_db()
    assert (page.status_code, post.status_code) == (get_status, post_status)
    assert concern.is_open is (role not in {"business", "agency_lead"})
