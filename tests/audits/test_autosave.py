"""The autosave endpoint: JSON for every outcome, so the page can always keep the typing."""

import json

import pytest
from django.urls import reverse

from audits.answers import field_name
from audits.models import Answer, Return

from .returns_builders import answers_post, build_open_audit, complete_post


@pytest.fixture
def built(agency_a):
    return build_open_audit(agencies=[agency_a])


def autosave_url(audit_return):
    return reverse("audits:return-autosave", args=[audit_return.pk])


def test_autosave_saves_and_reports_time_version_progress(client_as, practitioner, built, agency_a):
    audit_return = built.return_for(agency_a)

    response = client_as(practitioner).post(
        autosave_url(audit_return), answers_post(built, 0, grade="good")
    )

    data = response.json()
    assert response.status_code == 200
    assert data["ok"] is True
    assert data["version"] == 1
    assert data["message"].startswith("Saved at ")
    assert data["answered"] == sorted(
        [f"q-{built.items['grade'].pk}", f"q-{built.items['checklist'].pk}"]
    )
    assert data["next_unanswered"] == f"q-{built.items['ynp'].pk}"
    assert Answer.objects.get(item=built.items["grade"]).choice == "good"


def test_autosave_when_signed_out_answers_401_json(client, built, agency_a):
    audit_return = built.return_for(agency_a)

    response = client.post(autosave_url(audit_return), answers_post(built, 0, grade="good"))

    assert response.status_code == 401
    assert response.json()["error"] == "signed_out"
    assert "Sign in again in a new tab" in response.json()["message"]
    assert Answer.objects.count() == 0


def test_autosave_stale_version_is_409_naming_changed_questions(
    client_as, practitioner, agency_lead, built, agency_a
):
    audit_return = built.return_for(agency_a)
    client_as(agency_lead).post(
        autosave_url(audit_return), answers_post(built, 0, grade="good", text="Lead's note")
    )

    data_from_stale_page = answers_post(built, 0, grade="inadequate", text="My note")
    data_from_stale_page["_base"] = json.dumps({f"q{built.items['grade'].pk}": []})
    response = client_as(practitioner).post(autosave_url(audit_return), data_from_stale_page)

    data = response.json()
    assert response.status_code == 409
    assert data["error"] == "conflict"
    assert data["version"] == 1
    assert [c["question"] for c in data["changed"]] == [
        built.items["grade"].text,
        built.items["text"].text,
    ]
    assert data["changed"][0]["anchor"] == f"id_q{built.items['grade'].pk}_0"
    assert data["changed"][0]["sentence"] == (
        f"The saved answer to “{built.items['grade'].text}” is “Good”; this page has “Inadequate”."
    )
    assert data["same_user"] is False
    assert Answer.objects.get(item=built.items["text"]).text == "Lead's note"
    assert Return.objects.get(pk=audit_return.pk).version == 1


def test_autosave_stale_version_with_over_deep_base_is_400_and_nothing_saved(
    client_as, practitioner, agency_lead, built, agency_a
):
    audit_return = built.return_for(agency_a)
    client_as(agency_lead).post(autosave_url(audit_return), answers_post(built, 0, grade="good"))
    stale = answers_post(built, 0, grade="inadequate")
    stale["_base"] = "[" * 100_000

    response = client_as(practitioner).post(autosave_url(audit_return), stale)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid"
    assert "Reload the page" in response.json()["message"]
    assert Answer.objects.get(item=built.items["grade"]).choice == "good"
    assert Return.objects.get(pk=audit_return.pk).version == 1


def test_autosave_wrong_type_is_400_and_nothing_saved(client_as, practitioner, built, agency_a):
    audit_return = built.return_for(agency_a)
    data = answers_post(built, 0, grade="good", number="four")

    response = client_as(practitioner).post(autosave_url(audit_return), data)

    assert response.status_code == 400
    assert response.json()["errors"][0][0] == f"id_{field_name(built.items['number'])}"
    assert built.items["number"].text in response.json()["message"]
    assert Answer.objects.count() == 0


def test_autosave_oversize_text_is_400(client_as, practitioner, built, agency_a):
    audit_return = built.return_for(agency_a)

    response = client_as(practitioner).post(
        autosave_url(audit_return), answers_post(built, 0, text="x" * 5001)
    )

    assert response.status_code == 400
    assert Answer.objects.count() == 0


def test_autosave_of_submitted_return_is_403_json(client_as, practitioner, built, agency_a):
    audit_return = built.return_for(agency_a)
    Return.objects.filter(pk=audit_return.pk).update(status=Return.Status.SUBMITTED)

    response = client_as(practitioner).post(autosave_url(audit_return), complete_post(built, 0))

    assert response.status_code == 403
    assert response.json()["error"] == "read_only"
    assert Answer.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("business", 403),
        ("admin", 403),
        ("practitioner", 200),
        ("other_practitioner", 404),
        ("board", 404),
        ("anonymous", 401),
    ],
)
def test_autosave_permission_matrix(client_as, users, built, agency_a, role, expected):
    audit_return = built.return_for(agency_a)

    response = client_as(users[role]).post(autosave_url(audit_return), complete_post(built, 0))

    assert response.status_code == expected
    assert Answer.objects.exists() is (expected == 200)


def test_autosave_refuses_get(client_as, practitioner, built, agency_a):
    response = client_as(practitioner).get(autosave_url(built.return_for(agency_a)))

    assert response.status_code == 405
