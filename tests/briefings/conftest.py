"""A small audit ready for a briefing: two cases with pseudonyms and record references,
submitted returns, findings in two themes, actions in both sections, quotes and a resource."""

import pytest

from audits.models import Audit, Return
from findings.models import Action, Finding
from tests.factories import (
    ActionFactory,
    AnswerFactory,
    AuditFactory,
    CaseAgencyFactory,
    CaseFactory,
    EngagementFactory,
    FindingFactory,
    QuestionSetItemFactory,
    QuoteFactory,
    RecordReferenceFactory,
    ResourceFactory,
    ReturnFactory,
    ThemeFactory,
)

PSEUDONYMS = ("YP1", "Child B")
REFERENCES = ("CSC-000123", "POL-98765")
STRENGTH = "Young people's wishes were written into their plans and acted on."
DEVELOPMENT = "Health partners were not always invited to planning meetings."
WILL_DO = "Refresh the joint planning guidance for early help"
NEXT_STEP = "Share the briefing at every locality team meeting"


@pytest.fixture
def briefing_audit(agency_a, agency_b):
    audit = AuditFactory(
        title="Deep dive: worry and sleep in early adolescence",
        status=Audit.Status.FINDINGS_AGREED,
    )
    voice = ThemeFactory(name="Voice of the child", order=1)
    joint = ThemeFactory(name="Joint working", order=2)
    item = QuestionSetItemFactory(question_set=audit.question_set, question__theme=voice)
    for pseudonym, reference in zip(PSEUDONYMS, REFERENCES, strict=True):
        case = CaseFactory(audit=audit, pseudonym=pseudonym)
        involvement = CaseAgencyFactory(case=case, agency=agency_a)
        RecordReferenceFactory(involvement=involvement, reference=reference)
        audit_return = ReturnFactory(case=case, agency=agency_a, status=Return.Status.SUBMITTED)
        AnswerFactory(audit_return=audit_return, item=item, choice="good")
    FindingFactory(audit=audit, theme=voice, kind=Finding.Kind.STRENGTH, text=STRENGTH)
    FindingFactory(audit=audit, theme=joint, kind=Finding.Kind.DEVELOPMENT, text=DEVELOPMENT)
    ActionFactory(audit=audit, section=Action.Section.WILL_DO, text=WILL_DO, owner_agency=agency_a)
    ActionFactory(
        audit=audit, section=Action.Section.NEXT_STEP, text=NEXT_STEP, owner_agency=agency_b
    )
    EngagementFactory(audit=audit)
    QuoteFactory(audit=audit, text="Someone finally asked me how I was.", consent=True)
    QuoteFactory(audit=audit, text="Not for publishing, please.", consent=False)
    ResourceFactory(title="Worry and sleep toolkit", url="https://riverbend.example/sleep")
    return audit


@pytest.fixture
def briefing(briefing_audit, business):
    from briefings.services import briefing_get_or_create

    return briefing_get_or_create(audit=briefing_audit, actor=business)


TOPIC = "Worry in early adolescence often shows first as poor sleep."


def write_every_point(briefing, business):
    """Point 2 written by hand and the audit's resource chosen for point 7: every point of
    the prefilled briefing then says something, as publishing requires."""
    from briefings.services import briefing_update
    from findings.models import Resource

    return briefing_update(
        briefing=briefing, actor=business, topic=TOPIC, resources=list(Resource.objects.all())
    )


@pytest.fixture
def ready_version(briefing, business):
    """A ready version with a real snapshot and a stand-in file (rendering takes a second or
    two: tests about the PDF itself render for real with briefing_render_now)."""
    from auditportal.pdf import RenderedPDF
    from briefings.services import _store, briefing_render

    write_every_point(briefing, business)
    version = briefing_render(briefing=briefing, actor=business, enqueue=False)
    return _store(version.pk, RenderedPDF(content=b"%PDF-1.7\n% stand-in\n", page_count=2))


@pytest.fixture
def published_version(ready_version, business2):
    from briefings.services import briefing_publish, version_approve

    version_approve(version=ready_version, actor=business2)
    briefing_publish(version=ready_version, actor=business2)
    return ready_version
