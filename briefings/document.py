"""The printed document of a briefing version, from its snapshot alone: the context and the
HTML that WeasyPrint turns into the PDF (and that the disclosure check reads)."""

from django.template.loader import render_to_string

from auditportal.figures import count_display
from findings import grade_basis

from . import data

# Snapshots taken before the partnership chose a basis graded with the moderated grade.
GRADE_BASIS = grade_basis.caption(True)
CHECKLIST_BASIS = (
    "Counted over audited cases: a case counts once however many agencies recorded the factor."
)


def _chart_basis(suppress_below: int) -> str:
    basis = "Each bar is one theme's answered grade questions; not applicable answers are left out."
    if suppress_below:
        basis += f" Grades given fewer than {suppress_below} times are not drawn."
    return basis


def checklist_groups(panel: dict, suppress_below: int) -> list[dict]:
    """The prevalence tables: factors no case had are named in a line under the table, not
    listed at 0%, unless the composer asked for every factor (show_zero_factors)."""
    show_zero = panel.get("show_zero_factors", False)
    groups = []
    for group in panel.get("checklists") or []:
        options = group.get("options", [])
        shown = [o for o in options if show_zero or o["count"]]
        groups.append(
            {
                **group,
                "options": shown,
                "not_found": [] if show_zero else [o["label"] for o in options if not o["count"]],
            }
        )
    return groups


def grade_rows(panel: dict, suppress_below: int) -> list[dict]:
    return [
        {**row, "not_applicable_display": count_display(row["not_applicable"], suppress_below)}
        for row in panel.get("grades") or []
    ]


def document_context(content: dict, *, version_label: str, preview: bool = False) -> dict:
    """What the print template needs, from a snapshot alone (nothing read from the database
    that the snapshot does not hold, so a version renders the same every time)."""
    sections = {s["field"]: s for s in content.get("sections", [])}
    panel = content.get("data", {})
    suppress_below = content.get("suppress_below", 0)
    grades = grade_rows(panel, suppress_below)
    return {
        "doc": content,
        "sections": content.get("sections", []),
        "sections_by_field": sections,
        "grades": grades,
        "grade_chart": data.svg_data_uri(
            data.grade_chart_svg(grades, suppress_below=suppress_below)
        )
        if grades
        else "",
        "grade_basis": grade_basis.caption(content.get("grade_basis", "moderated") == "moderated"),
        "chart_basis": _chart_basis(suppress_below),
        "checklist_basis": CHECKLIST_BASIS,
        "checklists": checklist_groups(panel, suppress_below),
        "engagement": panel.get("engagement") or [],
        "quotes": panel.get("quotes") or [],
        "resources": content.get("resources", []),
        "version_label": version_label,
        "preview": preview,
        # Heading levels: the title is the page's h1 (the composer's live preview, inside
        # the composer page, starts lower).
        "point_level": 2,
        "panel_level": 3,
    }


def version_html(content: dict, *, version_label: str, preview: bool = False) -> str:
    return render_to_string(
        "briefings/pdf/briefing.html",
        document_context(content, version_label=version_label, preview=preview),
    )


def web_context(content: dict, *, version_label: str) -> dict:
    """The web briefing's and the public version's context: the PDF's own, from the same
    snapshot; wide tables become focusable regions that scroll sideways on a phone."""
    return {**document_context(content, version_label=version_label), "web": True}


def public_html(content: dict, *, version_label: str, allow_indexing: bool = False) -> str:
    """The public version's page, as a visitor gets it (the disclosure check reads this)."""
    context = web_context(content, version_label=version_label)
    return render_to_string("briefings/public.html", {**context, "allow_indexing": allow_indexing})
