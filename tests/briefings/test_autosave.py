"""The composer saves as it is typed, with the guarantees of returns (issue 17, point 5): a
save from an older copy is refused with both texts shown and nothing overwritten; bad input is
a clear message, never a 500, and nothing is half-saved."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from auditportal.models import AuditEvent
from briefings.models import Briefing
from briefings.services import BriefingConflict, briefing_refill_section, briefing_update


def typed(briefing, **changes) -> dict:
    """The composer's fields as the page posts them (autosave.js sends the whole form)."""
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
        "version": str(briefing.edit_version),
    }
    return {**data, **changes}


def autosave_url(briefing) -> str:
    return reverse("briefings:autosave", args=[briefing.audit_id])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def saved_state(briefing) -> tuple:
    row = Briefing.objects.values().get(pk=briefing.pk)
    quotes = sorted(briefing.quotes.values_list("pk", flat=True))
    resources = sorted(briefing.resources.values_list("pk", flat=True))
    return row, quotes, resources


def test_autosave_saves_the_text_and_says_when(briefing, business):
    client = signed_in(business)

    response = client.post(autosave_url(briefing), typed(briefing, topic="Worry keeps **YP** up."))

    data = response.json()
    briefing.refresh_from_db()
    assert response.status_code == 200
    assert data["ok"] is True
    assert data["version"] == 1
    assert data["message"] == f"Saved at {data['saved_at']}"
    assert len(data["saved_at"]) == 5  # hh:mm
    assert briefing.topic == "Worry keeps **YP** up."
    assert briefing.edit_version == 1
    assert briefing.updated_by == business
    assert AuditEvent.objects.filter(code="briefing.updated").count() == 1


def test_each_save_moves_the_version_on(briefing, business):
    client = signed_in(business)

    first = client.post(autosave_url(briefing), typed(briefing, topic="One")).json()
    second = client.post(
        autosave_url(briefing), typed(briefing, topic="Two", version=first["version"])
    ).json()

    briefing.refresh_from_db()
    assert (first["version"], second["version"]) == (1, 2)
    assert briefing.topic == "Two"


def test_a_stale_copy_is_refused_with_both_texts_and_nothing_overwritten(
    briefing, business, business2
):
    loaded = typed(briefing)  # both opened the composer at version 0
    base = json.dumps({"topic": [briefing.topic], "summary": [briefing.summary]})
    signed_in(business).post(autosave_url(briefing), {**loaded, "topic": "Lena's definition."})
    before = saved_state(briefing)

    response = signed_in(business2).post(
        autosave_url(briefing),
        {**loaded, "topic": "Sam's definition.", "summary": "Sam's summary.", "_base": base},
    )

    data = response.json()
    assert response.status_code == 409
    assert data["error"] == "conflict"
    assert data["version"] == 1
    assert data["same_user"] is False
    assert data["message"].startswith(f"{business} saved this briefing at ")
    assert data["message"].endswith(
        "Your changes were not saved, so nothing of theirs was overwritten."
    )
    # Only what the other person changed is named: Sam's own summary edit is not a conflict.
    assert [c["name"] for c in data["changed"]] == ["topic"]
    [change] = data["changed"]
    assert change["label"] == "2. What is meant by mental health and wellbeing?"
    assert change["saved_text"] == "Lena's definition."
    assert change["yours_text"] == "Sam's definition."
    assert change["saved"] == ["Lena's definition."]
    assert saved_state(briefing) == before


def test_without_the_loaded_copy_every_differing_field_is_named(briefing, business, business2):
    loaded = typed(briefing)
    signed_in(business).post(autosave_url(briefing), {**loaded, "topic": "Lena's definition."})

    response = signed_in(business2).post(
        autosave_url(briefing), {**loaded, "summary": "Sam's summary.", "show_quotes": "on"}
    )

    names = [c["name"] for c in response.json()["changed"]]
    assert response.status_code == 409
    assert names == ["summary", "topic", "show_quotes"]


def test_a_save_from_the_same_persons_other_tab_is_named_as_such(briefing, business):
    loaded = typed(briefing)
    client = signed_in(business)
    client.post(autosave_url(briefing), {**loaded, "topic": "From the first tab."})

    response = client.post(autosave_url(briefing), {**loaded, "topic": "From the second tab."})

    data = response.json()
    assert response.status_code == 409
    assert data["same_user"] is True
    assert data["message"].startswith("This briefing was saved in another tab or window at ")
    assert Briefing.objects.get(pk=briefing.pk).topic == "From the first tab."


def test_choosing_to_keep_ones_own_text_after_a_conflict_saves_it(briefing, business, business2):
    loaded = typed(briefing)
    signed_in(business).post(autosave_url(briefing), {**loaded, "topic": "Lena's definition."})
    sam = signed_in(business2)
    conflict = sam.post(autosave_url(briefing), {**loaded, "topic": "Sam's definition."}).json()

    # "Keep my text" sends the page again at the version now saved (autosave.js resolve()).
    response = sam.post(
        autosave_url(briefing),
        {**loaded, "topic": "Sam's definition.", "version": conflict["version"]},
    )

    briefing.refresh_from_db()
    assert response.status_code == 200
    assert briefing.topic == "Sam's definition."
    assert briefing.edit_version == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Title: This field is required."),
        ({"summary": "x" * 10001}, "has at most 10000 characters"),
        ({"title": "Two\nlines"}, "Title: "),
        ({"version": "-1"}, "greater than or equal to 0"),
        ({"version": "not a number"}, "Enter a whole number."),
        ({"version": ""}, "Reload the page: nothing was saved."),
        ({"resources": "0"}, "Select a valid choice."),
        ({"quotes": "abc"}, "is not a valid value"),
        ({"_base": "[" * 100_000}, "could not be read"),
    ],
)
def test_bad_input_is_a_clear_message_and_saves_nothing(briefing, business, changes, message):
    before = saved_state(briefing)
    events = AuditEvent.objects.count()
    client = signed_in(business)
    client.raise_request_exception = False

    response = client.post(autosave_url(briefing), typed(briefing, topic="Typed", **changes))

    data = response.json()
    assert response.status_code == 400
    assert data["error"] == "invalid"
    assert data["message"].startswith("Not saved: ")
    assert message in data["message"]
    assert saved_state(briefing) == before
    assert AuditEvent.objects.count() == events


