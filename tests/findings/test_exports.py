import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from auditportal.models import AuditEvent
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
        ("practitioner", 403),
        ("other_practitioner", 403),
        ("board", 403),
        ("anonymous", 302),
    ],
)
def test_export_permissions(users, client_as, name, fmt, role, expected):
    built = four_case_audit()

    response = client_as(users[role]).get(reverse(name, args=[built.audit.pk, fmt]))

    assert response.status_code == expected
    logged = AuditEvent.objects.filter(verb__endswith="_exported").count()
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
    assert response["Content-Disposition"] == (
        f'attachment; filename="audit-{built.audit.pk}-results.{fmt}"'
    )
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
            "75",
        ]
    ]


def test_export_is_logged_with_format(business, client_as):
    built = four_case_audit()

    client_as(business).get(reverse("findings:answers-export", args=[built.audit.pk, "xlsx"]))

    event = AuditEvent.objects.get(verb="audit.answers_exported")
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
