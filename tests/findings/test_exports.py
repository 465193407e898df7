import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from auditportal.models import AuditEvent
from audits.models import Answer, Audit
from cases.models import RecordReference
from findings.exports import safe_cell

from .results_builders import four_case_audit

pytestmark = pytest.mark.django_db

EXPORTS = [
    ("findings:results-export", "csv"),
    ("findings:results-export", "xlsx"),
    ("findings:answers-export", "csv"),
    ("findings:answers-export", "xlsx"),
]


def _rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(("name", "fmt"), EXPORTS)
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("business", 200),
        ("admin", 200),
        # None of them can see this audit (no agency of theirs takes part): 404, not 403.
        ("practitioner", 404),
        ("other_practitioner", 404),
        ("board", 404),
        ("anonymous", 302),
    ],
)
def test_export_permissions(users, client_as, name, fmt, role, expected):
    built = four_case_audit()

    response = client_as(users[role]).get(reverse(name, args=[built.audit.pk, fmt]))

    assert response.status_code == expected
    logged = AuditEvent.objects.filter(code__endswith="_exported").count()
    assert logged == (1 if expected == 200 else 0)
    if expected != 200:
        assert "attachment" not in response.get("Content-Disposition", "")


def test_export_in_unknown_format_is_404(business, client_as):
    built = four_case_audit()

    response = client_as(business).get(
        reverse("findings:answers-export", args=[built.audit.pk, "pdf"])
    )

    assert response.status_code == 404


@pytest.mark.parametrize(("name", "fmt"), EXPORTS)
def test_exports_never_contain_record_references(business, client_as, name, fmt):
    built = four_case_audit()
    references = list(RecordReference.objects.values_list("reference", flat=True))
    assert len(references) == 9

    response = client_as(business).get(reverse(name, args=[built.audit.pk, fmt]))

    text = "\n".join(",".join(row) for row in _rows(response))
    for reference in references:
        assert reference not in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_answers_export_lists_submitted_answers_with_pseudonyms(business, client_as, fmt):
    built = four_case_audit()
    built.answers["YP1-B-G1"].moderated_choice = "good"
    built.answers["YP1-B-G1"].moderation_reason = "Timely referral seen in the chronology."
    built.answers["YP1-B-G1"].save()

    response = client_as(business).get(
        reverse("findings:answers-export", args=[built.audit.pk, fmt])
    )

    rows = _rows(response)
    assert rows[0] == [
        "Audit",
        "Case",
        "Agency",
        "Theme",
        "Question",
        "Question type",
        "Answer",
        "Evidence",
        "Moderated grade",
        "Moderation reason",
    ]
    moderated = [r for r in rows if r[1] == "YP1" and r[2] == "Riverbend Police" and r[8]]
    assert moderated == [
        [
            "Riverbend neglect deep dive",
            "YP1",
            "Riverbend Police",
            "Recognition",
            "Was the risk recognised early?",
            "Grade (Outstanding to Inadequate, or not applicable)",
            "Requires improvement",
            '\'=HYPERLINK("http://x")',
            "Good",
            "Timely referral seen in the chronology.",
        ]
    ]
    ticks = [
        r[6]
        for r in rows
        if r[1] == "YP1" and r[2] == "Riverbend Police" and r[4] == "Risk factors present"
    ]
    assert ticks == ["Domestic abuse; Neglect"]
    assert not [r for r in rows if "Draft: not yet submitted." in r]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_results_export_has_figures_with_counts(business, client_as, fmt):
    built = four_case_audit()

    response = client_as(business).get(
        reverse("findings:results-export", args=[built.audit.pk, fmt])
    )

    rows = _rows(response)
    neglect = [r for r in rows if r[0] == "Checklist (cases)" and r[4] == "Neglect"]
    assert neglect == [
        [
            "Checklist (cases)",
            "Risk factors",
            "Risk factors present",
            "All agencies",
            "Neglect",
            "3",
            "4",
            "75" if fmt == "csv" else "0.75",  # XLSX: a percent cell holding the share
        ]
    ]


def test_export_is_logged_with_format(business, client_as):
    built = four_case_audit()

    client_as(business).get(reverse("findings:answers-export", args=[built.audit.pk, "xlsx"]))

    event = AuditEvent.objects.get(code="audit.answers_exported")
    assert (event.actor, event.kind, event.target_id, event.changes) == (
        business,
        AuditEvent.Kind.ACCESS,
        str(built.audit.pk),
        {"format": "xlsx"},
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+44 1234", "'+44 1234"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Plain text", "Plain text"),
        (3, 3),
        # What a spreadsheet skips before it reads a formula: whitespace, invisible
        # characters and full-width signs (which it treats as the ASCII ones).
        (" =1+2", "' =1+2"),
        ("\n=HYPERLINK(A1)", "'\n=HYPERLINK(A1)"),
        ("\u00a0=1+2", "'\u00a0=1+2"),
        ("\u200b=1+2", "'\u200b=1+2"),
        ("\uff1d1+2", "'\uff1d1+2"),
        ("\ufeff\u2060 +1", "'\ufeff\u2060 +1"),
        ("\uff0b44", "'\uff0b44"),
        ("  Plain text", "  Plain text"),
        ("\u200bPlain", "\u200bPlain"),
        ("", ""),
    ],
)
def test_safe_cell_guards_formula_injection(value, expected):
    assert safe_cell(value) == expected


