"""Cases in an audit: adding, editing and removing them with their agencies and record
references, the sample spread, and what an open audit still allows."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from auditportal.models import AuditEvent
from audits.models import Audit, Return
from audits.services import case_create, case_delete, case_update
from cases.models import Case, CaseAgency, RecordReference
from tests.factories import (
    AnswerFactory,
    AuditFactory,
    CaseAgencyFactory,
    CaseFactory,
    RecordReferenceFactory,
    SampleCaseFactory,
)


def case_post(agencies_refs, **overrides):
    data = {
        "pseudonym": "YP1",
        "age_band": Case.AgeBand.AGE_13_15,
        "gender": Case.Gender.FEMALE,
        "ethnicity": "",
        "level_of_need": Case.LevelOfNeed.EARLY_HELP,
    }
    for agency, reference in agencies_refs.items():
        data[f"agency_{agency.pk}"] = "on"
        data[f"reference_{agency.pk}"] = reference
    data.update(overrides)
    return data


def test_add_case_with_agencies_and_references(client_as, business, agency_a, agency_b):
    audit = AuditFactory()

    response = client_as(business).post(
        reverse("audits:case-add", args=[audit.pk]),
        case_post({agency_a: "CSC-100200", agency_b: ""}),
    )

    case = Case.objects.get(audits=audit)
    assert response.status_code == 302
    assert case.pseudonym == "YP1"
    assert set(case.agencies.all()) == {agency_a, agency_b}
    assert list(RecordReference.objects.values_list("reference", flat=True)) == ["CSC-100200"]
    event = AuditEvent.objects.get(code="case.created")
    assert "CSC-100200" not in str(event.changes)


def test_add_case_without_agency_is_refused(client_as, business):
    audit = AuditFactory()

    response = client_as(business).post(reverse("audits:case-add", args=[audit.pk]), case_post({}))

    assert response.status_code == 200
    assert "Choose at least one agency involved with this case." in response.content.decode()
    assert not Case.objects.exists()


def test_reference_without_ticking_the_agency_is_refused(client_as, business, agency_a):
    audit = AuditFactory()
    data = case_post({})
    data[f"reference_{agency_a.pk}"] = "POL-1"

    response = client_as(business).post(reverse("audits:case-add", args=[audit.pk]), data)

    assert "Tick A as involved, or clear its record reference." in response.content.decode()
    assert not Case.objects.exists()


def test_duplicate_pseudonym_is_refused(client_as, business, agency_a):
    audit = AuditFactory()
    CaseFactory(audit=audit, pseudonym="YP1")

    response = client_as(business).post(
        reverse("audits:case-add", args=[audit.pk]), case_post({agency_a: ""}, pseudonym="yp1")
    )

    assert "already has a case called yp1" in response.content.decode()
    assert Case.objects.count() == 1


def test_case_service_refuses_no_agency(business):
    audit = AuditFactory()

    with pytest.raises(ValidationError, match="at least one agency"):
        case_create(
            audit=audit,
            actor=business,
            pseudonym="YP2",
            age_band=Case.AgeBand.AGE_5_9,
            gender=Case.Gender.MALE,
            level_of_need=Case.LevelOfNeed.CHILD_IN_NEED,
            agencies={},
        )

    assert not Case.objects.exists()


def test_edit_case_changes_agencies_and_references(client_as, business, agency_a, agency_b):
    audit = AuditFactory()
    case = CaseFactory(audit=audit, pseudonym="YP1")
    RecordReferenceFactory(
        involvement=CaseAgencyFactory(case=case, agency=agency_a), reference="OLD-1"
    )

    response = client_as(business).post(
        reverse("audits:case-edit", args=[audit.pk, case.pk]),
        case_post({agency_b: "NEW-2"}, level_of_need=Case.LevelOfNeed.CHILD_PROTECTION),
    )

    case.refresh_from_db()
    assert response.status_code == 302
    assert case.level_of_need == Case.LevelOfNeed.CHILD_PROTECTION
    assert list(case.agencies.all()) == [agency_b]
    assert list(RecordReference.objects.values_list("reference", flat=True)) == ["NEW-2"]
    event = AuditEvent.objects.get(code="case.updated")
    assert "NEW-2" not in str(event.changes) and "OLD-1" not in str(event.changes)


def test_edit_form_prefills_references(client_as, business, agency_a):
    audit = AuditFactory()
    case = CaseFactory(audit=audit)
    RecordReferenceFactory(
        involvement=CaseAgencyFactory(case=case, agency=agency_a), reference="CSC-778899"
    )

    response = client_as(business).get(reverse("audits:case-edit", args=[audit.pk, case.pk]))

    assert 'value="CSC-778899"' in response.content.decode()


def test_remove_case(client_as, business, agency_a):
    audit = AuditFactory()
    case = CaseFactory(audit=audit)
    CaseAgencyFactory(case=case, agency=agency_a)

    response = client_as(business).post(reverse("audits:case-delete", args=[audit.pk, case.pk]))

    assert response.status_code == 302
    assert not Case.objects.exists()
    assert not CaseAgency.objects.exists()


def test_adding_a_case_to_an_open_audit_creates_its_returns(business, agency_a, agency_b):
    audit = AuditFactory(status=Audit.Status.OPEN)

    case = case_create(
        audit=audit,
        actor=business,
        pseudonym="Child Z",
        age_band=Case.AgeBand.AGE_1_4,
        gender=Case.Gender.MALE,
        level_of_need=Case.LevelOfNeed.CHILD_PROTECTION,
        agencies={agency_a: "A-1", agency_b: "B-2"},
    )

    assert set(Return.objects.filter(case=case).values_list("agency", flat=True)) == {
        agency_a.pk,
        agency_b.pk,
    }


def test_open_audit_refuses_removing_an_agency_whose_return_started(business, agency_a, agency_b):
    audit = AuditFactory(status=Audit.Status.OPEN)
    case = CaseFactory(audit=audit)
    CaseAgencyFactory(case=case, agency=agency_a)
    CaseAgencyFactory(case=case, agency=agency_b)
    started = Return.objects.create(
        audit=audit, case=case, agency=agency_a, status=Return.Status.IN_PROGRESS
    )
    Return.objects.create(audit=audit, case=case, agency=agency_b)
    fields = {
        "pseudonym": case.pseudonym,
        "age_band": case.age_band,
        "gender": case.gender,
        "level_of_need": case.level_of_need,
    }

    with pytest.raises(ValidationError, match="cannot be removed"):
        case_update(audit=audit, case=case, actor=business, agencies={agency_b: ""}, **fields)
    with pytest.raises(ValidationError, match="cannot be removed"):
        case_delete(audit=audit, case=case, actor=business)
    case_update(audit=audit, case=case, actor=business, agencies={agency_a: ""}, **fields)

    assert list(Return.objects.filter(case=case)) == [started]
    assert list(case.agencies.all()) == [agency_a]


def test_answers_alone_count_as_started(business, agency_a):
    audit = AuditFactory(status=Audit.Status.OPEN)
    case = CaseFactory(audit=audit)
    CaseAgencyFactory(case=case, agency=agency_a)
    AnswerFactory(audit_return=Return.objects.create(audit=audit, case=case, agency=agency_a))

    with pytest.raises(ValidationError):
        case_delete(audit=audit, case=case, actor=business)

    assert Case.objects.filter(pk=case.pk).exists()


@pytest.mark.parametrize("status", [Audit.Status.MODERATION, Audit.Status.PUBLISHED])
def test_cases_frozen_after_open(client_as, business, agency_a, status):
    audit = AuditFactory(status=status)

    response = client_as(business).post(
        reverse("audits:case-add", args=[audit.pk]), case_post({agency_a: ""}), follow=True
    )

    assert "can no longer change" in response.content.decode()
    assert not Case.objects.exists()


def test_sample_spread_counts_cases(client_as, business, agency_a):
    audit = AuditFactory()
    CaseFactory(audit=audit, level_of_need=Case.LevelOfNeed.EARLY_HELP, gender=Case.Gender.MALE)
    CaseFactory(audit=audit, level_of_need=Case.LevelOfNeed.EARLY_HELP)
    CaseFactory(audit=audit, level_of_need=Case.LevelOfNeed.CHILD_PROTECTION, ethnicity="")

    response = client_as(business).get(reverse("audits:case-add", args=[audit.pk]))

    spread = {d.field: {r.label: r.count for r in d.rows} for d in response.context["spread"]}
    assert spread["level_of_need"]["Early help (tier 2)"] == 2
    assert spread["level_of_need"]["Child protection (tier 4)"] == 1
    assert spread["level_of_need"]["Child looked after (tier 4)"] == 0
    assert spread["gender"] == {"Female": 2, "Male": 1, "Another gender": 0, "Not recorded": 0}
    assert spread["ethnicity"]["Not given"] == 1
    assert "67%" in response.content.decode()


def test_sample_spread_rounds_half_up(client_as, business):
    """1 of 8 is 12.5%: every other figure in the product shows 13% (round half up), so the
    sample spread must too (Python's round() gave 12, and 62 for 5 of 8)."""
    audit = AuditFactory()
    needs = [Case.LevelOfNeed.EARLY_HELP] + [Case.LevelOfNeed.CHILD_IN_NEED] * 5
    needs += [Case.LevelOfNeed.CHILD_PROTECTION] * 2
    for need in needs:
        CaseFactory(audit=audit, level_of_need=need)

    response = client_as(business).get(reverse("audits:case-add", args=[audit.pk]))

    table = response.content.decode().split("<caption", 2)[1]  # the first: level of need
    shown = dict(re.findall(r'fw-normal">([^<]+)</th><td>\d+</td><td>(\d+%)</td>', table))
    assert shown == {
        "Universal (tier 1)": "0%",
        "Early help (tier 2)": "13%",
        "Child in need (tier 3)": "63%",
        "Child protection (tier 4)": "25%",
        "Child looked after (tier 4)": "0%",
    }


@pytest.mark.parametrize("n", [1, 3])
def test_cases_page_query_count(client_as, business, django_assert_num_queries, n):
    audit = AuditFactory()
    for _ in range(n):
        RecordReferenceFactory(involvement=CaseAgencyFactory(case=CaseFactory(audit=audit)))
    client = client_as(business)

    # session, user, two-factor device, audit, cases, involvements with agency and reference,
    # access-log insert, agencies for the form
    with django_assert_num_queries(8):
        response = client.get(reverse("audits:case-add", args=[audit.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("role", ["practitioner", "other_practitioner", "board", "anonymous"])
def test_case_writes_refused_change_nothing(client_as, users, agency_a, role):
    audit = AuditFactory()
    case = CaseFactory(audit=audit, pseudonym="YP1")
    CaseAgencyFactory(case=case, agency=agency_a)
    client = client_as(users[role])

    add = client.post(
        reverse("audits:case-add", args=[audit.pk]), case_post({agency_a: ""}, pseudonym="YP2")
    )
    edit = client.post(
        reverse("audits:case-edit", args=[audit.pk, case.pk]),
        case_post({agency_a: ""}, pseudonym="YP9"),
    )
    delete = client.post(reverse("audits:case-delete", args=[audit.pk, case.pk]))

    assert {add.status_code, edit.status_code, delete.status_code} <= {302, 403, 404}
    assert list(Case.objects.values_list("pseudonym", flat=True)) == ["YP1"]


# A child in an audit and in its re-audit ----------------------------------------------------


def _child_in_first_audit(agency_a, agency_b):
    first = AuditFactory(status=Audit.Status.CLOSED)
    case = CaseFactory(audit=first, pseudonym="YP1", level_of_need=Case.LevelOfNeed.EARLY_HELP)
    RecordReferenceFactory(
        involvement=CaseAgencyFactory(case=case, agency=agency_a), reference="CSC-100200"
    )
    RecordReferenceFactory(
        involvement=CaseAgencyFactory(case=case, agency=agency_b), reference="POL-300400"
    )
    return first, case


def test_adding_a_known_pseudonym_adds_the_same_child_with_its_references(
    client_as, business, agency_a, agency_b
):
    first, case = _child_in_first_audit(agency_a, agency_b)
    re_audit = AuditFactory(status=Audit.Status.OPEN)
    client = client_as(business)

    response = client.post(
        reverse("audits:case-add", args=[re_audit.pk]),
        case_post({agency_a: ""}, pseudonym="yp1", level_of_need=Case.LevelOfNeed.CHILD_IN_NEED),
    )

    assert response.status_code == 302
    assert list(Case.objects.all()) == [case]
    assert set(case.audits.all()) == {first, re_audit}
    case.refresh_from_db()
    assert case.level_of_need == Case.LevelOfNeed.CHILD_IN_NEED
    assert case.ethnicity == Case.Ethnicity.WHITE  # left blank: the child keeps it
    assert sorted(RecordReference.objects.values_list("reference", flat=True)) == [
        "CSC-100200",
        "POL-300400",
    ]
    # The re-audit samples only the agency chosen for it: one return, for agency A.
    assert list(Return.objects.filter(audit=re_audit).values_list("case_id", "agency_id")) == [
        (case.pk, agency_a.pk)
    ]
    page = client.get(reverse("audits:case-add", args=[re_audit.pk]))
    assert "YP1 is already a child of the partnership (in 1 other audit)" in (page.content.decode())
    assert "CSC-100200" in page.content.decode()
    assert "POL-300400" not in page.content.decode()


def test_adding_a_known_child_with_a_new_reference_changes_it_for_both_audits(
    business, agency_a, agency_b
):
    _first, case = _child_in_first_audit(agency_a, agency_b)
    re_audit = AuditFactory()

    case_create(
        audit=re_audit,
        actor=business,
        pseudonym="YP1",
        age_band=case.age_band,
        gender=case.gender,
        level_of_need=case.level_of_need,
        agencies={agency_a: "CSC-999"},
    )

    assert RecordReference.objects.get(involvement__agency=agency_a).reference == "CSC-999"
    assert CaseAgency.objects.filter(case=case).count() == 2


def test_removing_a_child_from_the_re_audit_keeps_it_in_the_first(
    client_as, business, agency_a, agency_b
):
    first, case = _child_in_first_audit(agency_a, agency_b)
    re_audit = AuditFactory()
    SampleCaseFactory(audit=re_audit, case=case).involvements.set(case.involvements.all())

    response = client_as(business).post(reverse("audits:case-delete", args=[re_audit.pk, case.pk]))

    assert response.status_code == 302
    assert list(case.audits.all()) == [first]
    assert RecordReference.objects.count() == 2


def test_dropping_an_agency_in_the_re_audit_keeps_what_the_first_audit_samples(
    business, agency_a, agency_b
):
    _first, case = _child_in_first_audit(agency_a, agency_b)
    re_audit = AuditFactory()
    SampleCaseFactory(audit=re_audit, case=case).involvements.set(case.involvements.all())

    case_update(
        audit=re_audit,
        case=case,
        actor=business,
        pseudonym="YP1",
        age_band=case.age_band,
        gender=case.gender,
        level_of_need=case.level_of_need,
        agencies={agency_a: "CSC-100200"},
    )

    assert CaseAgency.objects.filter(case=case).count() == 2
    assert RecordReference.objects.count() == 2
    assert list(
        CaseAgency.objects.filter(samples__audit=re_audit).values_list("agency", flat=True)
    ) == [agency_a.pk]


def test_renaming_a_child_to_another_childs_pseudonym_is_refused(business, agency_a):
    audit = AuditFactory()
    CaseFactory(audit=AuditFactory(), pseudonym="YP7")
    case = CaseFactory(audit=audit, pseudonym="YP1")
    CaseAgencyFactory(case=case, agency=agency_a)

    with pytest.raises(ValidationError, match="Another child of the partnership is called YP7"):
        case_update(
            audit=audit,
            case=case,
            actor=business,
            pseudonym="YP7",
            age_band=case.age_band,
            gender=case.gender,
            level_of_need=case.level_of_need,
            agencies={agency_a: ""},
        )

    case.refresh_from_db()
    assert case.pseudonym == "YP1"


def test_a_child_outside_the_audits_sample_is_not_found(client_as, business, agency_a):
    case = CaseFactory(audit=AuditFactory())
    other = AuditFactory()

    response = client_as(business).get(reverse("audits:case-edit", args=[other.pk, case.pk]))

    assert response.status_code == 404
