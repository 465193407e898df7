import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from briefings.models import BriefingVersion


def test_render_briefing_command_writes_the_pdf(briefing_audit, business, tmp_path):
    out = tmp_path / "briefing.pdf"
    stdout = io.StringIO()

    call_command("render_briefing", str(briefing_audit.pk), "--out", str(out), stdout=stdout)

    assert len(PdfReader(out).pages) >= 1
    assert "Version 1" in stdout.getvalue()
    assert BriefingVersion.objects.get().status == BriefingVersion.Status.READY


def test_render_briefing_command_finds_the_audit_by_title(briefing_audit, business, tmp_path):
    out = tmp_path / "by-title.pdf"

    call_command("render_briefing", briefing_audit.title, "--out", str(out), stdout=io.StringIO())

    assert out.read_bytes().startswith(b"%PDF")


def test_render_briefing_command_with_an_unknown_audit(db, tmp_path):
    with pytest.raises(CommandError, match="No audit"):
        call_command("render_briefing", "no such audit", "--out", str(tmp_path / "x.pdf"))


def test_briefings_demo_without_the_audit_does_nothing(db):
    from demo import briefings as demo

    demo.load()

    assert demo.demo_briefing() is None


def test_demo_briefing_is_published_once(db):
    from demo.briefings import demo_briefing

    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())

    briefing = demo_briefing()
    assert briefing is not None
    assert briefing.status == briefing.Status.PUBLISHED
    assert briefing.versions.count() == 1
    version = briefing.published_version
    assert version.status == BriefingVersion.Status.READY
    assert version.created_by.username == "business"
    assert version.approved_by.username == "business2"
