"""Journey 4: a board member signs in, sees the published briefings and the partnership
dashboard (theme grades across audits, action completion), and downloads a briefing PDF;
the download is logged."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from briefings.models import BriefingDownload

from .seed import published_briefing, riverbend

pytestmark = pytest.mark.browser

TITLE = "Neglect in families with younger children"


def test_board_member_reads_the_dashboard_and_downloads_a_briefing(ui_for, transactional_db):
    rb = riverbend()
    _audit, briefing = published_briefing(rb, title=TITLE)
    ui = ui_for(rb.board)
    page = ui.page

    # Published briefings: the board member's home.
    ui.check("Published briefings", shot="board-home")
    table = page.get_by_role("table", name=re.compile(r"Published 7-point learning briefings"))
    expect(table.get_by_role("row", name=re.compile(TITLE))).to_contain_text(
        briefing.published_at.strftime("%-d %b %Y")
    )

    # The partnership dashboard: aggregates only, with text alternatives for charts.
    ui.nav("Dashboard")
    ui.check("Partnership dashboard", shot="board-dashboard")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Theme grades across audits")).to_be_visible()
    expect(
        main.get_by_role("table", name=re.compile(r"Actions agreed after audits"))
    ).to_be_visible()
    for image in main.locator("img").all():
        assert (image.get_attribute("alt") or "").strip(), "a chart without alt text"
    charts = main.locator("svg.results-chart")
    expect(charts.first).to_be_visible()
    for chart in charts.all():
        assert chart.get_attribute("role") == "img"
        assert "The same figures are in the table" in (chart.get_attribute("aria-label") or "")
    expect(main).not_to_contain_text("Child A")
    expect(main).not_to_contain_text("CSC-")

    # Download the PDF and read it.
    ui.nav("Published briefings")
    ui.check("Published briefings")
    with page.expect_download() as download_info:
        page.get_by_role(
            "link", name=re.compile(r"^Download PDF\s*: " + re.escape(briefing.title))
        ).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = PdfReader(io.BytesIO(download.path().read_bytes()))
    text = " ".join(page_.extract_text() for page_ in pdf.pages)
    text = re.sub(r"\s+", " ", text)
    assert TITLE in text
    assert "Practitioners described what younger children showed" in text
    assert "Hold a multi-agency workshop on chronologies." in text
    assert "Child A" not in text
    assert (
        BriefingDownload.objects.filter(version=briefing.published_version, user=rb.board).count()
        == 1
    )
