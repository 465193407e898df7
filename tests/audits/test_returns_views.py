"""The return form page, reassignment, and the permission matrix of every return view."""

import pytest
from django.urls import reverse

from auditportal.models import AuditEvent
from audits.models import Answer, Return
from tests.factories import UserFactory

from .returns_builders import add_checklist_questions, build_open_audit, complete_post


@pytest.fixture
def built(agency_a, agency_b):
    return build_open_audit(agencies=[agency_a, agency_b])


def test_return_form_shows_case_header_with_own_agency_reference(
    client_as, practitioner, built, agency_a, agency_b
):
    audit_return = built.return_for(agency_a)

    response = client_as(practitioner).get(audit_return.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert "Riverbend child 1" in body
    assert "13 to 15" in body
    assert "Child in need (tier 3)" in body
    assert f"RB-{agency_a.pk}-0000" in body
    assert f"RB-{agency_b.pk}-0000" not in body
    assert "Voice of the child" in body and "Risk factors" in body
    assert f'id="id_q{built.items["grade"].pk}_0"' in body
    assert (
        f'data-autosave-url="{reverse("audits:return-autosave", args=[audit_return.pk])}"' in body
    )


def test_viewing_a_return_is_logged(client_as, practitioner, built, agency_a):
    audit_return = built.return_for(agency_a)

    client_as(practitioner).get(audit_return.get_absolute_url())

    event = AuditEvent.objects.get(code="return.viewed")
    assert (event.actor, event.target_id, event.kind) == (
        practitioner,
        str(audit_return.pk),
        "access",
    )


def test_business_team_sees_reference_read_only(client_as, business, built, agency_a):
    audit_return = built.return_for(agency_a)

    response = client_as(business).get(audit_return.get_absolute_url())

    body = response.content.decode()
    assert f"RB-{agency_a.pk}-0000" in body
    assert "data-autosave-url" not in body
    assert "disabled" in body


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("business", 403),
        ("practitioner", 302),
        ("other_practitioner", 404),
        ("board", 404),
        ("anonymous", 302),
    ],
)
def test_save_draft_without_javascript_permission_matrix(
    client_as, users, agency_a, role, expected
):
    built = build_open_audit(agencies=[agency_a])
    audit_return = built.return_for(agency_a)

    response = client_as(users[role]).post(audit_return.get_absolute_url(), complete_post(built, 0))

    audit_return.refresh_from_db()
    assert response.status_code == expected
    if role == "practitioner":
        assert audit_return.version == 1
        assert audit_return.answers.count() == 3  # grade, yes/partly/no, checklist
    else:
        assert audit_return.version == 0
        assert audit_return.answers.count() == 0


@pytest.mark.parametrize(
    ("role", "expected", "assigned"),
    [
        ("business", 302, True),
        ("agency_lead", 302, True),
        ("practitioner", 403, False),
        ("other_practitioner", 404, False),
        ("board", 404, False),
        ("anonymous", 302, False),
    ],
)
def test_reassign_permission_matrix(
    client_as, users, agency_lead, agency_a, role, expected, assigned
):
    users = {**users, "agency_lead": agency_lead}
    colleague = UserFactory(agencies=[agency_a])
    built = build_open_audit(agencies=[agency_a])
    audit_return = built.return_for(agency_a)
    url = reverse("audits:return-reassign", args=[audit_return.pk])

    response = client_as(users[role]).post(url, {"assignee": colleague.pk})

    audit_return.refresh_from_db()
    assert response.status_code == expected
    assert (audit_return.assignee == colleague) is assigned


def test_reassign_refuses_someone_outside_the_agency(
    client_as, business, practitioner, other_practitioner, agency_a
):
    built = build_open_audit(agencies=[agency_a])
    audit_return = built.return_for(agency_a)
    url = reverse("audits:return-reassign", args=[audit_return.pk])

    response = client_as(business).post(url, {"assignee": other_practitioner.pk})

    audit_return.refresh_from_db()
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert audit_return.assignee is None


def test_reassign_page_without_members_says_what_to_do(client_as, business, agency_a):
    built = build_open_audit(agencies=[agency_a])
    url = reverse("audits:return-reassign", args=[built.return_for(agency_a).pk])

    response = client_as(business).get(url)

    assert "has no practitioners yet" in response.content.decode()


def test_reassign_page_lists_agency_members(
    client_as, business, practitioner, agency_lead, agency_a
):
    built = build_open_audit(agencies=[agency_a])
    url = reverse("audits:return-reassign", args=[built.return_for(agency_a).pk])

    response = client_as(business).get(url)

    body = response.content.decode()
    assert response.status_code == 200
    assert str(practitioner) in body and str(agency_lead) in body


def test_read_only_when_audit_in_moderation(client_as, practitioner, agency_a):
    built = build_open_audit(agencies=[agency_a], status="moderation")
    audit_return = built.return_for(agency_a)
    client = client_as(practitioner)

    page = client.get(audit_return.get_absolute_url())
    post = client.post(audit_return.get_absolute_url(), complete_post(built, 0), follow=True)

    assert "not open for returns" in page.content.decode()
    assert "read-only now. Nothing was changed." in post.content.decode()
    assert Return.objects.get(pk=audit_return.pk).version == 0
    assert not Answer.objects.exists()


@pytest.mark.parametrize("extra_questions", [1, 3])
def test_return_form_query_count(
    client_as, practitioner, agency_a, extra_questions, django_assert_num_queries
):
    built = build_open_audit(agencies=[agency_a])
    add_checklist_questions(built, extra_questions)
    audit_return = built.return_for(agency_a)
    client = client_as(practitioner)
    client.post(audit_return.get_absolute_url(), complete_post(built, 0))

    # session, user, MFA device, return (+audit, case, agency, assignee), items, answers,
    # ticks, writable check, involvement, access-log insert, record reference, lead check,
    # concerns; then queries on its answers, the key events panel's writable check, its
    # events and the kinds of event offered
    with django_assert_num_queries(17):
        response = client.get(audit_return.get_absolute_url())

    assert response.status_code == 200
