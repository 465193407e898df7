"""Demo audits of the fictional Riverbend Safeguarding Children Partnership: the default
question bank, a frozen question set and its next version, one published audit with every
return submitted, one open audit with returns in every state, a second open audit whose
returns are overdue, and one planned audit.

Idempotent: everything is found by natural keys (titles, pseudonyms, case × agency) and only
created when missing, so loading twice changes nothing. Answers are generated from a seeded
random generator, so a fresh load always produces the same figures.
"""

import datetime
import random
import zlib
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from audits.bank import RISK_FACTORS, TOOLS_USED, load_bank
from audits.models import (
    Answer,
    AnswerTick,
    Audit,
    AuditTransition,
    Grade,
    Question,
    QuestionSet,
    QuestionSetItem,
    Return,
    SampleCase,
    YesPartlyNo,
)
from audits.services.programme import (
    questionset_create,
    questionset_freeze,
    questionset_new_version,
)
from cases.models import Agency, Case, CaseAgency, Partnership, RecordReference

PUBLISHED = "Deep dive: emotional health of young people open to early help"
OPEN = "Multi-agency case file audit: neglect in families with younger children"
OVERDUE = "Deep dive: information sharing on school transfer"
PLANNED = "Deep dive: children missing education"
QUESTION_SET = "Riverbend core audit questions"

# Which demo practitioner completes each agency's returns (agencies without a demo user
# have no assignee: the business team sees them as unassigned).
ASSIGNEES = {
    "CSC": "practitioner",
    "Police": "police",
    "CAMHS": "health",
    "0-19": "health",
    "Schools": "schools",
    "Early Help": "earlyhelp",
}

NOT_STARTED = Return.Status.NOT_STARTED
IN_PROGRESS = Return.Status.IN_PROGRESS
SUBMITTED = Return.Status.SUBMITTED
RETURNED = Return.Status.RETURNED


@dataclass(frozen=True)
class DemoCase:
    pseudonym: str
    age_band: str
    gender: str
    ethnicity: str
    level_of_need: str
    quality: str  # good, mixed or weak: how the practice in this case went
    risk_factors: tuple[str, ...]
    returns: tuple[tuple[str, str], ...]  # (agency short name, return status)


A = Case.AgeBand
G = Case.Gender
E = Case.Ethnicity
N = Case.LevelOfNeed

PUBLISHED_CASES = [
    DemoCase(
        "YP1",
        A.AGE_13_15,
        G.FEMALE,
        E.WHITE,
        N.EARLY_HELP,
        "good",
        ("Parental mental health", "Poor school attendance", "Young carer"),
        (
            ("Early Help", SUBMITTED),
            ("Schools", SUBMITTED),
            ("CAMHS", SUBMITTED),
            ("GP", SUBMITTED),
        ),
    ),
    DemoCase(
        "YP2",
        A.AGE_13_15,
        G.MALE,
        E.MIXED,
        N.EARLY_HELP,
        "mixed",
        ("Domestic abuse", "Parental mental health", "Previous social care involvement"),
        (
            ("Early Help", SUBMITTED),
            ("Schools", SUBMITTED),
            ("0-19", SUBMITTED),
            ("CAMHS", SUBMITTED),
            ("Police", SUBMITTED),
        ),
    ),
    DemoCase(
        "YP3",
        A.AGE_16_17,
        G.FEMALE,
        E.ASIAN,
        N.CHILD_IN_NEED,
        "weak",
        (
            "Previous social care involvement",
            "Parental substance misuse",
            "Disguised compliance",
            "Poor school attendance",
        ),
        (("CSC", SUBMITTED), ("CAMHS", SUBMITTED), ("Schools", SUBMITTED)),
    ),
    DemoCase(
        "YP4",
        A.AGE_10_12,
        G.NOT_RECORDED,
        E.BLACK,
        N.EARLY_HELP,
        "good",
        ("Parental mental health", "Child of an offender"),
        (
            ("Early Help", SUBMITTED),
            ("GP", SUBMITTED),
            ("Schools", SUBMITTED),
            ("AMHS", SUBMITTED),
        ),
    ),
]

