"""Did practice change? A re-audit's figures before → after, beside the actions it tests.

- ``theme_changes(reaudits, *, use_moderated)``: for each re-audit, each linked theme's share
  of "Good or Outstanding" and of "Requires improvement or Inadequate" grades in the source
  audit and in the re-audit: one query for any number of re-audits (the board dashboard).
- ``reaudit_comparison(reaudit, *, use_moderated)``: the re-audit's page: the themes above,
  each yes / partly / no question and each risk factor the two audits both asked (matched by
  bank question, so versions and edited wording still compare), and the actions.

With fewer than ``SMALL_NUMBER`` answers (or cases) on either side a change is flagged: the
page says so plainly and claims no significance.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from auditportal.figures import Figure
from audits.models import Answer, Grade, Question, QuestionSetItem, Return

from .models import Action, ReAudit
from .results import BOARD_STATUSES, TREND_STATUSES, audit_results
from .trends.points import effective

SMALL_NUMBER = 10
GOOD: set[str] = {Grade.OUTSTANDING, Grade.GOOD}
POOR: set[str] = {Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE}


@dataclass(frozen=True)
class Change:
    label: str
    before: Figure
    after: Figure

    @property
    def small(self) -> bool:
        return self.before.denominator < SMALL_NUMBER or self.after.denominator < SMALL_NUMBER

    @property
    def direction(self) -> str:
        before, after = self.before.percent, self.after.percent
        if before is None or after is None:
            return "no figure"
        if after > before:
            return "up"
        return "down" if after < before else "no change"

    def display(self, suppress_below: int = 0) -> str:
        """'53% (8 of 15) → 30% (3 of 10)'."""
        return f"{self.before.display(suppress_below)} → {self.after.display(suppress_below)}"


@dataclass
class ThemeChange:
    theme_id: int
    theme_name: str
    good: Change
    poor: Change


@dataclass
class Comparison:
    reaudit: ReAudit
    use_moderated: bool
    themes: list[ThemeChange] = field(default_factory=list)
    questions: list[Change] = field(default_factory=list)
    risk_factors: list[Change] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    linked_action_ids: set[int] = field(default_factory=set)

    @property
    def small_numbers(self) -> bool:
        changes = [c for t in self.themes for c in (t.good, t.poor)]
        return any(change.small for change in changes + self.questions + self.risk_factors)


def _grade_counts(audit_ids: set[int], use_moderated: bool) -> dict[tuple[int, int], dict]:
    rows = (
        Answer.objects.filter(
            audit_return__audit_id__in=audit_ids,
            audit_return__status=Return.Status.SUBMITTED,
            item__kind=Question.Kind.GRADE,
        )
        .exclude(choice="")
        .values_list("audit_return__audit_id", "item__theme_id", "choice", "moderated_choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for audit_id, theme_id, choice, moderated_choice, n in rows:
        counts[(audit_id, theme_id)][effective(choice, moderated_choice, use_moderated)] += n
    return counts


def _share(counts: dict[str, int], values: set[str], label: str) -> Figure:
    answered = sum(n for value, n in counts.items() if value != Grade.NOT_APPLICABLE)
    return Figure(label, sum(counts.get(value, 0) for value in values), answered)


def theme_changes(reaudits: list[ReAudit], *, use_moderated: bool) -> dict[int, list[ThemeChange]]:
    """Re-audit id -> its linked themes before → after. One query; the re-audits come with
    their themes prefetched."""
    audit_ids = {r.audit_id for r in reaudits} | {r.source_audit_id for r in reaudits}
    counts = _grade_counts(audit_ids, use_moderated) if audit_ids else {}
    result: dict[int, list[ThemeChange]] = {}
    for reaudit in reaudits:
        rows = []
        for theme in sorted(reaudit.themes.all(), key=lambda t: (t.order, t.name)):
            before = counts.get((reaudit.source_audit_id, theme.pk), {})
            after = counts.get((reaudit.audit_id, theme.pk), {})
            if not before and not after:
                continue  # no grade question of the theme in either audit
            good = f"{theme.name}, Good or Outstanding"
            poor = f"{theme.name}, Requires improvement or Inadequate"
            rows.append(
                ThemeChange(
                    theme.pk,
                    theme.name,
                    Change(good, _share(before, GOOD, good), _share(after, GOOD, good)),
                    Change(poor, _share(before, POOR, poor), _share(after, POOR, poor)),
                )
            )
        result[reaudit.pk] = rows
    return result


def _question_ids(*question_set_ids: int) -> dict[int, int | None]:
    return dict(
        QuestionSetItem.objects.filter(question_set_id__in=question_set_ids).values_list(
            "pk", "question_id"
        )
    )


def reaudit_comparison(reaudit: ReAudit, *, use_moderated: bool) -> Comparison:
    source, audit = reaudit.source_audit, reaudit.audit
    before = audit_results(audit=source, use_moderated=use_moderated)
    after = audit_results(audit=audit, use_moderated=use_moderated)
    identity = _question_ids(source.question_set_id, audit.question_set_id)
    theme_ids = {theme.pk for theme in reaudit.themes.all()}
    comparison = Comparison(
        reaudit=reaudit,
        use_moderated=use_moderated,
        themes=theme_changes([reaudit], use_moderated=use_moderated)[reaudit.pk],
    )

    earlier = {identity[q.item_id]: q for q in before.yes_partly_no if identity.get(q.item_id)}
    for question in after.yes_partly_no:
        old = earlier.get(identity.get(question.item_id))
        if old is None or question.theme_id not in theme_ids:
            continue
        for position in (0, 2):  # Yes, No
            label = f"{question.text}: {question.answers[position].label}"
            comparison.questions.append(
                Change(label, old.answers[position], question.answers[position])
            )

    earlier_lists = {identity[c.item_id]: c for c in before.checklists if identity.get(c.item_id)}
    for checklist in after.checklists:
        old_list = earlier_lists.get(identity.get(checklist.item_id))
        if old_list is None:
            continue
        old_options = {figure.label: figure for figure in old_list.options}
        for figure in checklist.options:
            if figure.label in old_options:
                comparison.risk_factors.append(
                    Change(figure.label, old_options[figure.label], figure)
                )

    # The actions it tests, and the source's others that fell due before it opened.
    comparison.actions = list(
        Action.objects.filter(
            Q(reaudits=reaudit) | Q(audit=source, due_date__lte=audit.returns_open)
        )
        .distinct()
        .select_related("owner_agency", "owner_subgroup")
        .order_by("due_date", "pk")
    )
    comparison.linked_action_ids = {action.pk for action in reaudit.actions.all()}
    return comparison


# The board dashboard shows the latest re-audits: a page whose cost stays flat.
DASHBOARD_REAUDITS = 10


def practice_change_rows(*, for_board: bool, use_moderated: bool) -> list[dict]:
    """The dashboard's "Did practice change?": each re-audit (published and closed ones for
    the board) with its linked themes before → after and its actions' completion. Four
    queries whatever the number of re-audits: re-audits, their themes, their actions and the
    grade counts. Aggregate figures only."""
    statuses = BOARD_STATUSES if for_board else TREND_STATUSES
    reaudits = list(
        ReAudit.objects.filter(audit__status__in=statuses, source_audit__status__in=statuses)
        .select_related("audit", "source_audit")
        .prefetch_related("themes", "actions")
        .order_by("-audit__returns_open", "-pk")[:DASHBOARD_REAUDITS]
    )
    changes = theme_changes(reaudits, use_moderated=use_moderated)
    rows = []
    for reaudit in reaudits:
        actions = list(reaudit.actions.all())
        done = sum(1 for action in actions if action.status == Action.Status.DONE)
        rows.append(
            {
                "reaudit": reaudit,
                "themes": changes[reaudit.pk],
                "actions": Figure("Done", done, len(actions)),
            }
        )
    return rows
