"""The briefing PDF claims PDF/UA-1: the demo briefing is checked against the requirements
a machine can check (tests/briefings/pdfua.py), links and quotes included."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject

from demo.briefings import demo_briefing

from .pdfua import problems


@pytest.fixture
def demo_pdf(db) -> bytes:
    call_command("load_demo", stdout=io.StringIO())
    version = demo_briefing().published_version
    with version.pdf.open("rb") as handle:
        return handle.read()


def _structure(content: bytes) -> list[tuple[str, str, DictionaryObject]]:
    """(type, parent type, element) of every structure element, in document order."""
    reader = PdfReader(io.BytesIO(content))
    found = []

    def walk(element, parent):
        element = element.get_object()
        if not isinstance(element, DictionaryObject) or "/S" not in element:
            return
        found.append((str(element["/S"])[1:], parent, element))
        kids = element.get("/K")
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        for kid in kids:
            walk(kid, str(element["/S"])[1:])

    for kid in reader.trailer["/Root"]["/StructTreeRoot"]["/K"]:
        walk(kid, "")
    return found


def test_the_demo_briefing_meets_pdf_ua_1(demo_pdf):
    assert problems(demo_pdf) == []


def test_every_link_says_where_it_goes(demo_pdf):
    reader = PdfReader(io.BytesIO(demo_pdf))

    links = [
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots", []) or []
        if annotation.get_object()["/Subtype"] == "/Link"
    ]

    assert len(links) == 6
    escalation = next(a for a in links if a["/A"]["/URI"].endswith("/guidance/escalation"))
    assert escalation["/Contents"] == (
        "Escalation and resolving professional disagreement (guidance): "
        "https://riverbend.example/guidance/escalation"
    )


def test_quote_attributions_are_tagged_inside_the_quote_group(demo_pdf):
    elements = _structure(demo_pdf)

    captions = [(parent, element) for kind, parent, element in elements if kind == "Caption"]
    quotes = [parent for kind, parent, _element in elements if kind == "BlockQuote"]

    assert {parent for parent, _ in captions} <= {"Table", "Figure"}
    assert quotes and set(quotes) == {"Div"}


def test_the_checker_finds_what_an_untagged_pdf_lacks():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)

    found = problems(buffer.getvalue())

    assert found == [
        "catalog: /MarkInfo /Marked is not true",
        "catalog: no /Lang",
        "catalog: /ViewerPreferences /DisplayDocTitle is not true",
        "metadata: no pdfuaid:part 1 identification",
        "metadata: no dc:title",
        "no structure tree (the PDF is not tagged)",
    ]
