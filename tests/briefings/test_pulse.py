"""Issue 18 point 6: the pulse after a briefing, on the survey machinery, by agency."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from briefings.models import Briefing, BriefingUse, BriefingVersion
from briefings.pulse import pulse_reach, pulse_send
from surveys.models import CodeBatch, Survey
from surveys.selectors import pulse_texts_by_agency
from tests.factories import AgencyFactory, AuditFactory, BriefingFactory, BriefingVersionFactory
from tests.surveys.factories import answer_all


def _published(title: str = "Neglect briefing") -> Briefing:
    briefing = BriefingFactory(audit=AuditFactory(), title=title)
    version = BriefingVersionFactory(briefing=briefing, status=BriefingVersion.Status.READY)
    Briefing.objects.filter(pk=briefing.pk).update(
        status=Briefing.Status.PUBLISHED, published_version=version, published_at=timezone.now()
    )
    briefing.refresh_from_db()
    return briefing


def _event(briefing: Briefing, agency, staff: int) -> None:
    BriefingUse.objects.create(
        briefing=briefing, agency=agency, used_on=timezone.localdate() - datetime.timedelta(days=1),
        how="Team meeting", staff_reached=staff,
    )  # fmt: skip


def _links_codes(sent) -> dict[str, list[str]]:
    return {
        row.agency.name: [link.rstrip("/").rsplit("/", 1)[-1] for link in row.links] for row in sent
    }


def test_pulse_goes_to_each_agency_sized_by_attendance_with_the_three_questions(db, business):
    briefing = _published()
    police, health = AgencyFactory(name="Riverbend Police"), AgencyFactory(name="Riverbend Health")
    _event(briefing, police, 4)
    _event(briefing, police, 2)
    _event(briefing, health, 3)

    survey, sent = pulse_send(briefing=briefing, actor=business)

    assert survey.audience == Survey.Audience.PRACTITIONERS and survey.status == "open"
    assert list(survey.questions.values_list("text", flat=True)) == [
        "What did you take away from the briefing?",
        "What have you changed in your practice since?",
        "What gets in the way?",
    ]
    assert {r.agency.name: len(r.links) for r in sent} == {
        "Riverbend Health": 3,
        "Riverbend Police": 6,
    }
    assert set(CodeBatch.objects.values_list("agency__name", "size")) == {
        ("Riverbend Health", 3), ("Riverbend Police", 6),
    }  # fmt: skip


def test_pulse_needs_a_published_briefing_with_learning_events_and_goes_once(db, business):
    draft = BriefingFactory(audit=AuditFactory())
    briefing = _published()

    with pytest.raises(ValidationError, match="Publish the briefing"):
        pulse_send(briefing=draft, actor=business)
    with pytest.raises(ValidationError, match="No learning event"):
        pulse_send(briefing=briefing, actor=business)
    _event(briefing, AgencyFactory(), 2)
    pulse_send(briefing=briefing, actor=business)
    with pytest.raises(ValidationError, match="sent already"):
        pulse_send(briefing=briefing, actor=business)

    assert Survey.objects.count() == 1


def test_board_sees_pulse_responses_by_agency_with_suppression(db, business, board, client_as):
    briefing = _published("Exploitation briefing")
    police, health = AgencyFactory(name="Riverbend Police"), AgencyFactory(name="Riverbend Health")
    _event(briefing, police, 4)
    _event(briefing, health, 2)
    survey, sent = pulse_send(briefing=briefing, actor=business)
    codes = _links_codes(sent)
    for code in codes["Riverbend Police"][:3]:
        answer_all(survey, code, text="Use the neglect toolkit.")
    answer_all(survey, codes["Riverbend Health"][0], text="Time.")

    reach = pulse_reach(suppress_below=3)
    page = client_as(board).get(reverse("briefings:reach")).content.decode()

    assert [(p.briefing_title, p.rows) for p in reach] == [
        (
            "Exploitation briefing",
            [("Riverbend Health", 2, "fewer than 3"), ("Riverbend Police", 4, "3")],
        )
    ]
    assert "Pulse after “Exploitation briefing”" in page
    assert "Use the neglect toolkit." not in page  # counts only for the board
    assert [name for name, _ in pulse_texts_by_agency(survey)] == [
        "Riverbend Health",
        "Riverbend Police",
    ]


@pytest.mark.parametrize("n", [1, 3])
def test_reach_with_pulses_query_count(db, business, client_as, django_assert_num_queries, n):
    from cases.models import Partnership

    Partnership.load()
    for i in range(n):
        briefing = _published(f"Briefing {i}")
        _event(briefing, AgencyFactory(), 2)
        pulse_send(briefing=briefing, actor=business)
    client = client_as(business)

    # session, user, OTP device, agencies with uses and staff, events by month, by format,
    # partnership settings, the pulses with their briefings, codes issued, responses sent
    with django_assert_num_queries(10):
        response = client.get(reverse("briefings:take-up"))

    assert response.status_code == 200
