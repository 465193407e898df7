"""Submitting a return, the error summary, submitting twice, and return for amendment."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from audits.models import Answer, Return
from audits.services import return_send_back, return_submit

from .returns_builders import answers_post, build_open_audit, complete_post


@pytest.fixture
def built(agency_a):
    return build_open_audit(agencies=[agency_a])


def submit_url(audit_return):
    return reverse("audits:return-submit", args=[audit_return.pk])


def test_submit_complete_return_makes_it_read_only(client_as, practitioner, built, agency_a):
    audit_return = built.return_for(agency_a)
    client = client_as(practitioner)

    response = client.post(submit_url(audit_return), complete_post(built, 0))

    audit_return.refresh_from_db()
    assert response.status_code == 302
    assert audit_return.status == Return.Status.SUBMITTED
    assert audit_return.submitted_by == practitioner
    assert audit_return.submitted_at is not None
    page = client.get(audit_return.get_absolute_url()).content.decode()
    assert "data-autosave-url" not in page
    assert "Submit return" not in page


def test_submit_with_missing_required_answers_shows_linked_error_summary(
    client_as, practitioner, built, agency_a
):
    audit_return = built.return_for(agency_a)

    response = client_as(practitioner).post(
        submit_url(audit_return), answers_post(built, 0, grade="good", text="Draft note")
    )

    body = response.content.decode()
    audit_return.refresh_from_db()
    assert response.status_code == 200
    assert 'role="alert" tabindex="-1" id="error-summary"' in body
    assert f'href="#id_q{built.items["ynp"].pk}_0"' in body
    assert f'href="#id_q{built.items["grade"].pk}_0"' not in body
    assert audit_return.status == Return.Status.IN_PROGRESS
    # The draft was kept, and the re-shown form carries the new version.
    assert Answer.objects.get(item=built.items["text"]).text == "Draft note"
    assert f'name="version" value="{audit_return.version}"' in body


def test_checklist_with_nothing_ticked_is_a_valid_answer(client_as, practitioner, built, agency_a):
    audit_return = built.return_for(agency_a)
    data = answers_post(built, 0, grade="not_applicable", ynp="no")

    client_as(practitioner).post(submit_url(audit_return), data)

    assert Return.objects.get(pk=audit_return.pk).status == Return.Status.SUBMITTED


def test_required_number_and_text_must_be_filled(practitioner, built, agency_a):
    built.items["number"].required = True
    built.items["number"].save()
    audit_return = built.return_for(agency_a)
    Answer.objects.create(audit_return=audit_return, item=built.items["grade"], choice="good")
    Answer.objects.create(audit_return=audit_return, item=built.items["ynp"], choice="yes")

    with pytest.raises(ValidationError) as error:
        return_submit(audit_return=audit_return, actor=practitioner)

    assert list(error.value.error_dict) == [f"q{built.items['number'].pk}"]


def test_submitting_twice_says_so_and_changes_nothing(client_as, practitioner, built, agency_a):
    audit_return = built.return_for(agency_a)
    client = client_as(practitioner)
    client.post(submit_url(audit_return), complete_post(built, 0))
    submitted = Return.objects.get(pk=audit_return.pk)

    response = client.post(
        submit_url(audit_return),
        answers_post(built, submitted.version, grade="inadequate"),
        follow=True,
    )

    after = Return.objects.get(pk=audit_return.pk)
    assert "already submitted" in response.content.decode()
    assert (after.version, after.submitted_at) == (submitted.version, submitted.submitted_at)
    assert Answer.objects.get(item=built.items["grade"]).choice == "good"


def test_submit_against_stale_version_shows_conflict_and_does_not_submit(
    client_as, practitioner, agency_lead, built, agency_a
):
    audit_return = built.return_for(agency_a)
    client_as(agency_lead).post(
        reverse("audits:return-autosave", args=[audit_return.pk]),
        answers_post(built, 0, grade="good"),
    )

    response = client_as(practitioner).post(
        submit_url(audit_return), answers_post(built, 0, grade="inadequate", ynp="yes")
    )

    assert "Someone else saved this return" in response.content.decode()
    assert Return.objects.get(pk=audit_return.pk).status == Return.Status.IN_PROGRESS
    assert Answer.objects.get(item=built.items["grade"]).choice == "good"


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
def test_submit_permission_matrix(client_as, users, built, agency_a, role, expected):
    audit_return = built.return_for(agency_a)

    response = client_as(users[role]).post(submit_url(audit_return), complete_post(built, 0))

    assert response.status_code == expected
    submitted = Return.objects.get(pk=audit_return.pk).status == Return.Status.SUBMITTED
    assert submitted is (role == "practitioner")


def _submitted(built, agency, practitioner):
    audit_return = built.return_for(agency)
    Answer.objects.create(audit_return=audit_return, item=built.items["grade"], choice="good")
    Answer.objects.create(audit_return=audit_return, item=built.items["ynp"], choice="yes")
    return return_submit(audit_return=audit_return, actor=practitioner)


def test_send_back_with_reason_reopens_and_practitioner_sees_reason(
    client_as, business, practitioner, built, agency_a, django_capture_on_commit_callbacks
):
    audit_return = _submitted(built, agency_a, practitioner)
    Return.objects.filter(pk=audit_return.pk).update(assignee=practitioner)
    url = reverse("audits:return-send-back", args=[audit_return.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(business).post(url, {"reason": "Please add evidence for the grade."})

    audit_return.refresh_from_db()
    assert response.status_code == 302
    assert audit_return.status == Return.Status.RETURNED
    page = client_as(practitioner).get(audit_return.get_absolute_url()).content.decode()
    assert "Please add evidence for the grade." in page
    assert "data-autosave-url" in page
    listing = client_as(practitioner).get(reverse("audits:my-returns")).content.decode()
    assert "Please add evidence for the grade." in listing
    assert [m.to for m in mail.outbox] == [[practitioner.email]]
    assert "Please add evidence" not in mail.outbox[0].body


def test_send_back_needs_a_reason(client_as, business, practitioner, built, agency_a):
    audit_return = _submitted(built, agency_a, practitioner)
    url = reverse("audits:return-send-back", args=[audit_return.pk])

    response = client_as(business).post(url, {"reason": "  "})

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert Return.objects.get(pk=audit_return.pk).status == Return.Status.SUBMITTED


def test_send_back_of_unsubmitted_return_refused(business, built, agency_a):
    with pytest.raises(ValidationError):
        return_send_back(audit_return=built.return_for(agency_a), actor=business, reason="Why")

    assert Return.objects.get(pk=built.return_for(agency_a).pk).status == Return.Status.NOT_STARTED


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("business", 302),
        ("practitioner", 403),
        ("other_practitioner", 404),
        ("board", 404),
        ("anonymous", 302),
    ],
)
def test_send_back_permission_matrix(
    client_as, users, practitioner, built, agency_a, role, expected
):
    audit_return = _submitted(built, agency_a, practitioner)
    url = reverse("audits:return-send-back", args=[audit_return.pk])

    response = client_as(users[role]).post(url, {"reason": "More evidence please."})

    assert response.status_code == expected
    status = Return.objects.get(pk=audit_return.pk).status
    assert status == (Return.Status.RETURNED if role == "business" else Return.Status.SUBMITTED)


def test_save_without_javascript_with_wrong_type_shows_error_summary(
    client_as, practitioner, built, agency_a
):
    audit_return = built.return_for(agency_a)
    data = answers_post(built, 0, grade="brilliant", number="four", text="x" * 5001)

    response = client_as(practitioner).post(audit_return.get_absolute_url(), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in body
    assert f'href="#id_q{built.items["grade"].pk}_0"' in body
    assert f'href="#id_q{built.items["number"].pk}"' in body
    assert f'href="#id_q{built.items["text"].pk}"' in body
    assert Return.objects.get(pk=audit_return.pk).version == 0
    assert not Answer.objects.exists()
