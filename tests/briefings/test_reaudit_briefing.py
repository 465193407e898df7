"""A re-audit's printed briefing: point 1 says what changed since the last audit, and the
grade chart says which grades it counts. Set BRIEFING_PDF_DIR to keep the PDF."""

import datetime
import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefings import services
from findings.reaudits import reaudit_schedule
from tests.findings.reaudit_builders import answer_returns, open_audit, published_source
from tests.findings.test_reaudits import AFTER_PLAN

pytestmark = pytest.mark.django_db


def test_a_reaudits_pdf_says_what_changed_and_its_grade_basis(business):
    source = published_source()
    reaudit = reaudit_schedule(
        source=source.audit,
        actor=business,
        actions=[source.action],
        title="Voice of the child re-audit 2026",
        returns_open=datetime.date(2026, 3, 2),
        returns_due=datetime.date(2026, 3, 27),
        same_children=True,
    )
    open_audit(reaudit.audit, business)
    answer_returns(reaudit.audit, AFTER_PLAN)
    briefing = services.briefing_get_or_create(audit=reaudit.audit, actor=business)

    version = services.briefing_render_now(briefing=briefing, actor=business)

    with version.pdf.open("rb") as handle:
        content = handle.read()
    if os.environ.get("BRIEFING_PDF_DIR"):
        Path(os.environ["BRIEFING_PDF_DIR"], "briefing-reaudit.pdf").write_bytes(content)
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )
    assert "What changed since the last audit." in text
    assert (
        "Voice of the child, Requires improvement or Inadequate: 53% (8 of 15) → 30% (3 of 10)"
        in text
    )
    assert "Grade basis: grades as agreed at moderation" in text
    assert "VC01" not in text
