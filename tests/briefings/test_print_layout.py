"""The printed briefing of a small (3-case) and a large (20-case) sample: what a reader needs
is on the page, and no page is left mostly empty (issue 17, point 3). Set BRIEFING_PDF_DIR
to keep the PDFs (docs/briefing-page-*.png are made from them with pdftoppm)."""

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefings import services
from briefings.document import version_html

from .layout_builders import RISK_FACTORS, TICKED, layout_briefing

# The running footer sits in the bottom margin (20 mm): body text is above it.
FOOTER_TOP = 20 / 25.4 * 72


def rendered(cases: int, business, business2) -> PdfReader:
    briefing = layout_briefing(cases=cases, business=business, business2=business2)
    version = services.briefing_render_now(briefing=briefing, actor=business)
    with version.pdf.open("rb") as handle:
        content = handle.read()
    keep = os.environ.get("BRIEFING_PDF_DIR")
    if keep:
        Path(keep, f"briefing-{cases}-cases.pdf").write_bytes(content)
    assert version.page_count == len(PdfReader(io.BytesIO(content)).pages)
    return PdfReader(io.BytesIO(content))


def page_text(page) -> str:
    return " ".join(page.extract_text().split())


def lowest_body_text(page) -> float:
    """The height above the bottom edge (points) of the lowest line of body text."""
    heights = []

    def visit(text, cm, tm, font, size):
        y = tm[5] * cm[3] + cm[5]
        if text.strip() and y > FOOTER_TOP:
            heights.append(y)

    page.extract_text(visitor_text=visit)
    return min(heights)


@pytest.fixture(params=[3, 20], ids=["3 cases", "20 cases"])
def pdf(request, business, business2):
    return rendered(request.param, business, business2)


def test_printed_briefing_fills_its_pages_and_says_what_it_counts(pdf):
    """One render per sample size (a render takes seconds), checked for layout and content."""
    text = " ".join(page_text(page) for page in pdf.pages)
    never = [f for f in RISK_FACTORS if f not in TICKED]

    assert 2 <= len(pdf.pages) <= 4
    for number, page in enumerate(pdf.pages[:-1], start=1):
        height = float(page.mediabox.height)
        assert lowest_body_text(page) < 0.4 * height, f"page {number} is mostly empty"
    # Factors no case had are named in a line, not listed at 0%.
    assert "0% (0 of" not in text
    assert all(factor in text for factor in TICKED)
    assert f"Not recorded in any audited case: {', '.join(never)}." in text
    # The not-applicable count, and the basis of every chart and table.
    assert "Inadequate Not applicable" in text
    assert "the moderated grade where one was recorded, otherwise the agency's own grade" in text
    assert "not applicable answers are left out" in text
    assert "a case counts once however many agencies recorded the factor" in text


def test_the_composer_can_ask_for_every_factor(business, business2):
    briefing = layout_briefing(cases=3, business=business, business2=business2)
    services.briefing_update(briefing=briefing, actor=business, show_zero_factors=True)

    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
    html = version_html(version.content, version_label="v1")

    assert "Online harm</th><td>0% (0 of 3)</td>" in html
    assert "Not recorded in any audited case" not in html
