"""The composer's preview beside the text: what is typed, laid out as the web version, from
an unsaved copy (nothing is written), for the business team only (issue 17, point 5)."""

import pytest
from django.urls import reverse

from auditportal.models import AuditEvent
from briefings.models import Briefing, BriefingVersion


def typed(briefing, **changes) -> dict:
    data = {
        "title": briefing.title,
        "summary": briefing.summary,
        "topic": briefing.topic,
        "working_well": briefing.working_well,
        "development": briefing.development,
        "will_do": briefing.will_do,
        "next_steps": briefing.next_steps,
        "resources_text": briefing.resources_text,
        "show_grade_chart": "on",
        "show_risk_factors": "on",
    }
    return {**data, **changes}


def test_the_preview_shows_what_is_typed_and_saves_nothing(briefing, business, client_as):
    before = Briefing.objects.values().get()
    events = AuditEvent.objects.count()

    response = client_as(business).post(
        reverse("briefings:preview-live", args=[briefing.audit_id]),
        typed(briefing, topic="- **Worry** keeps young people <b>awake</b>"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<li><strong>Worry</strong> keeps young people &lt;b&gt;awake&lt;/b&gt;</li>" in html
    assert '<h3 id="point-2" class="point-heading">' in html
    assert "<h1" not in html
    assert "fewer than 3" in html  # the figures, suppressed as they will print
    assert Briefing.objects.values().get() == before
    assert BriefingVersion.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_the_preview_of_bad_input_says_what_to_put_right(briefing, business, client_as):
    before = Briefing.objects.values().get()

    response = client_as(business).post(
        reverse("briefings:preview-live", args=[briefing.audit_id]),
        typed(briefing, title="", summary="x" * 10001),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "The preview waits until these are put right" in html
    assert "This field is required." in html
    assert Briefing.objects.values().get() == before


@pytest.mark.parametrize(("role", "status"), [("practitioner", 403), ("board", 404)])
def test_the_preview_is_for_the_business_team(briefing, users, client_as, role, status):
    response = client_as(users[role]).post(
        reverse("briefings:preview-live", args=[briefing.audit_id]), typed(briefing)
    )

    assert response.status_code == status


def test_the_composer_has_the_preview_beside_the_text(briefing, business, client_as):
    html = (
        client_as(business)
        .get(reverse("briefings:composer", args=[briefing.audit_id]))
        .content.decode()
    )

    url = reverse("briefings:preview-live", args=[briefing.audit_id])
    assert f'hx-post="{url}"' in html
    assert 'id="live-preview"' in html
    # The formatting rules (briefings/formatting.py) under each of the seven points' boxes.
    assert html.count("<code>**words**</code> for bold") == 7
