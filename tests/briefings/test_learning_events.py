"""Learning events: where agencies used a published briefing (date, format, agency,
attendance), and the reach the board and the business team see by agency, month and format
(issue 17, point 6)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from briefings import services
from briefings.models import BriefingUse


def record(version, agency, actor, *, on, format, attendance):
    return services.briefing_use_record(
        briefing=version.briefing,
        agency=agency,
        used_on=on,
        format=format,
        staff_reached=attendance,
        actor=actor,
    )


@pytest.fixture
def events(published_version, business, practitioner, agency_a, agency_b):
    """Two months of events: agency A a team meeting and a training this month, agency B a
    bulletin last month (published "last month" so the date is allowed)."""
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    briefing = published_version.briefing
    briefing.published_at = timezone.make_aware(
        datetime.datetime.combine(last_month, datetime.time(9))
    )
    briefing.save(update_fields=["published_at"])
    version = published_version
    record(version, agency_a, practitioner, on=today, format="team_meeting", attendance=12)
    record(version, agency_a, business, on=today, format="training", attendance=30)
    record(version, agency_b, business, on=last_month, format="bulletin", attendance=200)
    return today, last_month


def test_reach_by_month_and_format(events, board):
    from briefings.selectors import reach_by_format, reach_by_month

    today, last_month = events

    months = [(m["month"], m["events"], m["attendance"]) for m in reach_by_month(board)]
    formats = {f["label"]: (f["events"], f["attendance"]) for f in reach_by_format(board)}

    assert months == [(today.replace(day=1), 2, 42), (last_month.replace(day=1), 1, 200)]
    assert formats == {"Team meeting": (1, 12), "Training": (1, 30), "Bulletin": (1, 200)}


def test_the_board_sees_reach_by_agency_and_month(events, board, agency_a, client_as):
    today, _ = events

    html = " ".join(client_as(board).get(reverse("briefings:reach")).content.decode().split())

    assert f'<th scope="row">{escape(agency_a.name)}</th><td class="text-end">1</td>' in html
    assert '<td class="text-end">2</td><td class="text-end">42</td>' in html
    assert f"{today:%B %Y}" in html


def test_the_dashboard_loads_the_reach(board, client_as):
    html = client_as(board).get(reverse("findings:dashboard")).content.decode()

    assert f'hx-get="{reverse("briefings:reach")}"' in html
    assert reverse("briefings:take-up") in html


@pytest.mark.parametrize("role", ["practitioner", "other_practitioner"])
def test_practitioners_do_not_see_every_agency_s_reach(users, client_as, role):
    assert client_as(users[role]).get(reverse("briefings:reach")).status_code == 403


def test_a_learning_event_records_its_format(published_version, practitioner, agency_a, client_as):
    response = client_as(practitioner).post(
        reverse("briefings:use-record", args=[published_version.briefing_id]),
        {
            "agency": agency_a.pk,
            "used_on": timezone.localdate().isoformat(),
            "format": "supervision",
            "staff_reached": "4",
        },
        follow=True,
    )

    assert "the learning event is recorded" in response.content.decode()
    assert BriefingUse.objects.get().get_format_display() == "Supervision"
    assert "<td>Supervision</td>" in response.content.decode()


def _an_event_for(agency, published_version) -> None:
    """One learning event, so the reach tables show (they wait for the first one)."""
    BriefingUse.objects.create(
        briefing=published_version.briefing,
        agency=agency,
        used_on=timezone.localdate(),
        how="Team meeting",
        staff_reached=5,
    )


def test_take_up_search_by_agency_name_or_short_name(business, client_as, published_version):
    from tests.factories import AgencyFactory

    _an_event_for(AgencyFactory(name="Riverbend Police", short_name="Police"), published_version)
    AgencyFactory(name="Riverbend Children's Social Care", short_name="CSC")
    AgencyFactory(name="Riverbend CAMHS", short_name="Health")

    response = client_as(business).get(reverse("briefings:take-up"), {"q": "riverbend police"})
    by_short = client_as(business).get(reverse("briefings:take-up"), {"q": "csc"})
    nothing = client_as(business).get(reverse("briefings:take-up"), {"q": "zebra"})

    assert [a.name for a in response.context["rows"]] == ["Riverbend Police"]
    assert [a.name for a in by_short.context["rows"]] == ["Riverbend Children's Social Care"]
    assert "No agency matches “zebra”." in nothing.content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_take_up_search_query_count(
    business, client_as, published_version, n, django_assert_num_queries
):
    from tests.factories import AgencyFactory

    for i in range(n):
        AgencyFactory(name=f"Riverbend health {i}")
    _an_event_for(AgencyFactory(name="Riverbend Police"), published_version)
    client = client_as(business)

    # session, user, OTP device, matching agencies annotated with events and attendance,
    # events by month, events by format, partnership settings, pulses (none)
    with django_assert_num_queries(8):
        response = client.get(reverse("briefings:take-up"), {"q": "health"})

    assert len(response.context["rows"]) == n
