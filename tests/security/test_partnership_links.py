"""No row links two partnerships (issue 14): an id of partnership A's object in any form
field of partnership B (every POST form of B's pages, every field given A's ids) is refused
with a message or ignored, never a 500, never saved, and afterwards no row of any
partnership-owned table points at a row of another partnership."""

import pytest
from django.db.models import F
from django.test import Client

from auditportal.tenancy import PartnershipOwned, owned_models, partnership_context, system_context
from cases.models import Agency

from .test_hostile_input import find_forms
from .test_partnership_seal import partnership_row_counts
from .test_url_permissions import status_of
from .world import build_world


def cross_partnership_links() -> list[str]:
    """Every foreign key between partnership-owned rows whose two ends belong to different
    partnerships, counted past the managers: one query per foreign key."""
    found = []
    with system_context():
        for model in owned_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.concrete_fields:
                related = field.related_model
                if not field.is_relation or field.name == "partnership":
                    continue
                if not isinstance(related, type) or not issubclass(related, PartnershipOwned):
                    continue
                count = (
                    model._base_manager.filter(**{f"{field.name}__isnull": False})
                    .exclude(partnership_id=F(f"{field.name}__partnership_id"))
                    .count()
                )
                if count:
                    found.append(f"{model._meta.label}.{field.name}: {count}")
    return found


@pytest.fixture
def world_b(second, users_b):
    with partnership_context(second):
        return build_world(
            business=users_b["business"],
            practitioner=users_b["practitioner"],
            other_practitioner=users_b["other_practitioner"],
            agency_a=Agency.objects.get(short_name="A"),
            agency_b=Agency.objects.get(short_name="B"),
        )


@pytest.mark.parametrize("a_object", ["audit", "return", "case", "theme", "question", "answer"])
def test_partnership_b_forms_given_partnership_a_ids_link_nothing_across(
    partnership, world_a, world_b, clients_b, a_object
):
    a_id = world_a[a_object].pk
    forms = find_forms(
        {"business": clients_b["business"], "practitioner": clients_b["practitioner"]}, world_b
    )
    assert len(forms) >= 10
    problems = []
    for path, (name, role, fields) in sorted(forms.items()):
        before = partnership_row_counts(partnership.pk)
        client: Client = clients_b[role]
        response = client.post(path, {field: str(a_id) for field in fields})
        if status_of(response) >= 500:
            problems.append(f"{name} {path} as B's {role}: {response.status_code}")
        if partnership_row_counts(partnership.pk) != before:
            problems.append(f"{name} {path} as B's {role}: A's rows changed")

    assert not problems, "\n".join(problems)
    assert cross_partnership_links() == []


def test_the_check_finds_a_link_across_partnerships(world_a, second):
    """The invariant above is not vacuous: a row made to point across is found."""
    from audits.models import Return

    with partnership_context(second):
        agency = Agency.objects.create(name="Northmoor Police", sector=Agency.Sector.POLICE)
    with system_context():
        Return._base_manager.filter(pk=world_a["return"].pk).update(agency=agency)

    assert cross_partnership_links() == ["audits.Return.agency: 1"]
