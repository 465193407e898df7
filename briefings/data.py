"""What a briefing is made of: the seven sections' headings and prefilled text, the data panel
(from findings.results), the chart, and the JSON snapshot a rendered version keeps.

The snapshot holds only aggregate figures and the text the business team wrote: never a case
pseudonym, a record reference, an agency's evidence text or a source return.
"""

import base64
from dataclasses import dataclass
from types import SimpleNamespace

from django.utils import formats, timezone

from auditportal.figures import Figure, is_suppressed
from audits.models import Audit, Return
from cases.branding import partnership_logo, partnership_name
from cases.models import Partnership
from findings.charts import grade_chart_svg as draw_grade_chart
from findings.grade_basis import basis_of, board_uses_moderated
from findings.models import Action, Finding, Resource
from findings.results import audit_results
from findings.selectors import audit_engagement_figures, publishable

from .change_text import what_changed
from .formatting import plain_text
from .models import Briefing


@dataclass(frozen=True)
class Section:
    number: int
    field: str
    title: str  # heading when the audit's topic is unknown

    def heading(self, topic: str = "") -> str:
        if self.field == "topic":
            return f"What is meant by {topic.lower()}?" if topic else self.title
        return self.title


SECTIONS = [
    Section(1, "summary", "Summary"),
    Section(2, "topic", "What is meant by the topic?"),
    Section(3, "working_well", "Audit findings: areas working well"),
    Section(4, "development", "Audit findings: areas for development"),
    Section(5, "will_do", "What will we do with the findings?"),
    Section(6, "next_steps", "Next steps"),
    Section(7, "resources_text", "Resources"),
]
SECTION_FIELDS = [s.field for s in SECTIONS]
SECTIONS_BY_FIELD = {s.field: s for s in SECTIONS}

GUIDANCE = {
    "summary": "Why the audit was done, its scope and method, and the size of the sample.",
    "topic": "Explain the topic in plain words for practitioners: what it means, how to "
    "recognise it, and why it matters. Start typing: nothing is prefilled here.",
    "working_well": "Strength findings, grouped by theme with the theme in bold.",
    "development": "Areas for development, grouped by theme with the theme in bold.",
    "will_do": "What the partnership will do with the findings: actions, owners and dates.",
    "next_steps": "Next steps and how the learning will be shared.",
    "resources_text": "An introduction to the training and guidance chosen below.",
}


def month_label(value) -> str:
    return formats.date_format(value, "F Y") if value else ""


def audit_date(audit: Audit):
    return audit.moderation_date or audit.returns_due


# ---------------------------------------------------------------------------------------------
# Prefilled text


def sample_figures(audit: Audit) -> dict[str, int]:
    returns = Return.objects.filter(audit=audit)
    return {
        "cases": audit.cases.count(),
        "agencies": returns.values("agency").distinct().count(),
        "returns_submitted": returns.filter(status=Return.Status.SUBMITTED).count(),
    }


def _plural(count: int, singular: str, plural: str, suppress_below: int = 0) -> str:
    if is_suppressed(count, suppress_below):
        return f"fewer than {suppress_below} {plural}"
    return f"{count} {singular if count == 1 else plural}"


def prefill_summary(audit: Audit) -> str:
    sample = sample_figures(audit)
    partnership = Partnership.load()
    suppress = partnership.suppression_threshold
    kind = audit.get_kind_display().lower()
    parts = [
        f"{partnership_name()} carried out a multi-agency {kind} "
        f"({audit.priority.lower()}) to answer the question: {audit.key_question.strip()}"
    ]
    if audit.scope.strip():
        parts.append(f"**Scope.** {audit.scope.strip()}")
    if audit.methodology.strip():
        parts.append(f"**Method.** {audit.methodology.strip()}")
    parts.append(
        "\n".join(
            [
                f"- {_plural(sample['cases'], 'case was', 'cases were', suppress)} audited",
                # Suppression protects children: a count of agencies identifies no child, so
                # it prints as it is. Cases and returns (one per child and agency) keep it.
                f"- {_plural(sample['agencies'], 'agency', 'agencies')} took part",
                "- "
                + _plural(
                    sample["returns_submitted"], "audit return was", "audit returns were", suppress
                )
                + " submitted",
            ]
        )
    )
    changed = what_changed(audit, partnership)
    if changed:
        parts.append(changed)
    return "\n\n".join(parts)


