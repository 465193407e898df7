"""Download as Word (issue 17, point 5): the published version's snapshot as a .docx with the
seven points as headings, the data panels as tables with the PDF's suppressed figures, the
disclosure check on the file's own text, and each download logged like a PDF download."""

import io

import pytest
from django.urls import reverse
from docx import Document

from auditportal.models import AuditEvent
from briefings.document import document_context
from briefings.models import BriefingDownload
from briefings.word import CONTENT_TYPE
from tests.factories import CaseFactory


def word_of(response):
    return Document(io.BytesIO(response.content))


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def table_texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture
def briefing(briefing_audit, business):
    """The conftest's briefing with its consented quote chosen, so every panel prints."""
    from briefings.services import briefing_get_or_create, briefing_update

    briefing = briefing_get_or_create(audit=briefing_audit, actor=business)
    return briefing_update(
        briefing=briefing, actor=business, quotes=list(briefing_audit.quotes.filter(consent=True))
    )


@pytest.fixture
def downloaded(published_version, board, client_as):
    response = client_as(board).get(reverse("briefings:version-word", args=[published_version.pk]))
    assert response.status_code == 200
    return response


def test_the_word_version_is_a_docx_named_after_the_briefing(downloaded, published_version):
    assert downloaded["Content-Type"] == CONTENT_TYPE
    assert downloaded["Content-Disposition"] == (
        'attachment; filename="deep-dive-worry-and-sleep-in-early-adolescence-v1.docx"'
    )
    assert downloaded["Cache-Control"].startswith("private, no-store")
    assert word_of(downloaded).core_properties.title == published_version.content["title"]


def test_the_seven_points_are_headings_in_order(downloaded, published_version):
    document = word_of(downloaded)

    expected = [f"{s['number']}. {s['heading']}" for s in published_version.content["sections"]]
    assert headings(document, 1) == expected
    assert len(expected) == 7
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == [
        published_version.content["title"]
    ]


def test_the_data_panels_are_tables_with_the_pdfs_figures(downloaded, published_version):
    document = word_of(downloaded)
    context = document_context(published_version.content, version_label="")

    grades = table_texts(document.tables[-2] if context["checklists"] else document.tables[-1])
    assert "How practice was graded, by theme" in headings(document, 2)
    assert grades[0] == [
        "Theme",
        *[g["label"] for g in context["grades"][0]["grades"]],
        "Not applicable",
    ]
    assert grades[1:] == [
        [row["theme"], *[g["display"] for g in row["grades"]], row["not_applicable_display"]]
        for row in context["grades"]
    ]
    # Suppressed as the PDF prints it: the audit has two cases, so small counts are hidden.
    assert "fewer than 3" in {cell for row in grades[1:] for cell in row}
    header_row = document.tables[0].rows[0]._tr
    assert header_row.xpath("./w:trPr/w:tblHeader")  # repeated on each page


def test_engagement_quotes_and_resources_are_where_the_pdf_has_them(downloaded, published_version):
    document = word_of(downloaded)
    texts = [p.text for p in document.paragraphs]

    assert "Hearing from children and families" in headings(document, 2)
    assert "In their own words" in headings(document, 2)
    assert "“Someone finally asked me how I was.”" in texts
    assert "Not for publishing, please." not in " ".join(texts)  # no consent, never shown
    resources = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert any(text.startswith("Worry and sleep toolkit (") for text in resources)
    assert texts.index("7. " + published_version.content["sections"][6]["heading"]) < next(
        i for i, t in enumerate(texts) if t.startswith("Worry and sleep toolkit")
    )


def test_bold_and_bullets_carry_over(downloaded):
    document = word_of(downloaded)

    bold = [run.text for p in document.paragraphs for run in p.runs if run.bold]
    assert "Voice of the child" in bold  # "**Voice of the child**" in point 3
    assert not any("**" in p.text for p in document.paragraphs)


def test_each_download_is_logged_like_a_pdf_download(downloaded, published_version, board):
    download = BriefingDownload.objects.get()

    assert (download.version, download.user, download.file_format) == (
        published_version,
        board,
        BriefingDownload.Format.WORD,
    )
    event = AuditEvent.objects.get(code="briefing.downloaded_word")
    assert event.actor == board


def test_a_word_version_naming_a_case_is_refused_and_not_logged(
    published_version, briefing_audit, board, client_as
):
    # A child added after publishing whose pseudonym the briefing's text happens to print.
    CaseFactory(audit=briefing_audit, pseudonym="Worry")
    events = AuditEvent.objects.filter(code="briefing.downloaded_word").count()

    response = client_as(board).get(
        reverse("briefings:version-word", args=[published_version.pk]), follow=True
    )

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == published_version.get_read_url()
    assert "The Word version is refused: the briefing names a child&#x27;s case." in page
    assert "contains the case pseudonym &quot;Worry&quot;" in page
    assert not BriefingDownload.objects.exists()
    assert AuditEvent.objects.filter(code="briefing.downloaded_word").count() == events


def test_only_the_published_version_offers_word(published_version, business, client_as):
    composer = client_as(business).get(
        reverse("briefings:composer", args=[published_version.briefing.audit_id])
    )

    url = reverse("briefings:version-word", args=[published_version.pk])
    assert composer.content.decode().count(f'href="{url}"') == 1
