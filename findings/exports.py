"""CSV and XLSX exports of an audit's results and of all its submitted answers.

Case pseudonyms only: record references (and any other identifier) are never read here.
Every text cell that a spreadsheet could run as a formula (starting with = + - @, or a tab or
carriage return, once the whitespace, invisible characters and full-width forms a spreadsheet
skips or folds are looked past) is prefixed with a quote (CSV injection).

Numbers leave as numbers (30, never "3E+1"); every row is as wide as its header; a percentage
is a whole number in CSV (as on the page) and a percent cell holding the exact share in XLSX,
whose header row is bold, frozen and filterable over columns sized to their content."""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from auditportal.figures import Figure
from auditportal.text import lstrip_unseen
from audits.models import Answer, Audit, Grade, Question, Return, YesPartlyNo

from .results import AuditResults

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ANSWER_HEADER = [
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
RESULTS_HEADER = ["Section", "Theme", "Question", "Agency", "Figure", "Count", "Of", "Percent"]

Row = Sequence[object]
COLUMN_WIDTH = (10, 60)  # characters: narrowest and widest XLSX column


def plain_number(value: Decimal) -> int | Decimal:
    """30.00 -> 30 and 2.50 -> 2.5: never an exponent (Decimal.normalize gives 3E+1)."""
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


def safe_cell(value: object) -> object:
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) or lstrip_unseen(value).startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe_rows(rows: Iterable[Row]) -> Iterator[list[object]]:
    for row in rows:
        yield [safe_cell("" if value is None else value) for value in row]


def _csv_value(value: object) -> object:
    if isinstance(value, Figure):
        return "" if value.percent is None else value.percent
    return value


def to_csv(rows: Iterable[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([_csv_value(value) for value in row] for row in _safe_rows(rows))
    # A byte-order mark so spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_width(value: object) -> int:
    if isinstance(value, Figure):
        return 5
    return max((len(line) for line in str(value).splitlines()), default=0)


def to_xlsx(rows: Iterable[Row], *, sheet_title: str) -> bytes:
    header, *body = list(_safe_rows(rows))
    narrowest, widest = COLUMN_WIDTH
    widths = [len(str(title)) + 3 for title in header]  # room for the filter button
    for row in body:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _xlsx_width(value) + 1)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, narrowest), widest)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(body) + 1}"
    bold = Font(bold=True)
    header_cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in body:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value: object) -> object:
    if not isinstance(value, Figure):
        return value
    cell = WriteOnlyCell(sheet, value=value.share)
    cell.number_format = "0%"
    return cell


def render(rows: Iterable[Row], *, fmt: str, sheet_title: str) -> bytes:
    if fmt == "csv":
        return to_csv(rows)
    if fmt == "xlsx":
        return to_xlsx(rows, sheet_title=sheet_title)
    raise ValueError(f"unknown export format {fmt!r}")


def export_filename(*, audit: Audit, what: str, fmt: str, on: datetime.date) -> str:
    """e.g. "riverbend-neglect-deep-dive-results-agency-grades-2026-05-04.xlsx": the audit's
    title, what the file holds and the day its figures were taken (they change as returns
    come in)."""
    title = slugify(audit.title)[:80].strip("-") or f"audit-{audit.pk}"
    return f"{title}-{what}-{on.isoformat()}.{fmt}"


def _figure_row(section: str, theme: str, question: str, agency: str, figure: Figure) -> Row:
    # The figure itself: its whole percentage in CSV, its exact share in an XLSX percent cell.
    share = figure if figure.percent is not None else ""
    return [
        section,
        theme,
        question,
        agency,
        figure.label,
        figure.count,
        figure.denominator,
        share,
    ]


def _not_applicable_row(section: str, theme: str, question: str, agency: str, count: int) -> Row:
    """N/A is counted apart: outside every denominator, so it has no "of" and no percent."""
    return [section, theme, question, agency, "Not applicable", count, "", ""]


