"""The printed document of a briefing version, from its snapshot alone: the context and the
HTML that WeasyPrint turns into the PDF (and that the disclosure check reads)."""

from django.template.loader import render_to_string

from . import data


def document_context(content: dict, *, version_label: str, preview: bool = False) -> dict:
    """What the print template needs, from a snapshot alone (nothing read from the database
    that the snapshot does not hold, so a version renders the same every time)."""
    sections = {s["field"]: s for s in content.get("sections", [])}
    panel = content.get("data", {})
    grades = panel.get("grades") or []
    return {
        "doc": content,
        "sections": content.get("sections", []),
        "sections_by_field": sections,
        "grades": grades,
        "grade_chart": data.svg_data_uri(
            data.grade_chart_svg(grades, suppress_below=content.get("suppress_below", 0))
        )
        if grades
        else "",
        "checklists": panel.get("checklists") or [],
        "engagement": panel.get("engagement") or [],
        "quotes": panel.get("quotes") or [],
        "resources": content.get("resources", []),
        "version_label": version_label,
        "preview": preview,
    }


def version_html(content: dict, *, version_label: str, preview: bool = False) -> str:
    return render_to_string(
        "briefings/pdf/briefing.html",
        document_context(content, version_label=version_label, preview=preview),
    )
