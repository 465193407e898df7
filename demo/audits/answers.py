"""Demo answers: generated from a seeded random generator, so a fresh load always produces
the same figures."""

import random
import zlib

from audits.bank import RISK_FACTORS, TOOLS_USED
from audits.models import Answer, AnswerTick, Grade, Question, QuestionSetItem, Return, YesPartlyNo

from .cases import DemoCase

AMENDMENT_REASONS = [
    "Several grades have no evidence. Please add a line from the record for each grade so "
    "the moderation panel can see what the judgement rests on.",
    "The risk-factor checklist does not match the chronology you describe: please check "
    "domestic abuse and parental mental health and update the ticks.",
]

# Evidence written for the demo: what an auditor might note when a theme went well or not.
EVIDENCE = {
    "Recognition": (
        "The school nurse noticed the weight loss at a routine check and acted the same week.",
        "Missed appointments over four months were logged but nobody asked why they were missed.",
    ),
    "Referrals": (
        "The referral set out the worry, what had been tried and what the child had said.",
        "The referral was a list of incidents with no analysis of what they meant for the child.",
    ),
    "Assessment and planning": (
        "The assessment weighed the parents' strengths against the risks and the plan followed.",
        "The plan repeated actions from the previous plan without saying why they had not worked.",
    ),
    "Recording": (
        "Case notes were written on the day and the chronology was kept up to date.",
        "Household members differ between systems and the chronology stops six months ago.",
    ),
    "Information sharing": (
        "The GP was told about the plan and replied with the family's health history.",
        "The previous school's file arrived seven weeks after the move, after the first review.",
    ),
    "Team Around the Family": (
        "Every agency attended the TAF meetings and the plan had one named lead professional.",
        "Two TAF meetings went ahead without health or school and actions were not followed up.",
    ),
    "Voice of the child": (
        "The child's own words about home are recorded and shaped the choice of support.",
        "The record describes the child's behaviour but not what the child thinks or wants.",
    ),
    "Whole-family approach": (
        "Mother's low mood was recognised and adult mental health joined the plan.",
        "Father's drinking is mentioned once and not considered in the assessment of risk.",
    ),
    "Interventions": (
        "Counselling in school started within three weeks of the referral.",
        "The child waited five months for a CAMHS appointment with no interim support.",
    ),
    "Joint working": (
        "Police and social care held a joint strategy discussion within a day.",
        "Agencies worked in parallel: each knew part of the picture and nobody joined it up.",
    ),
    "Escalation and professional challenge": (
        "The school escalated when the case was closed, and the decision was reviewed.",
        "Staff disagreed with the step-down but did not use the escalation policy.",
    ),
    "Impact and outcomes": (
        "Attendance rose from 62% to 91% and the child says home feels calmer.",
        "Little has changed for the child since the plan began: concerns are the same.",
    ),
}
GENERIC_EVIDENCE = (
    "Practice here was thorough and focused on the child.",
    "The record shows gaps that made it hard to follow what happened.",
)
YPN_EVIDENCE = {
    YesPartlyNo.YES: "Seen on the record with dates.",
    YesPartlyNo.PARTLY: "Done for some of the period only.",
    YesPartlyNo.NO: "No record of this for the period audited.",
}
ONE_CHANGE = [
    "One lead professional from the start, so the family told their story once.",
    "Asking the child directly, in a place they felt safe, much earlier.",
    "Sharing the school's attendance worries with the GP at the first sign of decline.",
    "A multi-agency chronology started on day one instead of after the second referral.",
    "Support for the parent's own mental health alongside the child's plan.",
    "Quicker access to counselling: the wait undid much of the early trust.",
]
GRADE_WEIGHTS = {
    "good": [15, 50, 25, 5, 5],
    "mixed": [5, 35, 40, 15, 5],
    "weak": [0, 20, 45, 30, 5],
}
GRADES = [
    Grade.OUTSTANDING,
    Grade.GOOD,
    Grade.REQUIRES_IMPROVEMENT,
    Grade.INADEQUATE,
    Grade.NOT_APPLICABLE,
]
YPN_WEIGHTS = {"good": [60, 25, 10, 5], "mixed": [40, 35, 20, 5], "weak": [20, 35, 40, 5]}
YPN_CHOICES = [YesPartlyNo.YES, YesPartlyNo.PARTLY, YesPartlyNo.NO, YesPartlyNo.NOT_APPLICABLE]


def _seeded(*parts: str) -> random.Random:
    return random.Random(zlib.crc32("|".join(parts).encode()))  # noqa: S311 - demo data only


def _answers(
    audit_return: Return, items: list[QuestionSetItem], case: DemoCase, rng: random.Random
) -> None:
    answers, ticks = [], []
    for item in items:
        answer = Answer(audit_return=audit_return, item=item)
        if item.kind == Question.Kind.GRADE:
            answer.choice = rng.choices(GRADES, GRADE_WEIGHTS[case.quality])[0]
            if answer.choice != Grade.NOT_APPLICABLE:
                good = answer.choice in {Grade.OUTSTANDING, Grade.GOOD}
                pool = EVIDENCE.get(item.theme_name, GENERIC_EVIDENCE)
                answer.evidence = pool[0] if good else pool[1]
        elif item.kind == Question.Kind.YES_PARTLY_NO:
            answer.choice = rng.choices(YPN_CHOICES, YPN_WEIGHTS[case.quality])[0]
            if answer.choice != YesPartlyNo.NOT_APPLICABLE and rng.random() < 0.6:
                answer.evidence = YPN_EVIDENCE[answer.choice]
        elif item.kind == Question.Kind.NUMBER:
            answer.number = rng.randint(2, 45)
        elif item.kind == Question.Kind.TEXT:
            answer.text = rng.choice(ONE_CHANGE)
        elif item.kind == Question.Kind.CHECKLIST:
            if list(item.options) == RISK_FACTORS:
                chosen = [f for f in case.risk_factors if rng.random() < 0.8]
            elif list(item.options) == TOOLS_USED:
                chosen = rng.sample(TOOLS_USED, rng.randint(0, 2))
            else:
                chosen = rng.sample(list(item.options), rng.randint(0, len(item.options)))
            ticks.append((answer, chosen))
        answers.append(answer)
    Answer.objects.bulk_create(answers)
    AnswerTick.objects.bulk_create(
        [AnswerTick(answer=answer, option=option) for answer, chosen in ticks for option in chosen]
    )
