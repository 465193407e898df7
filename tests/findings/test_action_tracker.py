import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from findings.selectors import action_tracker, actions_visible_to
from tests.factories import ActionFactory, AuditFactory, SubGroupFactory


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _texts(actions) -> list[str]:
    return [a.text for a in actions]


@pytest.fixture
def actions(agency_a, agency_b):
    """Three audits' actions: agency A owns two, agency B one, a sub-group one."""
    subgroup = SubGroupFactory(name="Safeguarding in Education")
    return {
        "a_overdue": ActionFactory(
            text="A overdue", owner_agency=agency_a, due_date=_days(-4), audit__title="Alpha"
        ),
        "a_done": ActionFactory(
            text="A done late",
            owner_agency=agency_a,
            due_date=_days(-10),
            status="done",
            completion_evidence="Sessions held",
            audit__title="Bravo",
        ),
        "b_open": ActionFactory(
            text="B open", owner_agency=agency_b, due_date=_days(5), audit__title="Charlie"
        ),
        "sg_progress": ActionFactory(
            text="Schools briefing",
            owner_agency=None,
            owner_subgroup=subgroup,
            due_date=_days(2),
            status="in_progress",
            audit__title="Delta",
        ),
        "subgroup": subgroup,
    }


def test_business_sees_every_action_soonest_first(business, actions):
    assert _texts(action_tracker(business)) == [
        "A done late",
        "A overdue",
        "Schools briefing",
        "B open",
    ]


def test_practitioner_sees_only_their_agencys_actions(practitioner, other_practitioner, actions):
    assert _texts(action_tracker(practitioner)) == ["A done late", "A overdue"]
    assert _texts(action_tracker(other_practitioner)) == ["B open"]


def test_board_sees_no_actions(board, actions):
    assert actions_visible_to(board).count() == 0


def test_overdue_excludes_done_and_future(business, actions):
    assert _texts(action_tracker(business, overdue=True)) == ["A overdue"]


def test_filter_by_owner_and_status(business, actions, agency_b):
    subgroup = actions["subgroup"]

    assert _texts(action_tracker(business, owner=f"agency-{agency_b.pk}")) == ["B open"]
    assert _texts(action_tracker(business, owner=f"subgroup-{subgroup.pk}")) == ["Schools briefing"]
    assert _texts(action_tracker(business, status="done")) == ["A done late"]
    assert _texts(action_tracker(business, owner="nonsense")) == _texts(action_tracker(business))


def test_practitioner_cannot_widen_scope_by_owner_filter(practitioner, actions, agency_b):
    assert _texts(action_tracker(practitioner, owner=f"agency-{agency_b.pk}")) == []


def test_search_and_sort(business, actions):
    assert _texts(action_tracker(business, search="schools")) == ["Schools briefing"]
    assert _texts(action_tracker(business, search="charlie")) == ["B open"]
    assert _texts(action_tracker(business, sort="-due")) == [
        "B open",
        "Schools briefing",
        "A overdue",
        "A done late",
    ]
    assert _texts(action_tracker(business, sort="audit")) == [
        "A overdue",
        "A done late",
        "B open",
        "Schools briefing",
    ]


def test_tracker_page_filters_from_the_query_string(client_as, business, actions):
    response = client_as(business).get(
        reverse("findings:action-tracker"), {"overdue": "on", "sort": "due"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "A overdue" in content
    assert "B open" not in content
    assert "Overdue" in content


def test_tracker_page_empty_filter_says_so(client_as, business, actions):
    response = client_as(business).get(reverse("findings:action-tracker"), {"q": "zzz"})

    assert "No actions match these filters" in response.content.decode()


def test_tracker_paginates(client_as, business, agency_a):
    audit = AuditFactory()
    for n in range(30):
        ActionFactory(audit=audit, owner_agency=agency_a, text=f"Action number {n:02d}")

    first = client_as(business).get(reverse("findings:action-tracker"))
    second = client_as(business).get(reverse("findings:action-tracker"), {"page": 2})

    assert "Page 1 of 2" in first.content.decode()
    assert first.context["page"].object_list.__len__() == 25
    assert len(second.context["page"].object_list) == 5


@pytest.mark.parametrize("n", [1, 3])
def test_tracker_query_count(client_as, business, agency_a, n, django_assert_num_queries):
    for _ in range(n):
        ActionFactory(owner_agency=agency_a)
        ActionFactory(owner_agency=None, owner_subgroup=SubGroupFactory())
    client = client_as(business)
    client.get(reverse("findings:action-tracker"))

    # session, user, OTP device, agencies and sub-groups for the owner filter, count, page
    with django_assert_num_queries(7):
        response = client.get(reverse("findings:action-tracker"))

    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_tracker_query_count_for_practitioner(
    client_as, practitioner, agency_a, n, django_assert_num_queries
):
    for _ in range(n):
        ActionFactory(owner_agency=agency_a)
    client = client_as(practitioner)
    client.get(reverse("findings:action-tracker"))

    # session, user, OTP device, their agencies for the owner filter, count, page
    with django_assert_num_queries(6):
        response = client.get(reverse("findings:action-tracker"))

    assert response.status_code == 200


def test_tracker_page_owner_filter_lists_owners_and_keeps_the_choice(
    client_as, business, actions, agency_a, agency_b
):
    subgroup = actions["subgroup"]

    response = client_as(business).get(
        reverse("findings:action-tracker"), {"owner": f"agency-{agency_b.pk}"}
    )

    content = response.content.decode()
    assert [a.text for a in response.context["page"].object_list] == ["B open"]
    assert f'<option value="agency-{agency_b.pk}" selected>{escape(agency_b.name)}<' in content
    assert f'<option value="agency-{agency_a.pk}">{escape(agency_a.name)}<' in content
    assert '<optgroup label="Sub-groups">' in content
    assert f'<option value="subgroup-{subgroup.pk}">{escape(subgroup.name)}<' in content
    assert '<option value="">Any owner</option>' in content


def test_tracker_page_unknown_owner_shows_every_action(client_as, business, actions):
    response = client_as(business).get(reverse("findings:action-tracker"), {"owner": "agency-0"})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 4


def test_tracker_page_practitioner_cannot_pick_another_agency(
    client_as, practitioner, actions, agency_b
):
    response = client_as(practitioner).get(
        reverse("findings:action-tracker"), {"owner": f"agency-{agency_b.pk}"}
    )

    content = response.content.decode()
    assert _texts(response.context["page"].object_list) == ["A done late", "A overdue"]
    assert f"agency-{agency_b.pk}" not in content
    assert "Sub-groups" not in content


def test_tracker_page_links_keep_the_filters(client_as, business, agency_a):
    for n in range(30):
        ActionFactory(owner_agency=agency_a, text=f"Action number {n:02d}")

    response = client_as(business).get(
        reverse("findings:action-tracker"), {"owner": f"agency-{agency_a.pk}", "page": "x"}
    )

    assert response.context["page"].number == 1
    assert f'href="?owner=agency-{agency_a.pk}&amp;page=2"' in response.content.decode()
