"""Reads of the question bank and the question sets (the business team's)."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from auditportal.access import require
from audits.models import Question, QuestionSet, QuestionSetItem, Theme


def question_bank_themes(user: User, *, search: str = "") -> list[Theme]:
    """Every theme, retired ones too, each with its questions in order as `listed`. With a
    search, only what matches it (case-insensitive): a theme whose name matches keeps all its
    questions, any other only the questions whose text, guidance or options match. The bank
    is a few hundred questions at most, so the match is made on the two queries' rows."""
    if not user.is_business_team:
        return []
    from django.db.models import Prefetch

    themes = list(
        Theme.objects.order_by("order", "name").prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("order", "pk"))
        )
    )
    needle = search.casefold()
    shown = []
    for theme in themes:
        questions = list(theme.questions.all())
        if needle and needle not in theme.name.casefold():
            questions = [
                q
                for q in questions
                if needle in " ".join([q.text, q.help_text, *q.options]).casefold()
            ]
            if not questions:
                continue
        theme.listed = questions  # the matching questions, for the page
        shown.append(theme)
    return shown


def theme_get_for_business_team(user: User, pk: int) -> Theme:
    require(user, "audits.manage_programme")
    return get_object_or_404(Theme, pk=pk)


def question_get_for_business_team(user: User, pk: int) -> Question:
    require(user, "audits.manage_programme")
    return get_object_or_404(Question.objects.select_related("theme"), pk=pk)


def question_sets_visible_to(user: User, *, search: str = "") -> QuerySet[QuestionSet]:
    """Question sets with their counts; with a search, those whose name or description has it."""
    if not user.is_business_team:
        return QuestionSet.objects.none()
    sets = QuestionSet.objects.all()
    if search:
        sets = sets.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return sets.annotate(
        item_count=Count("items", distinct=True), audit_count=Count("audits", distinct=True)
    ).order_by("name", "-version")


def questionset_get_for_business_team(user: User, pk: int) -> QuestionSet:
    require(user, "audits.manage_programme")
    return get_object_or_404(QuestionSet, pk=pk)


def questionset_items_by_theme(question_set: QuestionSet) -> list[tuple[str, list]]:
    """The set's own copies of its questions, grouped by the theme name they were asked under."""
    groups: dict[str, list[QuestionSetItem]] = {}
    for item in question_set.items.order_by("order", "pk"):
        groups.setdefault(item.theme_name, []).append(item)
    return list(groups.items())
