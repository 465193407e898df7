"""Data for the browser journeys: the fictional Riverbend partnership, in our own words.

Built with the shared factories (not the demo loader) so each journey starts from exactly
the state it needs, whatever the demo grows into.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from audits.models import Audit, Grade, Question, Return, SampleCase, YesPartlyNo
from cases.models import Case, CaseAgency
from tests.factories import (
    AgencyFactory,
    AnswerFactory,
    AuditFactory,
    CaseAgencyFactory,
    CaseFactory,
    QuestionSetFactory,
    QuestionSetItemFactory,
    ReturnFactory,
    ThemeFactory,
    UserFactory,
)

PASSWORD_FOR_ALL = "correct-horse-battery-staple"  # UserFactory's
PARTNERSHIP = "Riverbend Safeguarding Children Partnership"

# theme, kind, question text, checklist options
QUESTIONS = [
    ("Recognition", Question.Kind.GRADE, "How well was the risk of neglect recognised?", []),
    (
        "Recognition",
        Question.Kind.YES_PARTLY_NO,
        "Were the child's lived experiences described in the record?",
        [],
    ),
    (
        "Voice of the child",
        Question.Kind.GRADE,
        "How well were the child's wishes and feelings heard and acted on?",
        [],
    ),
    (
        "Whole-family approach",
        Question.Kind.CHECKLIST,
        "Which risk factors were present in the family?",
        ["Neglect", "Parental mental health", "Domestic abuse", "Poor school attendance"],
    ),
    (
        "Whole-family approach",
        Question.Kind.TEXT,
        "What difference did the support make for the child?",
        [],
    ),
]


@dataclass
class Riverbend:
    csc: object
    police: object
    camhs: object
    business: User
    business2: User
    practitioner: User  # Children's Social Care
    police_practitioner: User
    board: User
    question_set: object
    items: list


def person(username: str, first: str, last: str, role: str, agencies=()) -> User:
    user = UserFactory(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@riverbend.example",
        role=role,
        agencies=list(agencies),
    )
    from accounts.mfa import mfa_recovery_codes_regenerate

    mfa_recovery_codes_regenerate(user=user)  # a real account has its recovery codes
    return user


def riverbend() -> Riverbend:
    csc = AgencyFactory(name="Riverbend Children's Social Care", short_name="CSC")
    police = AgencyFactory(name="Riverbend Police", short_name="Police")
    camhs = AgencyFactory(name="Riverbend CAMHS", short_name="CAMHS")
    question_set = QuestionSetFactory(name="Neglect deep dive questions")
    items = []
    for order, (theme_name, kind, text, options) in enumerate(QUESTIONS):
        theme = ThemeFactory(name=theme_name, order=order)
        items.append(
            QuestionSetItemFactory(
                question_set=question_set,
                question__theme=theme,
                question__text=text,
                question__kind=kind,
                question__options=options,
                question__required=kind != Question.Kind.TEXT,
                order=order,
            )
        )
    return Riverbend(
        csc=csc,
        police=police,
        camhs=camhs,
        business=person("bea.okafor", "Bea", "Okafor", User.Role.BUSINESS),
        business2=person("callum.reid", "Callum", "Reid", User.Role.BUSINESS),
        practitioner=person("priya.shah", "Priya", "Shah", User.Role.PRACTITIONER, [csc]),
        police_practitioner=person("dan.mercer", "Dan", "Mercer", User.Role.PRACTITIONER, [police]),
        board=person("helen.marsh", "Helen", "Marsh", User.Role.BOARD),
        question_set=question_set,
        items=items,
    )


def open_audit(rb: Riverbend, *, title: str = "Neglect in families with younger children"):
    """An open deep dive: three cases, each seen by Children's Social Care and the police."""
    today = timezone.localdate()
    audit = AuditFactory(
        title=title,
        priority="Neglect",
        key_question="How well do agencies recognise and respond to neglect?",
        scope="Children aged under eleven known to two or more agencies this year.",
        methodology="Each agency audits its own records; a moderation meeting agrees grades.",
        returns_open=today - datetime.timedelta(days=7),
        returns_due=today + datetime.timedelta(days=14),
        moderation_date=today + datetime.timedelta(days=21),
        question_set=rb.question_set,
        status=Audit.Status.OPEN,
        opened_at=timezone.now(),
        created_by=rb.business,
    )
    rb.question_set.frozen_at = timezone.now()
    rb.question_set.save(update_fields=["frozen_at"])
    returns = {}
    for pseudonym, age_band in [("Child A", "1-4"), ("Child B", "5-9"), ("Child C", "5-9")]:
        # A second audit of the same children samples them again (a re-audit): one child,
        # one set of agencies and record references, in both audits.
        case = Case.objects.filter(pseudonym=pseudonym).first()
        if case is None:
            case = CaseFactory(audit=audit, pseudonym=pseudonym, age_band=age_band)
        else:
            SampleCase.objects.create(audit=audit, case=case)
        for agency, user in [(rb.csc, rb.practitioner), (rb.police, rb.police_practitioner)]:
            involvement = CaseAgency.objects.filter(case=case, agency=agency).first()
            if involvement is None:
                CaseAgencyFactory(case=case, agency=agency)
            else:
                audit.samples.get(case=case).involvements.add(involvement)
            returns[(pseudonym, agency.short_name)] = ReturnFactory(
                audit=audit, case=case, agency=agency, assignee=user
            )
    return audit, returns