OPEN_CASES = [
    DemoCase(
        "Child A",
        A.UNDER_1,
        G.MALE,
        E.WHITE,
        N.CHILD_PROTECTION,
        "mixed",
        ("Neglect", "Parental substance misuse", "Domestic abuse"),
        (("CSC", SUBMITTED), ("Police", IN_PROGRESS), ("0-19", SUBMITTED), ("GP", NOT_STARTED)),
    ),
    DemoCase(
        "Child B",
        A.AGE_1_4,
        G.FEMALE,
        E.MIXED,
        N.CHILD_IN_NEED,
        "weak",
        ("Neglect", "Parental learning disability", "Disguised compliance"),
        (("CSC", IN_PROGRESS), ("0-19", NOT_STARTED), ("Housing", SUBMITTED)),
    ),
    DemoCase(
        "Child C",
        A.AGE_5_9,
        G.MALE,
        E.BLACK,
        N.EARLY_HELP,
        "good",
        ("Neglect", "Poor school attendance"),
        (("Early Help", SUBMITTED), ("Schools", IN_PROGRESS), ("CSC", RETURNED)),
    ),
    DemoCase(
        "Child D",
        A.AGE_1_4,
        G.FEMALE,
        E.WHITE,
        N.CHILD_PROTECTION,
        "weak",
        ("Neglect", "Domestic abuse", "Child of an offender", "Previous social care involvement"),
        (
            ("CSC", NOT_STARTED),
            ("Police", SUBMITTED),
            ("Probation", NOT_STARTED),
            ("0-19", IN_PROGRESS),
        ),
    ),
    DemoCase(
        "Child E",
        A.AGE_5_9,
        G.FEMALE,
        E.ASIAN,
        N.LOOKED_AFTER,
        "mixed",
        ("Neglect", "Parental mental health"),
        (("CSC", SUBMITTED), ("Schools", RETURNED), ("AMHS", NOT_STARTED), ("Police", RETURNED)),
    ),
]

OVERDUE_CASES = [
    DemoCase(
        "Child F",
        A.AGE_10_12,
        G.MALE,
        E.WHITE,
        N.CHILD_IN_NEED,
        "mixed",
        ("Poor school attendance", "Previous social care involvement"),
        (("CSC", IN_PROGRESS), ("Schools", NOT_STARTED), ("0-19", SUBMITTED)),
    ),
    DemoCase(
        "Child G",
        A.AGE_5_9,
        G.FEMALE,
        E.OTHER,
        N.EARLY_HELP,
        "good",
        ("Young carer",),
        (("Early Help", RETURNED), ("Schools", IN_PROGRESS), ("Police", NOT_STARTED)),
    ),
]

PLANNED_CASES = [
    DemoCase(
        "CME1",
        A.AGE_13_15,
        G.MALE,
        E.WHITE,
        N.CHILD_IN_NEED,
        "mixed",
        (),
        (("Schools", ""), ("CSC", ""), ("Early Help", "")),
    ),
    DemoCase(
        "CME2",
        A.AGE_10_12,
        G.FEMALE,
        E.NOT_RECORDED,
        N.EARLY_HELP,
        "mixed",
        (),
        (("Schools", ""), ("0-19", "")),
    ),
]

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


def _reference(title: str, pseudonym: str, short: str) -> str:
    number = zlib.crc32(f"{title}|{pseudonym}|{short}".encode()) % 900000 + 100000
    prefix = "".join(ch for ch in short.upper() if ch.isalnum())[:5]
    return f"{prefix}-{number}"


def _question_sets(business: User) -> tuple[QuestionSet, QuestionSet]:
    """Version 1 (frozen: the open and past audits use it) and version 2 (being edited), made
    by the business team through the question-set services."""
    v1 = QuestionSet.objects.filter(name=QUESTION_SET, version=1).first()
    if v1 is None:
        v1 = questionset_create(
            actor=business,
            name=QUESTION_SET,
            description="Every question of the default bank, as used in 2026's audits.",
            questions=Question.objects.filter(key__gt="", active=True),
        )
        questionset_freeze(question_set=v1, at=timezone.now() - datetime.timedelta(days=150))
    v2 = QuestionSet.objects.filter(name=QUESTION_SET, version=2).first()
    if v2 is None:
        v2 = questionset_new_version(question_set=v1, actor=business)
    return v1, v2


