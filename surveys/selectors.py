"""Reads of surveys. The business team's pages load a survey through the audits it can see
(404 when not visible, 403 when visible but not the business team's), like every page of an
audit. Higher layers (findings, briefings) read the engagement counts and the consented
answers through here."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from accounts.models import User
from auditportal.access import require
from auditportal.figures import Figure
from audits.models import Audit
from audits.selectors import audit_get_for_business_team, audits_visible_to

from .kinds import choices_of
from .models import CodeBatch, Survey, SurveyAnswer, SurveyQuestion, SurveyResponse


def audit_get_for_surveys(user: User, pk: int) -> Audit:
    audit = audit_get_for_business_team(user, pk)
    require(user, "surveys.manage_survey", audit)
    return audit


def surveys_visible_to(user: User) -> QuerySet[Survey]:
    return Survey.objects.filter(audit__in=audits_visible_to(user))


def survey_get_for_user(user: User, pk: int) -> Survey:
    survey = get_object_or_404(surveys_visible_to(user).select_related("audit"), pk=pk)
    require(user, "surveys.manage_survey", survey)
    return survey


def question_get_for_user(user: User, pk: int) -> SurveyQuestion:
    question = get_object_or_404(
        SurveyQuestion.objects.filter(survey__in=surveys_visible_to(user)).select_related(
            "survey__audit"
        ),
        pk=pk,
    )
    require(user, "surveys.manage_survey", question.survey)
    return question


@dataclass(frozen=True)
class SurveyRow:
    survey: Survey
    issued: int
    completed: int
    started: int

    @property
    def response_rate(self) -> Figure:
        return Figure(self.survey.get_audience_display(), self.completed, self.issued)


def survey_rows(audit: Audit) -> list[SurveyRow]:
    """The audit's surveys with codes issued, responses sent and started (two queries)."""
    surveys = list(
        Survey.objects.filter(audit=audit)
        .annotate(
            completed=Count("responses", filter=Q(responses__completed_on__isnull=False)),
            started=Count("responses"),
        )
        .order_by("audience")
    )
    issued = dict(
        CodeBatch.objects.filter(survey__audit=audit)
        .values_list("survey")
        .annotate(n=Sum("size"))
        .values_list("survey", "n")
    )
    return [SurveyRow(s, issued.get(s.pk, 0) or 0, s.completed, s.started) for s in surveys]


def engagement_counts(audit: Audit) -> dict[str, tuple[int, int]] | None:
    """Codes issued and responses sent per group (audience value -> (responses, shared)), for
    the audit's engagement figures; None when no survey of the audit has issued a code."""
    rows = [r for r in survey_rows(audit) if r.survey.audience != Survey.Audience.PRACTITIONERS]
    if not any(r.issued for r in rows):
        return None
    return {r.survey.audience: (r.completed, r.issued) for r in rows}


@dataclass(frozen=True)
class QuestionResult:
    question: SurveyQuestion
    answered: int
    figures: list[Figure]  # one per choice, over the answered count
    texts: int  # free-text answers
    consented: int


def survey_results(survey: Survey) -> tuple[int, list[QuestionResult]]:
    """Sent responses, and each question's answers counted (three queries, whatever the
    number of responses). Unfinished responses are not counted."""
    sent = SurveyResponse.objects.filter(survey=survey, completed_on__isnull=False).count()
    questions = list(survey.questions.order_by("order", "pk"))
    counted = (
        SurveyAnswer.objects.filter(response__survey=survey, response__completed_on__isnull=False)
        .values("question", "choice")
        .annotate(n=Count("pk"), consented=Count("pk", filter=Q(quote_consent=True)))
    )
    by_question: dict[int, dict[str, tuple[int, int]]] = {}
    for row in counted:
        by_question.setdefault(row["question"], {})[row["choice"]] = (row["n"], row["consented"])
    results = []
    for question in questions:
        counts = by_question.get(question.pk, {})
        answered = sum(n for n, _ in counts.values())
        figures = [
            Figure(c.words, counts.get(c.value, (0, 0))[0], answered) for c in choices_of(question)
        ]
        texts = counts.get("", (0, 0))
        results.append(QuestionResult(question, answered, figures, texts[0], texts[1]))
    return sent, results


def consented_text_answers(audit: Audit) -> QuerySet[SurveyAnswer]:
    """Free-text answers of sent responses whose writer agreed to be quoted without a name:
    the only survey answers that can become quotes."""
    return (
        SurveyAnswer.objects.filter(
            response__survey__audit=audit,
            response__completed_on__isnull=False,
            quote_consent=True,
        )
        .exclude(text="")
        .select_related("question", "response__survey")
        .order_by("response__survey__audience", "question__order", "pk")
    )


def pulses_by_agency(survey_ids: list[int]) -> dict[int, list[tuple[str, int, int]]]:
    """Each pulse's reach by agency (or by batch label where no agency was given): survey id
    -> [(name, codes issued, responses sent)], in two queries however many surveys."""
    issued: dict[int, dict[str, int]] = {pk: {} for pk in survey_ids}
    for survey_id, name, label, size in CodeBatch.objects.filter(survey__in=survey_ids).values_list(
        "survey", "agency__name", "label", "size"
    ):
        by_name = issued[survey_id]
        by_name[name or label] = by_name.get(name or label, 0) + size
    sent: dict[tuple[int, str], int] = {}
    for survey_id, name, label in SurveyResponse.objects.filter(
        survey__in=survey_ids, completed_on__isnull=False
    ).values_list("survey", "code__batch__agency__name", "code__batch__label"):
        sent[(survey_id, name or label)] = sent.get((survey_id, name or label), 0) + 1
    return {
        pk: [(name, by_name[name], sent.get((pk, name), 0)) for name in sorted(by_name)]
        for pk, by_name in issued.items()
    }


def pulse_by_agency(survey: Survey) -> list[tuple[str, int, int]]:
    return pulses_by_agency([survey.pk])[survey.pk]


def pulse_texts_by_agency(survey: Survey) -> list[tuple[str, list[tuple[str, str]]]]:
    """A pulse's written answers, grouped by agency (never by person): [(agency, [(question,
    words)])], sent responses only, in one query."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for name, label, question, text in (
        SurveyAnswer.objects.filter(response__survey=survey, response__completed_on__isnull=False)
        .exclude(text="")
        .order_by("response__code__batch__agency__name", "question__order", "pk")
        .values_list(
            "response__code__batch__agency__name", "response__code__batch__label",
            "question__text", "text",
        )
    ):  # fmt: skip
        grouped.setdefault(name or label, []).append((question, text))
    return sorted(grouped.items())
