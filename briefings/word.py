"""The Word version of a published briefing (python-docx), for partnerships that adapt the
briefing in their own template. Made from the version's frozen snapshot through the PDF's own
context (briefings.document), so it holds the same words and figures: the seven points as
Heading 1, each data panel as Heading 2 with its table (header row repeated on a new page),
the partnership's suppression as it was rendered, and factors found in no case named in one
line unless the composer asked for them. The grade chart is given as its table (Word cannot
take the SVG chart; the PDF says the table holds the same figures). Before it is handed out,
every text of the document goes through the disclosure check, as a public page does."""

import io
from collections.abc import Iterator

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from . import disclosure
from .document import document_context
from .formatting import _BOLD, blocks

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CLOSING = (
    "This briefing holds aggregate figures only: no child, family or record can be "
    "identified from it."
)
MUTED = RGBColor(0x49, 0x50, 0x57)


def _runs(paragraph: Paragraph, text: str) -> None:
    """The text with its **bold** markers as bold runs (the only inline formatting)."""
    position = 0
    for match in _BOLD.finditer(text):
        if match.start() > position:
            paragraph.add_run(text[position : match.start()])
        paragraph.add_run(match.group(1)).bold = True
        position = match.end()
    if position < len(text):
        paragraph.add_run(text[position:])


def _text(document: DocxDocument, text: str) -> None:
    """A point's text: paragraphs and bullets, as formatting.format_text lays them out."""
    if not (text or "").strip():
        document.add_paragraph("Nothing has been written for this point.")
        return
    for kind, lines in blocks(text):
        if kind == "ul":
            for item in lines:
                _runs(document.add_paragraph(style="List Bullet"), item)
        else:
            _runs(document.add_paragraph(), " ".join(lines))


def _note(document: DocxDocument, text: str, *, italic: bool = False) -> Paragraph:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.italic = italic
    run.font.size = Pt(9.5)
    run.font.color.rgb = MUTED
    return paragraph


def _repeat_header(table: Table) -> None:
    """The header row repeats at the top of each page a long table runs onto."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(document: DocxDocument, caption: str, header: list[str], rows: list[list[str]]):
    document.add_paragraph(caption, style="Caption")
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, words in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(words).bold = True
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, words) in enumerate(zip(cells, row, strict=True)):
            cell.text = ""
            run = cell.paragraphs[0].add_run(words)
            run.bold = index == 0  # the row's header (theme, factor, group)
    _repeat_header(table)
    document.add_paragraph()


def _panels(document: DocxDocument, context: dict, number: int) -> None:
    if number == 1 and context["engagement"]:
        document.add_heading("Hearing from children and families", level=2)
        _table(
            document,
            "Survey responses received, over the surveys shared with each group",
            ["Group", "Responded"],
            [[row["label"], row["display"]] for row in context["engagement"]],
        )
    if number == 3 and context["quotes"]:
        document.add_heading("In their own words", level=2)
        for quote in context["quotes"]:
            document.add_paragraph(f"“{quote['text']}”", style="Quote")
            _note(document, f"— {quote['source']}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if number == 4:
        grades = context["grades"]
        if grades:
            document.add_heading("How practice was graded, by theme", level=2)
            _note(document, context["grade_basis"])
            _note(
                document,
                "The PDF draws these shares as a bar chart; here they are given as its table.",
                italic=True,
            )
            _table(
                document,
                "Grades by theme: share of answered grade questions. Not applicable answers "
                "are counted on their own and left out of the shares.",
                ["Theme", *[g["label"] for g in grades[0]["grades"]], "Not applicable"],
                [
                    [
                        row["theme"],
                        *[g["display"] for g in row["grades"]],
                        row["not_applicable_display"],
                    ]
                    for row in grades
                ],
            )
        for group in context["checklists"]:
            document.add_heading(group["question"], level=2)
            _note(document, context["checklist_basis"])
            if group["options"]:
                cases = group["cases"]
                _table(
                    document,
                    f"Share of the {cases} audited case{'' if cases == 1 else 's'} in which at "
                    "least one agency recorded each factor",
                    ["Factor", "Cases"],
                    [[option["label"], option["display"]] for option in group["options"]],
                )
            if group["not_found"]:
                document.add_paragraph(
                    "Not recorded in any audited case: " + ", ".join(group["not_found"]) + "."
                )
    if number == 7:
        for resource in context["resources"]:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(resource["title"]).bold = True
            paragraph.add_run(f" ({resource['kind'].lower()})")
            if resource.get("description"):
                paragraph.add_run(f" {resource['description']}")
            paragraph.add_run(f" {resource['url']}")


def build(content: dict, *, version_label: str) -> DocxDocument:
    context = document_context(content, version_label=version_label)
    doc = context["doc"]
    document = Document()
    properties = document.core_properties
    properties.title = doc.get("title", "")
    properties.author = doc.get("partnership", "")
    properties.subject = "7-point learning briefing"
    properties.language = "en-GB"
    _note(document, doc.get("partnership", ""))
    document.add_heading(doc.get("title", ""), level=0)
    facts = [doc.get("kind", ""), doc.get("priority", ""), doc.get("audit_date", "")]
    _note(document, "7-point learning briefing · " + " · ".join(f for f in facts if f))
    _note(document, version_label)
    for section in context["sections"]:
        document.add_heading(f"{section['number']}. {section['heading']}", level=1)
        _text(document, section["text"])
        _panels(document, context, section["number"])
    _note(document, f"{doc.get('partnership', '')}. {CLOSING}")
    return document


def printed_runs(document: DocxDocument, headings: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(where, text) for every text the Word file holds, in document order: its properties,
    paragraphs and table cells, each placed in the point it is under."""
    properties = document.core_properties
    for value in (properties.title, properties.author, properties.subject):
        yield "the document's details", value or ""
    where = "the masthead"
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            paragraph = Paragraph(block, document)
            style = paragraph.style.name if paragraph.style is not None else ""
            if style == "Heading 1":
                number = paragraph.text.split(".", 1)[0]
                where = f"section {number} ({headings.get(number, 'untitled')})"
            yield where, paragraph.text
        elif block.tag == qn("w:tbl"):
            for row in Table(block, document).rows:
                for cell in row.cells:
                    yield f"a table in {where}", cell.text


def version_docx(content: dict, *, version_label: str, identifiers) -> tuple[bytes, list[str]]:
    """The .docx file of a version, and the disclosure problems found in its text (when there
    are any, the file must not be handed out)."""
    document = build(content, version_label=version_label)
    headings = {str(s["number"]): s["heading"] for s in content.get("sections", [])}
    problems = disclosure.run_problems(printed_runs(document, headings), identifiers)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), problems