# Demo dates are relative to today; none falls on a weekend or on these days (month, day):
# Christmas Day, Boxing Day, New Year's Day.
CLOSED_DAYS = {(12, 25), (12, 26), (1, 1)}


def working_day(day: datetime.date) -> datetime.date:
    """The day itself, or the next day that is neither a weekend nor a closed day."""
    while day.weekday() >= 5 or (day.month, day.day) in CLOSED_DAYS:
        day += datetime.timedelta(days=1)
    return day


def _morning(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _audit(
    title: str, question_set: QuestionSet, business: User | None, **fields
) -> tuple[Audit, bool]:
    audit, created = Audit.objects.get_or_create(
        title=title, defaults={"question_set": question_set, "created_by": business, **fields}
    )
    if created:
        # Scheduled five weeks before returns open (a week ago for one still planned), not
        # at the moment the demo was loaded.
        today = timezone.localdate()
        scheduled = min(
            audit.returns_open - datetime.timedelta(days=35), today - datetime.timedelta(days=7)
        )
        audit.created_at = _morning(working_day(scheduled))
        Audit.objects.filter(pk=audit.pk).update(created_at=audit.created_at)
    return audit, created


def _history(audit: Audit, business: User | None, steps: list[tuple[str, str, int]]) -> None:
    """Transition rows (from, to, days ago) written once, when the audit is first created."""
    now = timezone.now()
    for from_status, to_status, days_ago in steps:
        transition = AuditTransition.objects.create(
            audit=audit, from_status=from_status, to_status=to_status, actor=business
        )
        AuditTransition.objects.filter(pk=transition.pk).update(
            at=now - datetime.timedelta(days=days_ago)
        )


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


def _cases(
    audit: Audit,
    cases: list[DemoCase],
    agencies: dict[str, Agency],
    users: dict[str, User],
    *,
    with_returns: bool,
    submitted_on: datetime.datetime | None = None,
) -> None:
    items = list(audit.question_set.items.order_by("order", "pk"))
    now = timezone.now()
    partnership = Partnership.load()
    for spec in cases:
        case, _ = Case.objects.get_or_create(
            partnership=partnership,
            pseudonym=spec.pseudonym,
            defaults={
                "age_band": spec.age_band,
                "gender": spec.gender,
                "ethnicity": spec.ethnicity,
                "level_of_need": spec.level_of_need,
            },
        )
        sample, _ = SampleCase.objects.get_or_create(audit=audit, case=case)
        for short, status in spec.returns:
            agency = agencies[short]
            involvement, _ = CaseAgency.objects.get_or_create(case=case, agency=agency)
            sample.involvements.add(involvement)
            RecordReference.objects.get_or_create(
                involvement=involvement,
                defaults={"reference": _reference(audit.title, spec.pseudonym, short)},
            )
            if not with_returns:
                continue
            assignee = users.get(ASSIGNEES.get(short, ""))
            rng = _seeded(audit.title, spec.pseudonym, short)
            started = now - datetime.timedelta(days=rng.randint(4, 12))
            defaults = {"audit": audit, "assignee": assignee, "status": status}
            if status != NOT_STARTED:
                defaults.update(started_at=started, updated_by=assignee, version=rng.randint(2, 6))
            if status in {SUBMITTED, RETURNED}:
                defaults.update(
                    submitted_at=submitted_on or started + datetime.timedelta(days=2),
                    submitted_by=assignee,
                )
            if status == RETURNED:
                defaults["amendment_reason"] = rng.choice(AMENDMENT_REASONS)
            defaults.pop("audit")
            audit_return, created = Return.objects.get_or_create(
                audit=audit, case=case, agency=agency, defaults=defaults
            )
            if created and status != NOT_STARTED:
                answered = items if status != IN_PROGRESS else items[: max(1, len(items) * 2 // 5)]
                _answers(audit_return, answered, spec, rng)


def load(agencies: dict[str, Agency], users: list[User]) -> dict:
    """Load the demo audits; returns {"question_sets": [v1, v2], "audits": {key: Audit}}."""
    load_bank()
    by_name = {user.username: user for user in users}
    business = by_name.get("business")
    today = timezone.localdate()
    now = timezone.now()

    def day(offset: int) -> datetime.date:
        return working_day(today + datetime.timedelta(days=offset))

    def days_ago(date: datetime.date) -> int:
        return (today - date).days

    v1, v2 = _question_sets(business)
    S = Audit.Status

    published, created = _audit(
        PUBLISHED,
        v1,
        business,
        kind=Audit.Kind.DEEP_DIVE,
        priority="Mental health and wellbeing",
        key_question="How well do agencies recognise and respond to the emotional health "
        "needs of young people supported by early help?",
        scope="Four young people aged 10 to 17 open to early help or children in need in the "
        "six months before the audit, chosen for a spread of ages and needs.",
        methodology="Each involved agency audited its own records with the partnership's "
        "question set; a survey of young people and parents ran alongside; a multi-agency "
        "moderation meeting agreed the findings.",
        returns_open=day(-150),
        returns_due=day(-122),
        moderation_date=day(-110),
        briefing_due=day(-85),
        status=S.PUBLISHED,
        opened_at=_morning(day(-150)),
    )
    if created:
        _history(
            published,
            business,
            [
                (S.PLANNED, S.OPEN, days_ago(published.returns_open)),
                (S.OPEN, S.MODERATION, 118),
                (S.MODERATION, S.FINDINGS_AGREED, 110),
                (S.FINDINGS_AGREED, S.PUBLISHED, 88),
            ],
        )
    _cases(
        published,
        PUBLISHED_CASES,
        agencies,
        by_name,
        with_returns=True,
        submitted_on=now - datetime.timedelta(days=125),
    )

    open_audit, created = _audit(
        OPEN,
        v1,
        business,
        kind=Audit.Kind.MACFA,
        priority="Neglect",
        key_question="Do agencies recognise neglect of babies and young children early, and "
        "does the help offered change the child's daily experience?",
        scope="Five children under ten on early help, child in need, child protection or "
        "looked-after plans where neglect was a feature in the last year.",
        methodology="Agencies audit their own records against the core question set; "
        "findings are agreed at a multi-agency moderation meeting.",
        returns_open=day(-14),
        returns_due=day(10),
        moderation_date=day(24),
        briefing_due=day(52),
        status=S.OPEN,
        opened_at=_morning(day(-14)),
    )
    if created:
        _history(open_audit, business, [(S.PLANNED, S.OPEN, days_ago(open_audit.returns_open))])
    _cases(open_audit, OPEN_CASES, agencies, by_name, with_returns=True)

    overdue, created = _audit(
        OVERDUE,
        v1,
        business,
        kind=Audit.Kind.DEEP_DIVE,
        priority="Education and inclusion",
        key_question="When a child moves school or area, does the information that keeps "
        "them safe move with them?",
        scope="Two children who changed school mid-year with safeguarding concerns on file.",
        methodology="A short deep dive: each agency audits its own record of the move.",
        returns_open=day(-40),
        returns_due=day(-5),
        moderation_date=day(9),
        status=S.OPEN,
        opened_at=_morning(day(-40)),
    )
    if created:
        _history(overdue, business, [(S.PLANNED, S.OPEN, days_ago(overdue.returns_open))])
    _cases(overdue, OVERDUE_CASES, agencies, by_name, with_returns=True)

    planned, _ = _audit(
        PLANNED,
        v2,
        business,
        kind=Audit.Kind.DEEP_DIVE,
        priority="Education and inclusion",
        key_question="How quickly do agencies notice and act when a child stops attending "
        "education, and who takes the lead?",
        scope="Children reported missing education in the last school year.",
        methodology="To be agreed with the Safeguarding in Education sub-group.",
        returns_open=day(30),
        returns_due=day(58),
        moderation_date=day(72),
        briefing_due=day(100),
        status=S.PLANNED,
    )
    _cases(planned, PLANNED_CASES, agencies, by_name, with_returns=False)

    return {
        "question_sets": [v1, v2],
        "audits": {
            "published": published,
            "open": open_audit,
            "overdue": overdue,
            "planned": planned,
        },
    }
