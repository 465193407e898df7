"""A small world with one of everything, for the URL-walking permission test and the
hostile-input sweep: an open audit audited by agency A, another by agency B, a published
audit with a published briefing, findings, actions, the question bank, and so on.

`url_kwargs(name, pattern_kwargs, world)` builds the keyword arguments of any URL pattern
from the world, by kwarg name and URL name, so new views are walked without edits here.
"""

import datetime
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from auditportal import tenancy
from audits.models import Audit, ImmediateConcern, Question, Return
from briefings.models import Briefing, BriefingPublicLink, BriefingVersion
from cases.models import Partnership
from surveys.services import survey_create as services_survey_create
from tests.factories import (
    ActionFactory,
    AnswerFactory,
    AuditFactory,
    BriefingFactory,
    BriefingVersionFactory,
    CaseAgencyFactory,
    EngagementFactory,
    FindingFactory,
    QuestionFactory,
    QuestionSetFactory,
    QuestionSetItemFactory,
    QuoteFactory,
    RecordReferenceFactory,
    ResourceFactory,
    ReturnFactory,
    SubGroupFactory,
    ThemeFactory,
)

ROLES = ("business", "practitioner", "other_practitioner", "board", "anonymous")


@dataclass
class Route:
    name: str  # "namespace:name"
    route: str
    kwargs: tuple[str, ...]


def all_routes() -> list[Route]:
    """Every named URL pattern of the project except the Django admin."""
    found: list[Route] = []

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.append(
                    Route(name, prefix + str(pattern.pattern), tuple(pattern.pattern.converters))
                )

    walk(get_resolver().url_patterns, "", None)
    return found


from findings.models import ReAudit  # noqa: E402


