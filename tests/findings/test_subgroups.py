import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from auditportal.models import AuditEvent
from findings import services
from findings.models import SubGroup
from tests.factories import SubGroupFactory


def test_subgroup_create_and_log(business):
    subgroup = services.subgroup_create(
        name=" Safeguarding in Education ", lead_email="chair@example.org", actor=business
    )

    assert subgroup.name == "Safeguarding in Education"
    assert AuditEvent.objects.filter(code="subgroup.created").count() == 1


def test_subgroup_name_must_be_unique_ignoring_case(business):
    SubGroupFactory(name="Health Sub-group")

    with pytest.raises(ValidationError) as error:
        services.subgroup_create(name="health sub-group", actor=business)

    assert "already exists" in error.value.message_dict["name"][0]


def test_subgroup_bad_email_refused(business):
    with pytest.raises(ValidationError):
        services.subgroup_create(name="New", lead_email="not-an-email", actor=business)

    assert SubGroup.objects.count() == 0


def test_retired_subgroup_is_not_offered_for_new_actions(client_as, business):
    from tests.factories import AuditFactory

    SubGroupFactory(name="Old Neglect Group", active=False)
    SubGroupFactory(name="Learning and Improvement")
    audit = AuditFactory()

    response = client_as(business).get(reverse("findings:action-create", args=[audit.pk]))

    content = response.content.decode()
    assert "Learning and Improvement" in content
    assert "Old Neglect Group" not in content


def test_subgroup_views_create_update_retire(client_as, business):
    client = client_as(business)

    client.post(reverse("findings:subgroup-create"), {"name": "Health Sub-group"})
    subgroup = SubGroup.objects.get()
    client.post(
        reverse("findings:subgroup-update", args=[subgroup.pk]),
        {"name": "Health and Wellbeing Sub-group", "lead_email": "chair@example.org"},
    )
    client.post(reverse("findings:subgroup-retire", args=[subgroup.pk]))

    subgroup.refresh_from_db()
    assert (subgroup.name, subgroup.lead_email, subgroup.active) == (
        "Health and Wellbeing Sub-group",
        "chair@example.org",
        False,
    )


def test_subgroup_create_view_duplicate_shows_error(client_as, business):
    SubGroupFactory(name="Health Sub-group")

    response = client_as(business).post(
        reverse("findings:subgroup-create"), {"name": "Health Sub-group"}
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert SubGroup.objects.count() == 1


@pytest.mark.parametrize("n", [1, 3])
def test_subgroup_list_query_count(client_as, business, n, django_assert_num_queries):
    for _ in range(n):
        SubGroupFactory()
    client = client_as(business)
    client.get(reverse("findings:subgroup-list"))

    # session, user, OTP device, sub-groups
    with django_assert_num_queries(4):
        response = client.get(reverse("findings:subgroup-list"))

    assert response.status_code == 200