def answer_all(audit_return: Return, rb: Riverbend, *, grade: str = Grade.GOOD) -> None:
    """Complete and submit a return directly (the state a journey starts from)."""
    for item in rb.items:
        kind = item.kind
        if kind == Question.Kind.GRADE:
            AnswerFactory(
                audit_return=audit_return,
                item=item,
                choice=grade,
                evidence="Chronology and case notes agree; the plan named who would do what.",
            )
        elif kind == Question.Kind.YES_PARTLY_NO:
            AnswerFactory(audit_return=audit_return, item=item, choice=YesPartlyNo.PARTLY)
        elif kind == Question.Kind.CHECKLIST:
            answer = AnswerFactory(audit_return=audit_return, item=item, choice="")
            answer.ticks.create(option="Neglect")
        else:
            AnswerFactory(
                audit_return=audit_return,
                item=item,
                choice="",
                text="School attendance improved once a family support worker visited weekly.",
            )
    audit_return.status = Return.Status.SUBMITTED
    audit_return.submitted_at = timezone.now()
    audit_return.submitted_by = audit_return.assignee
    audit_return.version += 1
    audit_return.save()


def published_briefing(rb: Riverbend, *, title: str = "Neglect in families with younger children"):
    """An audit whose findings are agreed and whose briefing is rendered, approved by a second
    member of the business team, and published (through the services, as the UI does)."""
    from briefings import services as briefings
    from findings.models import Action, Finding
    from tests.factories import ActionFactory, FindingFactory

    audit, returns = open_audit(rb, title=title)
    for key, grade in [
        (("Child A", "CSC"), Grade.GOOD),
        (("Child A", "Police"), Grade.REQUIRES_IMPROVEMENT),
        (("Child B", "CSC"), Grade.GOOD),
        (("Child B", "Police"), Grade.OUTSTANDING),
        (("Child C", "CSC"), Grade.INADEQUATE),
        (("Child C", "Police"), Grade.GOOD),
    ]:
        answer_all(returns[key], rb, grade=grade)
    voice = rb.items[2].theme
    FindingFactory(
        audit=audit,
        theme=voice,
        kind=Finding.Kind.STRENGTH,
        text="Practitioners described what younger children showed through play and behaviour.",
    )
    FindingFactory(
        audit=audit,
        theme=rb.items[0].theme,
        kind=Finding.Kind.DEVELOPMENT,
        text="Early signs of neglect were noted by several agencies but not brought together.",
    )
    ActionFactory(
        audit=audit,
        text="Add a neglect screening prompt to the health visiting record.",
        owner_agency=rb.csc,
        status=Action.Status.DONE,
    )
    ActionFactory(
        audit=audit,
        text="Hold a multi-agency workshop on chronologies.",
        owner_agency=rb.police,
    )
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.FINDINGS_AGREED)
    audit.refresh_from_db()
    briefing = briefings.briefing_get_or_create(audit=audit, actor=rb.business)
    # Every point written, as publishing requires.
    briefings.briefing_update(
        briefing=briefing,
        actor=rb.business,
        topic="Neglect is the persistent failure to meet a child's basic needs.",
        next_steps="- Share this briefing at every locality team meeting.",
        resources_text="Ask the partnership's training team for the neglect toolkit.",
    )
    version = briefings.briefing_render_now(briefing=briefing, actor=rb.business)
    briefings.version_approve(version=version, actor=rb.business2)
    briefings.briefing_publish(version=version, actor=rb.business)
    briefing.refresh_from_db()
    return audit, briefing