def prefill_findings(audit: Audit, kind: str) -> str:
    findings = (
        Finding.objects.filter(audit=audit, kind=kind)
        .select_related("theme")
        .order_by("theme__order", "theme__name", "order", "pk")
    )
    return "\n".join(f"- **{f.theme.name}**: {' '.join(f.text.split())}" for f in findings)


def _action_line(action: Action) -> str:
    owner = action.owner_agency or action.owner_subgroup
    details = ", ".join(
        part
        for part in (f"owner: {owner}" if owner else "", f"by {month_label(action.due_date)}")
        if part
    )
    return f"- {' '.join(action.text.split())} ({details})"


def prefill_actions(audit: Audit, section: str) -> str:
    actions = (
        Action.objects.filter(audit=audit, section=section)
        .select_related("owner_agency", "owner_subgroup")
        .order_by("due_date", "pk")
    )
    lines = [_action_line(a) for a in actions]
    if not lines:
        return ""
    return LEAD_INS[FIELD_BY_ACTION_SECTION[section]] + "\n\n" + "\n".join(lines)


def prefill_resources() -> str:
    return LEAD_INS["resources_text"]


# The sentences a prefilled point starts with: a point that holds only one of them says
# nothing yet, and cannot be published (services.briefing_publish).
LEAD_INS = {
    "will_do": "The partnership will act on the learning from this audit:",
    "next_steps": "To make sure the learning reaches practice:",
    "resources_text": "Training, toolkits and guidance are available to help practitioners "
    "put this learning into practice:",
}
FIELD_BY_ACTION_SECTION: dict[str, str] = {
    Action.Section.WILL_DO: "will_do",
    Action.Section.NEXT_STEP: "next_steps",
}


def unwritten_points(content: dict) -> list[str]:
    """Messages naming each point of a snapshot that is empty or holds only its prefilled
    lead-in sentence. Point 7's lead-in followed by the chosen resources is not empty."""
    problems = []
    for section in content.get("sections", []):
        text = " ".join(plain_text(section.get("text", "")).split())
        name = f"Point {section['number']} ({section['heading']})"
        if not text:
            problems.append(f"{name} is empty: write it, render a new version and approve it.")
        elif text == LEAD_INS.get(section["field"]):
            if section["field"] == "resources_text" and content.get("resources"):
                continue
            problems.append(
                f"{name} holds only its opening sentence (“{text}”) with nothing after it: "
                "finish it or choose resources, render a new version and approve it."
            )
    return problems


def prefill(audit: Audit, field: str) -> str:
    """The text a section starts with, made from the audit's data."""
    if field == "summary":
        return prefill_summary(audit)
    if field == "working_well":
        return prefill_findings(audit, Finding.Kind.STRENGTH)
    if field == "development":
        return prefill_findings(audit, Finding.Kind.DEVELOPMENT)
    if field == "will_do":
        return prefill_actions(audit, Action.Section.WILL_DO)
    if field == "next_steps":
        return prefill_actions(audit, Action.Section.NEXT_STEP)
    if field == "resources_text":
        return prefill_resources()
    return ""


# ---------------------------------------------------------------------------------------------
# The data panel


def _figure(figure: Figure, suppress_below: int) -> dict:
    return {
        "label": figure.label,
        "count": figure.count,
        "denominator": figure.denominator,
        "percent": figure.percent,
        "display": figure.display(suppress_below),
        "suppressed": figure.is_suppressed(suppress_below),
    }


def grade_rows(results, suppress_below: int) -> list[dict]:
    return [
        {
            "theme": theme.theme_name,
            "answered": theme.answered,
            "not_applicable": theme.not_applicable,
            "grades": [_figure(g, suppress_below) for g in theme.grades],
        }
        for theme in results.themes
        if theme.answered
    ]


def checklist_groups(results, suppress_below: int) -> list[dict]:
    return [
        {
            "question": checklist.text,
            "cases": checklist.cases,
            "options": [_figure(o, suppress_below) for o in checklist.options],
        }
        for checklist in results.checklists
        if checklist.cases
    ]


