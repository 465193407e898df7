"""Points 4 and 5: engagement figures counted from the survey, results with suppression, and
quotes from consented answers that reach a briefing only once approved."""

import pytest
from django.core.exceptions import ValidationError

from briefings.data import engagement_rows, snapshot
from findings.models import Quote
from findings.selectors import audit_engagement_figures, consented_quotes
from findings.survey_quotes import survey_quote_candidates, survey_quote_review
from surveys.models import Survey, SurveyAnswer
from surveys.selectors import survey_results
from tests.factories import AuditFactory, BriefingFactory, EngagementFactory, QuoteFactory

from .factories import answer_all, open_survey


def test_engagement_figures_count_codes_issued_and_responses_sent_per_group(db):
    audit = AuditFactory()
    EngagementFactory(audit=audit, cyp_shared=99, cyp_responses=1)  # typed earlier: not used
    children = open_survey(audit=audit, codes=4)
    parents = open_survey(audit=audit, codes=2, audience=Survey.Audience.PARENTS)
    for code in children.codes[:3]:
        answer_all(children.survey, code)
    answer_all(children.survey, children.codes[3], send=False)  # started, not sent
    answer_all(parents.survey, parents.codes[0])

    figures = audit_engagement_figures(audit)

    assert figures is not None and figures.from_surveys
    assert figures.children.display() == "75% (3 of 4)"
    assert figures.parents.display() == "50% (1 of 2)"


def test_typed_engagement_figures_stay_until_a_survey_issues_codes(db):
    audit = AuditFactory()
    EngagementFactory(audit=audit, cyp_shared=10, cyp_responses=4)
    open_survey(audit=audit, codes=0)

    figures = audit_engagement_figures(audit)

    assert figures is not None and not figures.from_surveys
    assert figures.children.display() == "40% (4 of 10)"


def test_briefing_engagement_rows_come_from_the_survey_with_suppression(db):
    audit = AuditFactory()
    children = open_survey(audit=audit, codes=5)
    for code in children.codes[:2]:
        answer_all(children.survey, code)

    rows = engagement_rows(audit, suppress_below=3)

    assert [(r["label"], r["display"]) for r in rows] == [
        ("Children and young people", "fewer than 3")
    ]


def test_results_count_each_answer_of_sent_responses_only(db):
    opened = open_survey(codes=4)
    for code in opened.codes[:3]:
        answer_all(opened.survey, code)
    answer_all(opened.survey, opened.codes[3], send=False)

    sent, results = survey_results(opened.survey)

    assert sent == 3
    scale = results[0]
    assert [(f.label, f.display()) for f in scale.figures] == [
        ("Not good", "100% (3 of 3)"),
        ("OK", "0% (0 of 3)"),
        ("Good", "0% (0 of 3)"),
    ]
    assert [f.display(3) for f in scale.figures] == ["100% (3 of 3)", "0% (0 of 3)", "0% (0 of 3)"]
    assert (results[3].texts, results[3].consented) == (3, 3)


def test_results_suppress_small_counts(db):
    opened = open_survey(codes=2)
    for code in opened.codes:
        answer_all(opened.survey, code)

    _, results = survey_results(opened.survey)

    assert [f.display(3) for f in results[0].figures] == ["fewer than 3"] * 3


def _consented_answer(audit, text="My worker Sam helps me every week.") -> SurveyAnswer:
    opened = open_survey(audit=audit, codes=1)
    answer_all(opened.survey, opened.codes[0], text=text)
    return SurveyAnswer.objects.get(quote_consent=True)


def test_each_consented_answer_is_a_candidate_with_its_source_label(db):
    audit = AuditFactory()
    _consented_answer(audit)
    opened = open_survey(audit=audit, codes=1, audience=Survey.Audience.PARENTS)
    answer_all(opened.survey, opened.codes[0], text="Not for sharing.", consent=False)

    candidates = survey_quote_candidates(audit)

    assert [(c.source_label, c.status) for c in candidates] == [
        ("young person, survey", "Not reviewed")
    ]
    assert candidates[0].flags == ["may have a name in it"]


def test_only_approved_survey_quotes_reach_the_briefing(db, business):
    audit = AuditFactory()
    answer = _consented_answer(audit)
    typed = QuoteFactory(audit=audit, text="Typed by the team.")
    edited = survey_quote_review(
        answer=answer, text="My worker helps me every week.", source_label="young person, survey",
        approve=False, actor=business,
    )  # fmt: skip

    before = list(consented_quotes(audit))
    survey_quote_review(
        answer=answer, text="My worker helps me every week.", source_label="young person, survey",
        approve=True, checked=True, actor=business,
    )  # fmt: skip
    briefing = BriefingFactory(audit=audit, show_quotes=True)
    briefing.quotes.set([typed, edited])

    assert before == [typed]
    assert list(consented_quotes(audit)) == [typed, edited]
    assert [q["text"] for q in snapshot(briefing)["data"]["quotes"]] == [
        "Typed by the team.",
        "My worker helps me every week.",
    ]
    answer.refresh_from_db()
    assert answer.text == "My worker Sam helps me every week."  # the original, untouched


def test_an_unapproved_survey_quote_chosen_for_a_briefing_is_not_printed(db, business):
    audit = AuditFactory()
    quote = survey_quote_review(
        answer=_consented_answer(audit, text="It got better."), text="It got better.",
        source_label="young person, survey", approve=False, actor=business,
    )  # fmt: skip
    briefing = BriefingFactory(audit=audit, show_quotes=True)
    briefing.quotes.set([quote])

    assert snapshot(briefing)["data"]["quotes"] == []


def test_approval_refuses_a_phone_number_left_in_and_needs_the_flag_read(db, business):
    answer = _consented_answer(AuditFactory(), text="Ring Sam on 07700 900123.")

    with pytest.raises(ValidationError) as phone:
        survey_quote_review(
            answer=answer, text="Ring them on 07700 900123.", source_label="young person, survey",
            approve=True, checked=True, actor=business,
        )  # fmt: skip
    with pytest.raises(ValidationError) as unread:
        survey_quote_review(
            answer=answer, text="Ring them.", source_label="young person, survey",
            approve=True, actor=business,
        )  # fmt: skip

    assert "phone number" in phone.value.message_dict["text"][0]
    assert "confirm" in unread.value.message_dict["checked"][0]
    assert Quote.objects.count() == 0


def test_an_answer_without_consent_cannot_become_a_quote(db, business):
    opened = open_survey(codes=1)
    answer_all(opened.survey, opened.codes[0], text="Private.", consent=False)
    answer = SurveyAnswer.objects.exclude(text="").get()

    with pytest.raises(ValidationError):
        survey_quote_review(
            answer=answer, text="Private.", source_label="young person, survey", approve=True,
            actor=business,
        )  # fmt: skip

    assert Quote.objects.count() == 0
