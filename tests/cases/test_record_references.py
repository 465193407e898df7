from django.db import connection

from cases.models import RecordReference
from cases.selectors import cases_visible_to, record_reference_for, record_references_visible_to
from tests.factories import CaseAgencyFactory, RecordReferenceFactory


def test_practitioner_reads_own_agency_reference_only(
    practitioner, other_practitioner, agency_a, agency_b
):
    own = RecordReferenceFactory(involvement__agency=agency_a, reference="CSC-0001")
    other = RecordReferenceFactory(involvement__agency=agency_b, reference="POL-0002")

    assert list(record_references_visible_to(practitioner)) == [own]
    assert record_reference_for(practitioner, own.involvement) == "CSC-0001"
    assert record_reference_for(practitioner, other.involvement) is None
    assert record_reference_for(other_practitioner, own.involvement) is None


def test_business_team_reads_every_reference_and_board_none(business, board, agency_a, agency_b):
    RecordReferenceFactory(involvement__agency=agency_a)
    RecordReferenceFactory(involvement__agency=agency_b)

    assert record_references_visible_to(business).count() == 2
    assert record_references_visible_to(board).count() == 0


def test_practitioner_sees_only_cases_their_agency_audits(practitioner, agency_a, agency_b):
    ours = CaseAgencyFactory(agency=agency_a).case
    CaseAgencyFactory(agency=agency_b)

    assert list(cases_visible_to(practitioner)) == [ours]


def test_record_reference_is_encrypted_in_the_database(agency_a):
    reference = RecordReferenceFactory(involvement__agency=agency_a, reference="NHS-943-476-5919")

    with connection.cursor() as cursor:
        cursor.execute("SELECT reference FROM cases_recordreference WHERE id = %s", [reference.pk])
        stored = cursor.fetchone()[0]

    assert "943" not in stored
    assert RecordReference.objects.get(pk=reference.pk).reference == "NHS-943-476-5919"
    assert "943" not in str(reference)
