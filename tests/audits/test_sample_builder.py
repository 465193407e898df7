"""The sample builder: the candidate CSV checked row by row and imported all or nothing, the
proposal reproducible from its seed and stratified by level of need, swaps, adding the chosen
children through case_create, and the candidates not chosen deleted when the audit opens."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from auditportal.models import AuditEvent
from audits.models import Audit, SampleCandidate, SampleProposal
from audits.sampling import allocate, propose
from audits.services import audit_transition
from audits.services.sample import (
    CandidateFileError,
    RowError,
    candidates_parse,
    candidates_upload,
    sample_add_chosen,
    sample_propose,
    sample_swap,
)
from cases.models import Case
from tests.factories import AuditFactory, CaseFactory, QuestionSetItemFactory

HEADER = "Pseudonym,Age band,Gender,Ethnicity,Level of need\n"


def csv_of(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


def many_candidates(n: int) -> bytes:
    """n children: needs cycle with weights 4:3:2:1 (universal counts none), bands rotate."""
    needs = ["child_protection"] * 4 + ["child_in_need"] * 3 + ["early_help"] * 2
    needs += ["looked_after"]
    ages = [a for a, _ in Case.AgeBand.choices]
    genders = [g for g, _ in Case.Gender.choices]
    ethnicities = [e for e, _ in Case.Ethnicity.choices]
    rows = [
        f"C{i},{ages[i % 7]},{genders[i % 4]},{ethnicities[i % 6]},{needs[i % 10]}"
        for i in range(n)
    ]
    return csv_of(*rows)


@pytest.fixture
def audit(db):
    return AuditFactory()


# CSV checking ---------------------------------------------------------------------------------


def test_parse_accepts_labels_and_stored_values_in_any_case():
    rows = candidates_parse(
        csv_of(
            "YP1,13 to 15,Female,White,Child protection (tier 4)",
            "YP2,0,MALE,,early_help",
        )
    )

    assert [(r["pseudonym"], r["age_band"], r["gender"], r["ethnicity"]) for r in rows] == [
        ("YP1", "13-15", "female", "white"),
        ("YP2", "0", "male", ""),
    ]
    assert [r["level_of_need"] for r in rows] == ["child_protection", "early_help"]


def test_parse_reports_every_bad_row_with_its_number_and_column():
    data = csv_of(
        "YP1,13 to 15,Female,White,Child in need (tier 3)",
        "YP2,14,Female,White,Child in need (tier 3)",
        ",5-9,Martian,White,Early help (tier 2)",
        "yp1,5-9,Male,White,",
    )

    with pytest.raises(CandidateFileError) as caught:
        candidates_parse(data)

    errors = caught.value.rows
    assert [(e.row, e.column) for e in errors] == [
        (3, "Age band"),
        (4, "Pseudonym"),
        (4, "Gender"),
        (5, "Pseudonym"),
        (5, "Level of need"),
    ]
    assert errors[0].message.startswith("“14” is not one of: Under 1; 1 to 4;")
    assert errors[3] == RowError(5, "Pseudonym", "is the same as row 2.")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "This is not a CSV file we can read"),
        (b"Pseudonym,Gender\nYP1,Female\n", "missing: Age band, Ethnicity, Level of need."),
        (HEADER.encode(), "The file has a header row but no children."),
        (b"x" * (2 * 1024 * 1024 + 1), "The file is larger than 2 MB"),
    ],
)
def test_parse_refuses_a_file_it_cannot_import_with_a_message(data, message):
    with pytest.raises(CandidateFileError) as caught:
        candidates_parse(data)

    assert message in caught.value.message


def test_parse_refuses_more_than_2000_rows():
    with pytest.raises(CandidateFileError) as caught:
        candidates_parse(many_candidates(2001))

    assert caught.value.message == "The file has 2001 rows: at most 2000 can be uploaded."


def test_upload_with_one_bad_row_imports_nothing_and_keeps_the_old_list(audit, business):
    candidates_upload(audit=audit, actor=business, data=csv_of("OLD1,0,Male,,Universal"))
    bad = csv_of("YP1,0,Male,,Universal", "YP2,0,Male,,Tier 9")

    with pytest.raises(CandidateFileError):
        candidates_upload(audit=audit, actor=business, data=bad)

    assert list(audit.candidates.values_list("pseudonym", flat=True)) == ["OLD1"]


def test_upload_replaces_the_list_and_logs_a_count_not_pseudonyms(audit, business):
    candidates_upload(audit=audit, actor=business, data=csv_of("OLD1,0,Male,,Universal"))

    count = candidates_upload(audit=audit, actor=business, data=many_candidates(12))

    assert count == 12
    assert audit.candidates.count() == 12
    event = AuditEvent.objects.filter(code="audit.candidates_uploaded").latest("pk")
    assert event.changes == {"rows": 12}
    assert "C1" not in str(event.changes)


def test_upload_refused_once_the_audit_has_opened(business):
    audit = AuditFactory(status=Audit.Status.OPEN)

    with pytest.raises(ValidationError):
        candidates_upload(audit=audit, actor=business, data=csv_of("YP1,0,Male,,Universal"))

    assert audit.candidates.count() == 0


# The proposal -------------------------------------------------------------------------------


def test_allocate_is_proportional_with_largest_remainder():
    assert allocate({"a": 5, "b": 3, "c": 2}, 4) == {"a": 2, "b": 1, "c": 1}
    assert allocate({"a": 1, "b": 1, "c": 1}, 2) == {"a": 1, "b": 1, "c": 0}
    assert allocate({"a": 3, "b": 0}, 10) == {"a": 3, "b": 0}


def test_proposal_is_the_same_for_the_same_seed_and_differs_for_another(audit, business):
    candidates_upload(audit=audit, actor=business, data=many_candidates(40))

    def proposed(seed: int) -> list[str]:
        sample_propose(audit=audit, actor=business, size=10, seed=seed)
        return sorted(audit.candidates.filter(chosen=True).values_list("pseudonym", flat=True))

    first, again, other = proposed(7), proposed(7), proposed(8)

    assert first == again
    assert first != other
    assert len(first) == 10


def test_proposal_strata_follow_level_of_need_and_widen_the_other_bands(audit, business):
    candidates_upload(audit=audit, actor=business, data=many_candidates(40))

    sample_propose(audit=audit, actor=business, size=10, seed=123)

    chosen = audit.candidates.filter(chosen=True)
    by_need = {n: chosen.filter(level_of_need=n).count() for n in Case.LevelOfNeed.values}
    assert by_need == {
        "universal": 0,
        "early_help": 2,
        "child_in_need": 3,
        "child_protection": 4,
        "looked_after": 1,
    }
    assert set(chosen.values_list("gender", flat=True)) == set(Case.Gender.values)
    assert set(chosen.values_list("ethnicity", flat=True)) == set(Case.Ethnicity.values)
    proposal = SampleProposal.objects.get(audit=audit)
    assert (proposal.size, proposal.seed) == (10, 123)


def test_propose_takes_everyone_when_asked_for_more_than_there_are():
    class Child:
        def __init__(self, n: int) -> None:
            self.pk, self.age_band, self.gender = n, "0", "male"
            self.ethnicity, self.level_of_need = "", "universal"

    children = [Child(n) for n in range(3)]

    assert sorted(c.pk for c in propose(children, 10, seed=1)) == [0, 1, 2]


# Swap, add, opening -------------------------------------------------------------------------


@pytest.fixture
def proposed(audit, business):
    candidates_upload(audit=audit, actor=business, data=many_candidates(20))
    sample_propose(audit=audit, actor=business, size=5, seed=42)
    return audit


def test_swap_takes_one_out_and_puts_another_in(proposed, business):
    take_out = proposed.candidates.filter(chosen=True).first()
    put_in = proposed.candidates.filter(chosen=False).first()

    sample_swap(audit=proposed, actor=business, take_out=take_out, put_in=put_in)

    chosen = set(proposed.candidates.filter(chosen=True).values_list("pk", flat=True))
    assert put_in.pk in chosen and take_out.pk not in chosen
    assert len(chosen) == 5
    assert SampleProposal.objects.get(audit=proposed).swaps == 1
    event = AuditEvent.objects.filter(code="audit.sample_swapped").latest("pk")
    assert event.changes == {"rows": [take_out.row_number, put_in.row_number]}


def test_swap_refuses_two_children_not_proposed(proposed, business):
    first, second = proposed.candidates.filter(chosen=False)[:2]

    with pytest.raises(ValidationError):
        sample_swap(audit=proposed, actor=business, take_out=first, put_in=second)

    assert proposed.candidates.filter(chosen=True).count() == 5


def test_add_chosen_creates_the_cases_and_links_a_known_pseudonym(proposed, business, agency_a):
    chosen = list(proposed.candidates.filter(chosen=True).order_by("row_number"))
    known = CaseFactory(audit=AuditFactory(), pseudonym=chosen[0].pseudonym.lower())

    cases = sample_add_chosen(audit=proposed, actor=business, agencies=[agency_a])

    assert sorted(c.pseudonym for c in proposed.cases.all()) == sorted(
        [known.pseudonym] + [c.pseudonym for c in chosen[1:]]
    )
    assert cases[0].pk == known.pk
    assert Case.objects.filter(pseudonym__iexact=chosen[0].pseudonym).count() == 1
    assert all(list(c.agencies.all()) == [agency_a] for c in proposed.cases.all())


def test_add_chosen_twice_skips_children_already_in_the_sample(proposed, business, agency_a):
    sample_add_chosen(audit=proposed, actor=business, agencies=[agency_a])

    with pytest.raises(ValidationError):
        sample_add_chosen(audit=proposed, actor=business, agencies=[agency_a])

    assert proposed.cases.count() == 5


def test_opening_deletes_the_candidate_list_and_keeps_the_chosen_children(
    proposed, business, agency_a
):
    sample_add_chosen(audit=proposed, actor=business, agencies=[agency_a])
    QuestionSetItemFactory(question_set=proposed.question_set)

    audit_transition(audit=proposed, to_status=Audit.Status.OPEN, actor=business)

    assert not SampleCandidate.objects.filter(audit=proposed).exists()
    assert proposed.samples.count() == 5


# The pages ----------------------------------------------------------------------------------


def test_upload_page_lists_each_row_problem_and_imports_nothing(client, business, audit):
    client.force_login(business)
    upload = SimpleUploadedFile("list.csv", csv_of("YP1,0,Male,,Universal", "YP2,0,Dog,,x"))

    response = client.post(reverse("audits:sample-upload", args=[audit.pk]), {"file": upload})

    assert response.status_code == 200
    assert "Nothing was imported: 2 problems to fix" in response.content.decode()
    assert "<td>3</td><td>Gender</td>" in response.content.decode()
    assert audit.candidates.count() == 0


def test_upload_page_says_a_binary_file_is_not_a_csv(client, business, audit):
    client.force_login(business)
    upload = SimpleUploadedFile("photo.csv", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")

    response = client.post(reverse("audits:sample-upload", args=[audit.pk]), {"file": upload})

    assert response.status_code == 200
    assert "This is not a CSV file" in response.content.decode()


def test_builder_page_shows_seed_spread_and_the_opening_warning(client, business, proposed):
    client.force_login(business)

    response = client.get(reverse("audits:sample-builder", args=[proposed.pk]))

    page = response.content.decode()
    assert "Proposed: 5 of 20, seed 42" in page
    assert (
        "The candidate list is deleted when the audit opens</strong> "
        "(the children you add stay in its sample)." in page
    )
    assert "Spread: proposed sample and candidates" in page


def test_propose_page_with_a_bad_size_says_so(client, business, proposed):
    client.force_login(business)

    response = client.post(
        reverse("audits:sample-propose", args=[proposed.pk]),
        {"size": "0", "seed": "1"},
        follow=True,
    )

    assert "Children in the sample: Ensure this value is greater than or equal to 1." in (
        response.content.decode()
    )
    assert SampleProposal.objects.get(audit=proposed).seed == 42


@pytest.mark.parametrize("n", [1, 3])
def test_builder_page_query_count(client, business, audit, n, django_assert_num_queries):
    candidates_upload(audit=audit, actor=business, data=many_candidates(n * 4))
    sample_propose(audit=audit, actor=business, size=n, seed=1)
    client.force_login(business)

    # session, user, two-factor device, audit, candidates, proposal, access row, the two swap
    # lists (proposed, not proposed), agencies
    with django_assert_num_queries(10):
        response = client.get(reverse("audits:sample-builder", args=[audit.pk]))

    assert response.status_code == 200
