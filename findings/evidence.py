"""Evidence texts of an audit for reading at moderation, one theme at a time.

The results page shows each theme's number of evidence texts and loads a theme's texts only
when asked (``findings:results-evidence``): rendering every text of a large audit, with its
moderate and promote links, was most of the page's time (docs/benchmarks.md). The business
team only: callers load the audit through the results views' access check first.

The texts: evidence boxes and free-text answers of submitted returns (drafts are never read).
"""

from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet

from audits.models import Answer, Audit, Question, QuestionSetItem, Return


@dataclass(frozen=True)
class ThemeEvidenceCount:
    theme_id: int
    theme_name: str
    count: int


def evidence_answers(*, audit: Audit) -> QuerySet[Answer]:
    """Every answer of the audit's submitted returns that has an evidence text or is a
    written (free-text) answer."""
    return Answer.objects.filter(
        audit_return__audit=audit, audit_return__status=Return.Status.SUBMITTED
    ).filter(~Q(evidence="") | (Q(item__kind=Question.Kind.TEXT) & ~Q(text="")))


def evidence_counts_by_theme(*, audit: Audit) -> list[ThemeEvidenceCount]:
    """Themes with at least one evidence text, in the question set's order: one query."""
    rows = (
        evidence_answers(audit=audit)
        .values("item__theme_id")
        .annotate(
            theme_name=Min("item__theme_name"), count=Count("pk"), first_order=Min("item__order")
        )
        .order_by("first_order", "item__theme_id")
    )
    return [
        ThemeEvidenceCount(row["item__theme_id"], row["theme_name"], row["count"]) for row in rows
    ]


def audit_theme_name(*, audit: Audit, theme_pk: int) -> str | None:
    """The theme's name as the audit's question set asks it; None when the set has no
    question of that theme."""
    return (
        QuestionSetItem.objects.filter(question_set_id=audit.question_set_id, theme_id=theme_pk)
        .order_by("order", "pk")
        .values_list("theme_name", flat=True)
        .first()
    )


def theme_evidence_answers(*, audit: Audit, theme_pk: int) -> list[Answer]:
    """One theme's evidence texts in question order, then case and agency: one query. Each
    Answer carries its question, case and agency."""
    return list(
        evidence_answers(audit=audit)
        .filter(item__theme_id=theme_pk)
        .select_related("item", "audit_return__case", "audit_return__agency")
        # What the list shows: a theme can have a hundred texts, and whole rows of returns,
        # cases and questions cost as much to load as the texts themselves.
        .only(
            "choice",
            "moderated_choice",
            "moderation_reason",
            "evidence",
            "text",
            "item__text",
            "item__kind",
            "item__theme_id",
            "item__theme_name",
            "audit_return__case__pseudonym",
            "audit_return__agency__name",
        )
        .order_by(
            "item__order", "item_id", "audit_return__case__pseudonym", "audit_return__agency__name"
        )
    )
