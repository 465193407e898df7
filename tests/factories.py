"""factory_boy factories for every model. Shared by all test modules: add, do not fork."""

import datetime

import factory
from django.utils import timezone

from accounts.models import User
from audits.models import (
    Answer,
    Audit,
    ImmediateConcern,
    Question,
    QuestionSet,
    QuestionSetItem,
    Return,
    SampleCase,
    Theme,
)
from briefings.models import Briefing, BriefingVersion
from cases.models import Agency, Case, CaseAgency, Membership, RecordReference
from findings.models import Action, Engagement, Finding, Quote, Resource, SubGroup


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    short_name = factory.Sequence(lambda n: f"A{n}")
    sector = Agency.Sector.HEALTH
    safeguarding_lead_email = factory.Sequence(lambda n: f"lead{n}@agency.example")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    role = User.Role.PRACTITIONER
    password = factory.django.Password("correct-horse-battery-staple")

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs):
        """UserFactory(agencies=[agency]) makes the user a member; lead=True via is_lead."""
        if create and extracted:
            for agency in extracted:
                Membership.objects.create(
                    user=self, agency=agency, is_lead=kwargs.get("lead", False)
                )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    is_lead = False


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    order = factory.Sequence(int)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    theme = factory.SubFactory(ThemeFactory)
    text = factory.Sequence(lambda n: f"Question {n}?")
    kind = Question.Kind.GRADE
    required = True
    order = factory.Sequence(int)


class QuestionSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionSet

    name = factory.Sequence(lambda n: f"Question set {n}")
    version = 1


class QuestionSetItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionSetItem

    question_set = factory.SubFactory(QuestionSetFactory)
    question = factory.SubFactory(QuestionFactory)
    theme = factory.LazyAttribute(lambda i: i.question.theme)
    theme_name = factory.LazyAttribute(lambda i: i.theme.name)
    text = factory.LazyAttribute(lambda i: i.question.text)
    kind = factory.LazyAttribute(lambda i: i.question.kind)
    options = factory.LazyAttribute(lambda i: i.question.options)
    required = factory.LazyAttribute(lambda i: i.question.required)
    order = factory.Sequence(int)


class AuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audit

    title = factory.Sequence(lambda n: f"Deep dive {n}")
    priority = "Mental health and wellbeing"
    key_question = "How well do agencies work together?"
    scope = "Children open to services in the last year."
    methodology = "Each agency audits its own records."
    returns_open = factory.LazyFunction(timezone.localdate)
    returns_due = factory.LazyAttribute(lambda a: a.returns_open + datetime.timedelta(days=21))
    question_set = factory.SubFactory(QuestionSetFactory)
    status = Audit.Status.PLANNED


class CaseFactory(factory.django.DjangoModelFactory):
    """A child of the partnership; CaseFactory(audit=a) also puts it in a's sample (the
    default: a new audit), CaseFactory(audit=None) in no audit."""

    class Meta:
        model = Case

    pseudonym = factory.Sequence(lambda n: f"YP{n}")
    age_band = Case.AgeBand.AGE_13_15
    gender = Case.Gender.FEMALE
    ethnicity = Case.Ethnicity.WHITE
    level_of_need = Case.LevelOfNeed.CHILD_IN_NEED
    audit = factory.SubFactory(AuditFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        audit = kwargs.pop("audit", None)
        case = super()._create(model_class, *args, **kwargs)
        if audit is not None:
            SampleCase.objects.create(audit=audit, case=case)
        return case


def free_pseudonym(pseudonym: str, audit: Audit) -> str:
    """`pseudonym`, or with the audit's id when another child already has it (a pseudonym
    names one child of the partnership; builders make the same-named children of several
    audits)."""
    if Case.objects.filter(pseudonym=pseudonym).exists():
        return f"{pseudonym} ({audit.pk})"
    return pseudonym


class SampleCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SampleCase

    audit = factory.SubFactory(AuditFactory)
    case = factory.SubFactory(CaseFactory, audit=None)


class CaseAgencyFactory(factory.django.DjangoModelFactory):
    """An agency involved with the child, sampled by every audit the child is in."""

    class Meta:
        model = CaseAgency

    case = factory.SubFactory(CaseFactory)
    agency = factory.SubFactory(AgencyFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        involvement = super()._create(model_class, *args, **kwargs)
        for sample in SampleCase.objects.filter(case=involvement.case):
            sample.involvements.add(involvement)
        return involvement


class RecordReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecordReference

    involvement = factory.SubFactory(CaseAgencyFactory)
    reference = factory.Sequence(lambda n: f"REF-{n:06d}")


class ReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Return

    case = factory.SubFactory(CaseFactory)
    # The audit that sampled the child last (a new case is in one audit).
    audit = factory.LazyAttribute(lambda r: r.case.samples.order_by("pk").last().audit)
    agency = factory.SubFactory(AgencyFactory)
    status = Return.Status.NOT_STARTED


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    audit_return = factory.SubFactory(ReturnFactory)
    item = factory.SubFactory(QuestionSetItemFactory)
    choice = "good"


class ImmediateConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImmediateConcern

    audit_return = factory.SubFactory(ReturnFactory)
    audit = factory.LazyAttribute(lambda c: c.audit_return.audit)
    description = "The auditor is worried about the child's safety at home now."


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    audit = factory.SubFactory(AuditFactory)
    theme = factory.SubFactory(ThemeFactory)
    kind = Finding.Kind.STRENGTH
    text = factory.Sequence(lambda n: f"Finding {n}")
    order = factory.Sequence(int)


class SubGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubGroup

    name = factory.Sequence(lambda n: f"Sub-group {n}")
    lead_email = factory.Sequence(lambda n: f"subgroup{n}@example.org")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    audit = factory.SubFactory(AuditFactory)
    text = factory.Sequence(lambda n: f"Action {n}")
    owner_agency = factory.SubFactory(AgencyFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    audit = factory.SubFactory(AuditFactory)
    cyp_shared = 10
    cyp_responses = 4
    parent_shared = 8
    parent_responses = 3


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    audit = factory.SubFactory(AuditFactory)
    text = "They listened to me."
    source_label = "young person, deep dive"
    consent = True


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"Resource {n}")
    url = "https://example.org/guidance"
    kind = Resource.Kind.GUIDANCE


class BriefingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Briefing

    audit = factory.SubFactory(AuditFactory)
    title = factory.LazyAttribute(lambda b: f"7-point briefing: {b.audit.title}")


class BriefingVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BriefingVersion

    briefing = factory.SubFactory(BriefingFactory)
    number = factory.Sequence(lambda n: n + 1)