def results_rows(results: AuditResults, *, agreed: bool = False) -> Iterator[Row]:
    """Every figure of the results page, one per row, with its counts. With `agreed`, the
    themes hold the agreed case grades (one per child: no rows by agency, no agreement)."""
    grades = (
        "agreed case grades"
        if agreed
        else "moderated grades"
        if results.use_moderated
        else "agency grades"
    )
    yield RESULTS_HEADER
    yield _figure_row("Completion", "", "Returns submitted", "All agencies", results.completion)
    for row in results.completion_by_agency:
        yield _figure_row("Completion", "", "Returns submitted", row.agency_name, row.figure)
    yield [
        "Cases",
        "",
        "Cases with at least one submitted return",
        "",
        "",
        results.cases,
        results.cases_in_sample,
        "",
    ]
    for theme in results.themes:
        section = f"Grades ({grades})"
        for figure in theme.grades:
            yield _figure_row(section, theme.theme_name, "", "All agencies", figure)
        yield _not_applicable_row(
            section, theme.theme_name, "", "All agencies", theme.not_applicable
        )
        for agency in theme.by_agency:
            for figure in agency.figures:
                yield _figure_row(section, theme.theme_name, "", agency.agency_name, figure)
            yield _not_applicable_row(
                section, theme.theme_name, "", agency.agency_name, agency.not_applicable
            )
        if agreed:
            continue
        yield _figure_row(
            "Agreement of moderated and agency grades",
            theme.theme_name,
            "",
            "All agencies",
            theme.agreement,
        )
    for item in results.yes_partly_no:
        for figure in item.answers:
            yield _figure_row("Yes, partly, no", item.theme_name, item.text, "All agencies", figure)
        yield _not_applicable_row(
            "Yes, partly, no", item.theme_name, item.text, "All agencies", item.not_applicable
        )
        for agency in item.by_agency:
            for figure in agency.figures:
                yield _figure_row(
                    "Yes, partly, no", item.theme_name, item.text, agency.agency_name, figure
                )
            yield _not_applicable_row(
                "Yes, partly, no",
                item.theme_name,
                item.text,
                agency.agency_name,
                agency.not_applicable,
            )
    for checklist in results.checklists:
        for figure in checklist.options:
            yield _figure_row(
                "Checklist (cases)", checklist.theme_name, checklist.text, "All agencies", figure
            )
        for agency_ticks in checklist.by_agency:
            for figure in agency_ticks.options:
                yield _figure_row(
                    "Checklist (returns)",
                    checklist.theme_name,
                    checklist.text,
                    agency_ticks.agency_name,
                    figure,
                )
    yield _figure_row(
        "Agreement of moderated and agency grades", "", "", "All agencies", results.agreement
    )


_LABELS = {**dict(Grade.choices), **dict(YesPartlyNo.choices)}


def _answer_value(answer: Answer) -> object:
    kind = answer.item.kind
    if kind in (Question.Kind.GRADE, Question.Kind.YES_PARTLY_NO):
        return _LABELS.get(answer.choice, answer.choice)
    if kind == Question.Kind.CHECKLIST:
        return "; ".join(sorted(tick.option for tick in answer.ticks.all()))
    if kind == Question.Kind.NUMBER:
        return "" if answer.number is None else plain_number(answer.number)
    return answer.text


def answers_rows(*, audit: Audit) -> Iterator[Row]:
    """Every answer of the audit's submitted returns (two queries: answers with their case,
    agency and question, then checklist ticks)."""
    answers = (
        Answer.objects.filter(
            audit_return__audit=audit, audit_return__status=Return.Status.SUBMITTED
        )
        .select_related("item", "audit_return__case", "audit_return__agency")
        .prefetch_related("ticks")
        .order_by("audit_return__case__pseudonym", "audit_return__agency__name", "item__order")
    )
    yield ANSWER_HEADER
    for answer in answers:
        yield [
            audit.title,
            answer.audit_return.case.pseudonym,
            answer.audit_return.agency.name,
            answer.item.theme_name,
            answer.item.text,
            answer.item.get_kind_display(),
            _answer_value(answer),
            answer.evidence,
            _LABELS.get(answer.moderated_choice, answer.moderated_choice),
            answer.moderation_reason,
        ]