def _download(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _sheet(response):
    return load_workbook(io.BytesIO(_download(response))).active


def _with_numbers(built) -> None:
    """Number answers a spreadsheet once showed as 3E+1 and 1E+1."""
    number = built.items["N"]
    for key, value in {"YP1-A": "30", "YP1-B": "10", "YP3-A": "2.50", "YP4-C": "-4"}.items():
        built.answers[f"{key}-N"] = Answer.objects.create(
            audit_return=built.returns[key], item=number, number=Decimal(value)
        )


def test_number_answers_leave_the_csv_as_plain_numbers(business, client_as):
    built = four_case_audit()
    _with_numbers(built)

    response = client_as(business).get(
        reverse("findings:answers-export", args=[built.audit.pk, "csv"])
    )

    numbers = [(r[1], r[2], r[6]) for r in _rows(response) if r[4] == "Agencies involved"]
    assert numbers == [
        ("YP1", "Riverbend Children's Services", "30"),
        ("YP1", "Riverbend Police", "10"),
        ("YP3", "Riverbend Children's Services", "2.5"),
        ("YP4", "Riverbend School Nursing", "-4"),
    ]


def test_number_answers_are_number_cells_in_the_xlsx(business, client_as):
    built = four_case_audit()
    _with_numbers(built)

    sheet = _sheet(
        client_as(business).get(reverse("findings:answers-export", args=[built.audit.pk, "xlsx"]))
    )

    cells = [row[6] for row in sheet.iter_rows(min_row=2) if row[4].value == "Agencies involved"]
    assert [cell.value for cell in cells] == [30, 10, 2.5, -4]
    assert {cell.data_type for cell in cells} == {"n"}


@pytest.mark.parametrize(("name", "fmt"), EXPORTS)
def test_every_row_has_as_many_fields_as_the_header(business, client_as, name, fmt):
    built = four_case_audit()

    rows = _rows(client_as(business).get(reverse(name, args=[built.audit.pk, fmt])))

    assert {len(row) for row in rows[1:]} == {len(rows[0])}


def test_results_not_applicable_rows_are_full_rows(business, client_as):
    built = four_case_audit()

    rows = _rows(
        client_as(business).get(reverse("findings:results-export", args=[built.audit.pk, "csv"]))
    )

    recognition = [r for r in rows if r[1] == "Recognition" and r[4] == "Not applicable"]
    assert recognition[0] == [
        "Grades (moderated grades)",  # the partnership's basis by default
        "Recognition",
        "",
        "All agencies",
        "Not applicable",
        "2",
        "",
        "",
    ]


@pytest.mark.parametrize("name", ["findings:results-export", "findings:answers-export"])
def test_xlsx_header_is_frozen_bold_filterable_and_columns_are_sized(business, client_as, name):
    built = four_case_audit()

    sheet = _sheet(client_as(business).get(reverse(name, args=[built.audit.pk, "xlsx"])))

    last_column = sheet.cell(row=1, column=sheet.max_column).column_letter
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{last_column}{sheet.max_row}"
    assert all(cell.font.b for cell in sheet[1])
    widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
    assert all(10 <= width <= 60 for width in widths)
    assert len(set(widths)) > 1  # sized to their content, not one default


def test_results_xlsx_percent_is_a_percent_cell(business, client_as):
    built = four_case_audit()

    sheet = _sheet(
        client_as(business).get(reverse("findings:results-export", args=[built.audit.pk, "xlsx"]))
    )

    neglect = [
        row
        for row in sheet.iter_rows(min_row=2)
        if row[0].value == "Checklist (cases)" and row[4].value == "Neglect"
    ]
    count, of, share = neglect[0][5], neglect[0][6], neglect[0][7]
    assert (count.value, of.value, share.value) == (3, 4, 0.75)
    assert share.number_format == "0%"


@pytest.mark.parametrize(
    ("name", "query", "what"),
    [
        # Without a switch, the partnership's grade basis (moderated where recorded).
        ("findings:results-export", {}, "results-moderated-grades"),
        ("findings:results-export", {"grades": "agency"}, "results-agency-grades"),
        ("findings:results-export", {"grades": "moderated"}, "results-moderated-grades"),
        ("findings:answers-export", {}, "answers"),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_file_names_say_what_they_are(business, client_as, name, query, what, fmt):
    built = four_case_audit()
    Audit.objects.filter(pk=built.audit.pk).update(title="Riverbend: neglect – deep dive 2026")

    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, 30), tick=False):
        response = client_as(business).get(reverse(name, args=[built.audit.pk, fmt]), query)

    assert response["Content-Disposition"] == (
        f'attachment; filename="riverbend-neglect-deep-dive-2026-{what}-2026-05-04.{fmt}"'
    )