def test_an_unconsented_quote_refused_by_the_service_saves_nothing(briefing, business):
    """The service's own check fails after the version was claimed: the transaction rolls the
    whole save back, the version included."""
    unconsented = briefing.audit.quotes.get(consent=False)
    before = saved_state(briefing)

    with pytest.raises(ValidationError):
        briefing_update(
            briefing=briefing, actor=business, base_version=0, topic="Typed", quotes=[unconsented]
        )

    assert saved_state(briefing) == before


def test_the_service_refuses_a_stale_version_itself(briefing, business):
    briefing_update(briefing=briefing, actor=business, base_version=0, topic="first")

    with pytest.raises(BriefingConflict) as refused:
        briefing_update(briefing=briefing, actor=business, base_version=0, topic="late")

    assert refused.value.current_version == 1
    assert refused.value.changed == ["topic"]
    assert Briefing.objects.get(pk=briefing.pk).topic == "first"


def test_every_write_of_the_text_moves_the_version_on(briefing, business):
    """A save without a copy to check (the demo, a refill) still makes open copies stale."""
    briefing_update(briefing=briefing, actor=business, topic="Written elsewhere")
    briefing_refill_section(briefing=briefing, field="summary", actor=business)

    briefing.refresh_from_db()
    assert briefing.edit_version == 2
    assert briefing.updated_by == business


def test_a_refill_makes_an_open_copy_stale(briefing, business):
    briefing = briefing_update(briefing=briefing, actor=business, summary="My own summary.")
    loaded = typed(briefing)
    base = json.dumps({"summary": [briefing.summary], "topic": [briefing.topic]})
    client = signed_in(business)
    client.post(reverse("briefings:refill", args=[briefing.audit_id]), {"field": "summary"})

    response = client.post(
        autosave_url(briefing), {**loaded, "topic": "Typed meanwhile", "_base": base}
    )

    assert response.status_code == 409
    assert [c["name"] for c in response.json()["changed"]] == ["summary"]


@pytest.mark.parametrize(
    ("role", "status", "error"),
    [("practitioner", 403, "read_only"), ("anonymous", 401, "signed_out")],
)
def test_refused_autosaves_answer_json_and_change_nothing(briefing, users, role, status, error):
    before = saved_state(briefing)
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])

    response = client.post(autosave_url(briefing), typed(briefing, topic="Not theirs"))

    assert response.status_code == status
    assert response.json()["error"] == error
    assert saved_state(briefing) == before


def test_the_composer_page_carries_its_version_and_autosave(briefing, business):
    html = signed_in(business).get(reverse("briefings:composer", args=[briefing.audit_id]))

    page = html.content.decode()
    assert f'data-autosave-url="{autosave_url(briefing)}"' in page
    assert '<input type="hidden" name="version" value="0" id="id_version">' in page
    assert 'id="save-status" role="status"' in page


def test_save_briefing_from_a_stale_page_shows_both_texts_and_keeps_theirs(
    briefing, business, business2
):
    loaded = typed(briefing)
    signed_in(business).post(autosave_url(briefing), {**loaded, "topic": "Lena's definition."})
    composer = reverse("briefings:composer", args=[briefing.audit_id])
    sam = signed_in(business2)

    response = sam.post(composer, {**loaded, "topic": "Sam's definition."})

    page = response.content.decode()
    assert response.status_code == 409
    assert "The briefing was not saved: someone saved it after you opened it" in page
    assert '<div class="conflict-text">Lena&#x27;s definition.</div>' in page
    assert '<div class="conflict-text">Sam&#x27;s definition.</div>' in page
    assert 'name="version_chosen" value="1"' in page
    assert Briefing.objects.get(pk=briefing.pk).topic == "Lena's definition."

    # "Keep my text and save" is the choice to replace it.
    kept = sam.post(composer, {**loaded, "topic": "Sam's definition.", "version_chosen": "1"})

    assert kept.status_code == 302
    assert Briefing.objects.get(pk=briefing.pk).topic == "Sam's definition."


@pytest.mark.parametrize("n", [1, 3])
def test_autosave_query_count_does_not_grow_with_the_choices(
    briefing, business, n, django_assert_num_queries
):
    from tests.factories import ResourceFactory

    resources = [ResourceFactory() for _ in range(n)]
    client = signed_in(business)
    chosen = {"resources": [r.pk for r in resources]}
    client.post(autosave_url(briefing), typed(briefing, topic="First", **chosen))

    # session, user, OTP device, audit, briefing, its chosen resources and quotes (the
    # choices offered), the posted resources (form check), savepoint, version claim, the row
    # locked, the actor, the text, its history row, the resources and quotes already set, the
    # trail row, the new version, release
    with django_assert_num_queries(19):
        response = client.post(
            autosave_url(briefing), typed(briefing, topic="Second", version="1", **chosen)
        )

    assert response.json()["version"] == 2
