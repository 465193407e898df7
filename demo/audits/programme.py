"""The demo audits themselves: the question sets, the four audits, their samples and returns."""

import datetime
import zlib

from django.utils import timezone

from accounts.models import User
from audits.bank import load_bank
from audits.models import Audit, AuditTransition, Question, QuestionSet, Return
from audits.services.programme import (
    audit_create,
    case_create,
    questionset_create,
    questionset_freeze,
    questionset_new_version,
)
from cases.models import Agency, Case

from .answers import AMENDMENT_REASONS, _answers, _seeded
from .cases import (
    IN_PROGRESS,
    NOT_STARTED,
    OPEN_CASES,
    OVERDUE_CASES,
    PLANNED_CASES,
    PUBLISHED_CASES,
    RETURNED,
    SUBMITTED,
    DemoCase,
)
from .days import _morning, working_day

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


def _audit(title: str, question_set: QuestionSet, business: User, **fields) -> tuple[Audit, bool]:
    """The audit, scheduled by the business team through the audit service (planned)."""
    audit = Audit.objects.filter(title=title).first()
    if audit is not None:
        return audit, False
    audit = audit_create(actor=business, title=title, question_set=question_set, **fields)
    # Scheduled five weeks before returns open (a week ago for one still planned), not
    # at the moment the demo was loaded.
    today = timezone.localdate()
    scheduled = min(
        audit.returns_open - datetime.timedelta(days=35), today - datetime.timedelta(days=7)
    )
    audit.created_at = _morning(working_day(scheduled))
    Audit.objects.filter(pk=audit.pk).update(created_at=audit.created_at)
    return audit, True


def _history(audit: Audit, business: User, steps: list[tuple[str, str, int]]) -> None:
    """The audit's path so far, written once when it is first created: its transition rows
    (from, to, days ago) and the status they end in. These steps happened weeks or months
    ago, so they are written as they stand (the status service stamps the present, and
    opening e-mails every practitioner)."""
    now = timezone.now()
    today = timezone.localdate()
    opened_at = None
    for from_status, to_status, days_ago in steps:
        transition = AuditTransition.objects.create(
            audit=audit, from_status=from_status, to_status=to_status, actor=business
        )
        AuditTransition.objects.filter(pk=transition.pk).update(
            at=now - datetime.timedelta(days=days_ago)
        )
        if (from_status, to_status) == (Audit.Status.PLANNED, Audit.Status.OPEN):
            opened_at = _morning(today - datetime.timedelta(days=days_ago))
    audit.status = steps[-1][1]
    audit.opened_at = opened_at
    Audit.objects.filter(pk=audit.pk).update(status=audit.status, opened_at=opened_at)


def _cases(
    audit: Audit,
    cases: list[DemoCase],
    agencies: dict[str, Agency],
    users: dict[str, User],
    business: User,
    *,
    with_returns: bool,
    submitted_on: datetime.datetime | None = None,
) -> None:
    """The audit's sample, added by the business team through the case service while the
    audit is planned (each child with its agencies and record references), then the returns
    as they stand today: assigned, started, submitted or sent back, with their answers."""
    items = list(audit.question_set.items.order_by("order", "pk"))
    now = timezone.now()
    for spec in cases:
        if not audit.samples.filter(case__pseudonym__iexact=spec.pseudonym).exists():
            case_create(
                audit=audit,
                actor=business,
                pseudonym=spec.pseudonym,
                age_band=spec.age_band,
                gender=spec.gender,
                ethnicity=spec.ethnicity,
                level_of_need=spec.level_of_need,
                agencies={
                    agencies[short]: _reference(audit.title, spec.pseudonym, short)
                    for short, _ in spec.returns
                },
            )
        if not with_returns:
            continue
        case = Case.objects.get(pseudonym__iexact=spec.pseudonym)
        for short, status in spec.returns:
            agency = agencies[short]
            assignee = users.get(ASSIGNEES.get(short, ""))
            rng = _seeded(audit.title, spec.pseudonym, short)
            started = now - datetime.timedelta(days=rng.randint(4, 12))
            defaults = {"assignee": assignee, "status": status}
            if status != NOT_STARTED:
                defaults.update(started_at=started, updated_by=assignee, version=rng.randint(2, 6))
            if status in {SUBMITTED, RETURNED}:
                defaults.update(
                    submitted_at=submitted_on or started + datetime.timedelta(days=2),
                    submitted_by=assignee,
                )
            if status == RETURNED:
                defaults["amendment_reason"] = rng.choice(AMENDMENT_REASONS)
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
    )
    _cases(
        published,
        PUBLISHED_CASES,
        agencies,
        by_name,
        business,
        with_returns=True,
        submitted_on=now - datetime.timedelta(days=125),
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
    )
    _cases(open_audit, OPEN_CASES, agencies, by_name, business, with_returns=True)
    if created:
        _history(open_audit, business, [(S.PLANNED, S.OPEN, days_ago(open_audit.returns_open))])

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
    )
    _cases(overdue, OVERDUE_CASES, agencies, by_name, business, with_returns=True)
    if created:
        _history(overdue, business, [(S.PLANNED, S.OPEN, days_ago(overdue.returns_open))])

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
    )
    _cases(planned, PLANNED_CASES, agencies, by_name, business, with_returns=False)

    return {
        "question_sets": [v1, v2],
        "audits": {
            "published": published,
            "open": open_audit,
            "overdue": overdue,
            "planned": planned,
        },
    }