def build_world(*, business, practitioner, other_practitioner, agency_a, agency_b) -> dict:
    theme = ThemeFactory(name="Voice of the child")
    question_set = QuestionSetFactory(name="Riverbend deep dive set")
    grade = QuestionSetItemFactory(
        question_set=question_set, question=QuestionFactory(theme=theme), theme=theme
    )
    QuestionSetItemFactory(
        question_set=question_set,
        question=QuestionFactory(
            theme=theme, kind=Question.Kind.CHECKLIST, options=["Neglect", "Exploitation"]
        ),
        theme=theme,
    )
    QuestionSetItemFactory(
        question_set=question_set,
        question=QuestionFactory(theme=theme, kind=Question.Kind.TEXT, required=False),
        theme=theme,
    )
    today = timezone.localdate()
    audit = AuditFactory(
        title="Riverbend neglect deep dive",
        question_set=question_set,
        status=Audit.Status.OPEN,
        returns_open=today - datetime.timedelta(days=5),
        returns_due=today + datetime.timedelta(days=20),
        opened_at=timezone.now(),
    )
    involvement_a = CaseAgencyFactory(case__audit=audit, case__pseudonym="RB1", agency=agency_a)
    RecordReferenceFactory(involvement=involvement_a, reference="RB-SC-1001")
    return_a = ReturnFactory(
        case=involvement_a.case,
        agency=agency_a,
        assignee=practitioner,
        status=Return.Status.IN_PROGRESS,
    )
    answer_a = AnswerFactory(audit_return=return_a, item=grade, choice="good")
    concern = ImmediateConcern.objects.create(
        audit=audit,
        audit_return=return_a,
        description="Worry raised by the auditor.",
        raised_by=practitioner,
    )

    audit_b = AuditFactory(
        title="Riverbend exploitation audit",
        question_set=question_set,
        status=Audit.Status.OPEN,
        returns_open=today - datetime.timedelta(days=5),
        returns_due=today + datetime.timedelta(days=20),
    )
    involvement_b = CaseAgencyFactory(case__audit=audit_b, case__pseudonym="RB2", agency=agency_b)
    return_b = ReturnFactory(case=involvement_b.case, agency=agency_b, assignee=other_practitioner)

    published_audit = AuditFactory(
        title="Riverbend early help audit",
        question_set=question_set,
        status=Audit.Status.PUBLISHED,
        returns_open=today - datetime.timedelta(days=90),
        returns_due=today - datetime.timedelta(days=60),
    )
    published_return = ReturnFactory(
        case__audit=published_audit,
        agency=agency_a,
        status=Return.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    AnswerFactory(audit_return=published_return, item=grade, choice="requires_improvement")
    briefing = BriefingFactory(audit=published_audit, status=Briefing.Status.PUBLISHED)
    version = BriefingVersionFactory(
        briefing=briefing, number=1, status=BriefingVersion.Status.READY, page_count=2
    )
    version.pdf.save("riverbend-early-help.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    briefing.published_version = version
    briefing.published_at = timezone.now()
    briefing.save()
    public_link = BriefingPublicLink.objects.create(version=version)
    draft_briefing = BriefingFactory(audit=audit)
    draft_version = BriefingVersionFactory(
        briefing=draft_briefing, number=1, status=BriefingVersion.Status.READY
    )
    draft_version.pdf.save("riverbend-draft.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)

    finding = FindingFactory(audit=audit, theme=theme, text="Children's views were recorded.")
    action = ActionFactory(audit=audit, owner_agency=agency_a, text="Refresh supervision guidance.")
    subgroup = SubGroupFactory(name="Riverbend education sub-group")
    quote = QuoteFactory(audit=audit)
    resource = ResourceFactory(title="Riverbend neglect toolkit")
    EngagementFactory(audit=audit)
    # The open audit re-audits the published one (findings:reaudit-results).
    ReAudit.objects.create(audit=audit, source_audit=published_audit)

    from audits.event_bank import load_event_kinds
    from audits.models import AnswerQuery, EventKind, KeyEvent, SampleCase
    from findings.models import ChildSummary

    load_event_kinds()
    key_event = KeyEvent.objects.create(
        audit_return=return_a,
        when=today - datetime.timedelta(days=30),
        kind=EventKind.objects.get(key="referral"),
        text="Referral from school about attendance.",
    )
    query = AnswerQuery.objects.create(
        answer=answer_a, audit_return=return_a, question="Is Good right?", raised_by=business
    )
    child_summary = ChildSummary.objects.create(
        sample_case=SampleCase.objects.get(audit=audit, case=involvement_a.case),
        status=ChildSummary.Status.READY,
        page_count=1,
    )
    child_summary.pdf.save("child-summary.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)

    from audits.ics import calendar_feed_issue, feed_token
    from surveys.models import SurveyAnswer
    from tests.surveys.factories import answer_all, open_survey

    # An open children's survey of the audit with one sent response (a consented answer) and
    # one unused code; a parents' survey still in draft.
    surveyed = open_survey(audit=audit, codes=2, actor=business)
    answer_all(surveyed.survey, surveyed.codes[0], text="They listened to me.")
    draft_survey = services_survey_create(audit=audit, audience="parents", actor=business)

    feed_token_value = feed_token(calendar_feed_issue(user=business))
    from findings.feed import feed_token_create

    data_feed_token, _ = feed_token_create(actor=business, name="Board Power BI report")

    return {
        "audit": audit,
        "audit_b": audit_b,
        "published_audit": published_audit,
        "case": involvement_a.case,
        "return": return_a,
        "return_b": return_b,
        "answer": answer_a,
        "concern": concern,
        "theme": theme,
        "question": grade.question,
        "question_set": question_set,
        "finding": finding,
        "action": action,
        "subgroup": subgroup,
        "quote": quote,
        "resource": resource,
        "briefing": briefing,
        "version": version,
        "draft_version": draft_version,
        "public_link": public_link,
        "ics_token": feed_token_value,
        "survey": surveyed.survey,
        "survey_code": surveyed.codes[1],
        "survey_question": surveyed.questions[0],
        "survey_answer": SurveyAnswer.objects.get(quote_consent=True),
        "draft_survey": draft_survey,
        "key_event": key_event,
        "query": query,
        "child_summary": child_summary,
        "feed_token": data_feed_token,
        # The partnership the world is built in (the hosting administration's pages).
        "partnership": Partnership.objects.get(pk=tenancy.current_partnership_id()),
    }


# URL name prefix (after the namespace) -> world object behind its <pk>.
PK_BY_PREFIX = [
    ("key-event-", "key_event"),
    ("feed-token-", "feed_token"),
    ("query-", "query"),
    ("answer-query", "answer"),
    ("child-summary", "child_summary"),
    ("return-", "return"),
    ("concern-", "concern"),
    ("case-", "case"),
    ("questionset-", "question_set"),
    ("question-", "question"),
    ("theme-", "theme"),
    ("finding-", "finding"),
    ("action-", "action"),
    ("subgroup-", "subgroup"),
    ("quote-", "quote"),
    ("survey-", "survey"),
    ("resource-", "resource"),
    ("version-", "version"),
    ("public-link-", "public_link"),
    ("moderate", "answer"),
    ("trend", "theme"),
    ("use-record", "briefing"),
    ("partnership", "partnership"),
]


# Where the prefix rule is wrong: the <pk> is the parent object.
PK_BY_NAME = {
    "audits:case-add": "audit",
    "audits:concern-raise": "return",
    "surveys:question-edit": "survey_question",
    "surveys:question-delete": "survey_question",
    "surveys:question-move": "survey_question",
    "findings:survey-quote-review": "survey_answer",
    "audits:key-event-add": "return",
}


def pk_object(name: str, world: dict):
    if name in PK_BY_NAME:
        return world[PK_BY_NAME[name]]
    short = name.split(":")[-1]
    for prefix, key in PK_BY_PREFIX:
        if short.startswith(prefix):
            return world[key]
    return world["audit"]


def url_kwargs(route: Route, world: dict) -> dict:
    kwargs = {}
    for kwarg in route.kwargs:
        if kwarg == "pk":
            kwargs[kwarg] = pk_object(route.name, world).pk
        elif kwarg == "audit_pk":
            kwargs[kwarg] = world["audit"].pk
        elif kwarg == "answer_pk":
            kwargs[kwarg] = world["answer"].pk
        elif kwarg == "return_pk":
            kwargs[kwarg] = world["return"].pk
        elif kwarg == "fmt":
            kwargs[kwarg] = "csv"
        elif kwarg == "token" and route.name == "audits:ics":
            kwargs[kwarg] = world["ics_token"]
        elif kwarg == "token" and route.name == "briefings:public":
            kwargs[kwarg] = world["public_link"].token
        elif kwarg == "token":
            kwargs[kwarg] = "set-password"
        elif kwarg == "code":
            kwargs[kwarg] = world["survey_code"]
        elif kwarg == "uidb64":
            kwargs[kwarg] = "MQ"
        elif kwarg.endswith("_pk"):
            kwargs[kwarg] = world.get(kwarg[:-3], world["audit"]).pk
        else:
            raise KeyError(f"{route.name}: no rule for <{kwarg}> in tests/security/world.py")
    return kwargs