def engagement_rows(audit: Audit, suppress_below: int) -> list[dict]:
    """Survey reach: counted from the audit's surveys when they issued codes, else typed in."""
    figures = audit_engagement_figures(audit)
    if figures is None:
        return []
    return [
        _figure(f, suppress_below) for f in (figures.children, figures.parents) if f.denominator
    ]


def grade_chart_svg(rows: list[dict], *, suppress_below: int = 0) -> str:
    """The results page's chart, drawn from a snapshot's rows (suppressed figures are
    left out of the picture, as findings.charts does everywhere)."""
    themes = [
        SimpleNamespace(
            theme_name=row["theme"],
            grades=[Figure(g["label"], g["count"], g["denominator"]) for g in row["grades"]],
        )
        for row in rows
    ]
    return draw_grade_chart(
        themes, title="Share of answered grade questions, by theme", suppress_below=suppress_below
    )


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# ---------------------------------------------------------------------------------------------
# The snapshot of a version


def resource_entry(resource: Resource) -> dict:
    return {
        "title": resource.title,
        "url": resource.url,
        "kind": resource.get_kind_display(),
        "description": resource.description,
    }


def snapshot(briefing: Briefing, *, resources=None, quotes=None) -> dict:
    """The text and data of a briefing as they are now: what a version renders, forever.
    The composer's live preview passes an unsaved briefing with its chosen resources and
    quotes (querysets); otherwise they are the saved ones."""
    audit = briefing.audit
    if resources is None:
        resources = briefing.resources.all()
    if quotes is None:
        quotes = briefing.quotes.all()
    partnership = Partnership.load()
    suppress_below = partnership.suppression_threshold
    # The partnership's one grade basis, the same the board dashboard counts.
    use_moderated = board_uses_moderated(partnership)
    data: dict = {}
    if briefing.show_grade_chart or briefing.show_risk_factors:
        results = audit_results(audit=audit, use_moderated=use_moderated)
        if briefing.show_grade_chart:
            data["grades"] = grade_rows(results, suppress_below)
        if briefing.show_risk_factors:
            data["checklists"] = checklist_groups(results, suppress_below)
            data["show_zero_factors"] = briefing.show_zero_factors
    if briefing.show_engagement:
        data["engagement"] = engagement_rows(audit, suppress_below)
    if briefing.show_quotes:
        data["quotes"] = [
            {"text": q.text, "source": q.source_label}
            for q in publishable(quotes).order_by("order", "pk")
        ]
    return {
        "schema": 1,
        "partnership": partnership_name(),
        # A static file path (e.g. "img/partnership-logo.png"); optional.
        "logo": partnership_logo(),
        "title": briefing.title,
        "audit_title": audit.title,
        "priority": audit.priority,
        "kind": audit.get_kind_display(),
        "audit_date": month_label(audit_date(audit)),
        "sections": [
            {
                "number": s.number,
                "field": s.field,
                "heading": s.heading(audit.priority),
                "text": getattr(briefing, s.field),
            }
            for s in SECTIONS
        ],
        "resources": [resource_entry(r) for r in resources.order_by("kind", "title")],
        "data": data,
        "suppress_below": suppress_below,
        "grade_basis": basis_of(use_moderated),
        "taken_at": timezone.now().isoformat(),
    }


def snapshot_texts(content: dict) -> list[tuple[str, str]]:
    """(where, text) for every piece of text a version prints: for the disclosure check."""
    texts = [("the title", content.get("title", ""))]
    for section in content.get("sections", []):
        where = f"section {section['number']} ({section['heading']})"
        texts.append((where, plain_text(section.get("text", ""))))
    for resource in content.get("resources", []):
        where = "section 7 (resources list)"
        texts += [(where, resource.get("title", "")), (where, resource.get("description", ""))]
    data = content.get("data", {})
    for quote in data.get("quotes") or []:
        texts += [("the quotes", quote.get("text", "")), ("the quotes", quote.get("source", ""))]
    for row in data.get("grades") or []:
        texts.append(("the grade chart", row.get("theme", "")))
    for group in data.get("checklists") or []:
        texts.append(("the prevalence table", group.get("question", "")))
        texts += [("the prevalence table", o.get("label", "")) for o in group.get("options", [])]
    return [(where, text) for where, text in texts if text]
