"""Key events in a return: the dates they may have, the disclosure check on their line,
autosave with versions, history, and who may write them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audits.event_bank import load_event_kinds
from audits.event_dates import EventDate, check_event_date, look_back_start, parse_event_date
from audits.models import EventKind, KeyEvent, Return
from audits.services.key_events import KeyEventConflict, key_event_delete, key_event_save
from cases.models import Case
from tests.audits.returns_builders import build_open_audit


@pytest.fixture
def kinds(db):
    load_event_kinds()
    return {kind.key: kind for kind in EventKind.objects.all()}


@pytest.fixture
def built(agency_a, agency_b):
    return build_open_audit(agencies=[agency_a, agency_b], returns_open=datetime.date(2026, 3, 10))


def _when(built, text):
    return check_event_date(
        parse_event_date(text),
        case=built.cases[0],
        audit=built.audit,
        today=datetime.date(2026, 3, 20),
    )


def test_parse_event_date_reads_days_and_months_both_ways():
    assert parse_event_date("14/03/2025") == EventDate(datetime.date(2025, 3, 14), "day")
    assert parse_event_date("2025-03-14") == EventDate(datetime.date(2025, 3, 14), "day")
    assert parse_event_date("03/2025") == EventDate(datetime.date(2025, 3, 1), "month")
    assert parse_event_date("2025-03") == EventDate(datetime.date(2025, 3, 1), "month")
    assert parse_event_date("02/2024").last_day == datetime.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the date of the event, or its month."),
        ("next week", "Enter a date like 14/03/2025, or only a month like 03/2025."),
        (
            "31/02/2025",
            "31/02/2025 is not a date. Enter a date like 14/03/2025, or only a month like 03/2025.",
        ),
        (
            "13/2025",
            "13/2025 is not a month. Enter a date like 14/03/2025, or only a month like 03/2025.",
        ),
    ],
)
def test_parse_event_date_refuses_what_is_not_a_date(text, message):
    with pytest.raises(ValidationError) as raised:
        parse_event_date(text)

    assert raised.value.messages == [message]


def test_look_back_window_starts_on_the_first_of_the_month_months_before_opening(built):
    assert built.audit.look_back_months == 12
    assert look_back_start(built.audit) == datetime.date(2025, 3, 1)


def test_event_dates_inside_the_window_and_not_in_the_future_are_accepted(built):
    _when(built, "01/03/2025")
    _when(built, "03/2025")
    _when(built, "20/03/2026")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("21/03/2026", "This date is in the future: key events are what has already happened."),
        ("04/2026", "This date is in the future: key events are what has already happened."),
        (
            "28/02/2025",
            "This is before the audit's look-back window, which starts on 1 March 2025 "
            "(12 months before returns opened).",
        ),
        (
            "02/2025",
            "This is before the audit's look-back window, which starts on 1 March 2025 "
            "(12 months before returns opened).",
        ),
    ],
)
def test_event_dates_outside_are_refused_with_the_reason(built, text, message):
    with pytest.raises(ValidationError) as raised:
        _when(built, text)

    assert raised.value.messages == [message]


def test_an_event_before_the_child_could_have_been_born_is_refused(built):
    built.audit.look_back_months = 120
    case = built.cases[0]
    case.age_band = Case.AgeBand.AGE_1_4
    # Aged 1 to 4 when returns opened in March 2026: born in 2021 or later.

    with pytest.raises(ValidationError) as raised:
        _when(built, "12/2020")

    assert raised.value.messages == [
        "This is before the child could have been born: a child aged 1 to 4 when returns "
        "opened was born in 2021 or later."
    ]
    _when(built, "01/2021")


def test_key_event_save_writes_the_event_with_its_history(built, practitioner, agency_a, kinds):
    audit_return = built.return_for(agency_a)
    today = timezone.localdate().strftime("%d/%m/%Y")

    event = key_event_save(
        audit_return=audit_return,
        actor=practitioner,
        when=today,
        kind_id=kinds["referral"].pk,
        text="  Referral   from school about attendance. ",
    )

    assert (event.precision, event.text, event.version) == (
        "day",
        "Referral from school about attendance.",
        1,
    )
    history = list(event.history.all())
    assert [(h.history_type, h.history_user) for h in history] == [("+", practitioner)]


def test_key_event_save_refuses_a_pseudonym_or_record_reference_in_the_text(
    built, practitioner, agency_a, kinds
):
    audit_return = built.return_for(agency_a)
    today = timezone.localdate().strftime("%d/%m/%Y")

    with pytest.raises(ValidationError) as raised:
        key_event_save(
            audit_return=audit_return,
            actor=practitioner,
            when=today,
            kind_id=kinds["referral"].pk,
            text=f"Referral, see RB-{agency_a.pk}-0000",
        )

    assert raised.value.message_dict == {
        "text": [
            f'The text contains the record reference "RB-{agency_a.pk}-0000". Write it '
            "without names or identifiers: no pseudonyms and no record references."
        ]
    }
    assert not KeyEvent.objects.exists()


def test_key_event_save_puts_each_problem_at_its_field_and_writes_nothing(
    built, practitioner, agency_a, kinds
):
    with pytest.raises(ValidationError) as raised:
        key_event_save(
            audit_return=built.return_for(agency_a),
            actor=practitioner,
            when="01/01/2099",
            kind_id="",
            text="x" * 201,
        )

    assert raised.value.message_dict == {
        "when": ["This date is in the future: key events are what has already happened."],
        "kind": ["Choose what kind of event it was."],
        "text": ["Keep it to one line of 200 characters or fewer."],
    }
    assert not KeyEvent.objects.exists()


def test_a_save_from_a_stale_copy_is_refused(built, practitioner, agency_a, kinds):
    audit_return = built.return_for(agency_a)
    today = timezone.localdate().strftime("%d/%m/%Y")
    event = key_event_save(
        audit_return=audit_return,
        actor=practitioner,
        when=today,
        kind_id=kinds["referral"].pk,
        text="First.",
    )
    key_event_save(
        audit_return=audit_return,
        actor=practitioner,
        when=today,
        kind_id=kinds["referral"].pk,
        text="Second.",
        event=event,
        base_version=1,
    )

    with pytest.raises(KeyEventConflict):
        key_event_save(
            audit_return=audit_return,
            actor=practitioner,
            when=today,
            kind_id=kinds["referral"].pk,
            text="Third, from an old tab.",
            event=event,
            base_version=1,
        )

    event.refresh_from_db()
    assert (event.text, event.version) == ("Second.", 2)
    assert [h.text for h in event.history.order_by("history_id")] == ["First.", "Second."]


def test_another_agency_and_the_business_team_cannot_write_events(
    built, business, other_practitioner, agency_a, kinds
):
    audit_return = built.return_for(agency_a)
    today = timezone.localdate().strftime("%d/%m/%Y")

    for actor in (business, other_practitioner):
        with pytest.raises(PermissionDenied):
            key_event_save(
                audit_return=audit_return,
                actor=actor,
                when=today,
                kind_id=kinds["referral"].pk,
                text="",
            )

    assert not KeyEvent.objects.exists()


def test_a_submitted_return_takes_no_new_events(built, practitioner, agency_a, kinds):
    audit_return = built.return_for(agency_a)
    Return.objects.filter(pk=audit_return.pk).update(status=Return.Status.SUBMITTED)
    audit_return.refresh_from_db()
    event = KeyEvent.objects.create(
        audit_return=audit_return, when=timezone.localdate(), kind=kinds["referral"]
    )

    with pytest.raises(ValidationError):
        key_event_save(
            audit_return=audit_return,
            actor=practitioner,
            when=timezone.localdate().strftime("%d/%m/%Y"),
            kind_id=kinds["referral"].pk,
            text="",
        )
    with pytest.raises(ValidationError):
        key_event_delete(event=event, actor=practitioner)

    assert KeyEvent.objects.count() == 1


def test_autosave_answers_json_with_the_problem_at_the_field(
    client_as, built, practitioner, agency_a, kinds
):
    url = reverse("audits:key-event-add", args=[built.return_for(agency_a).pk])

    response = client_as(practitioner).post(
        url,
        {"when": "01/01/2099", "kind": kinds["referral"].pk, "text": ""},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "errors": {
            "when": ["This date is in the future: key events are what has already happened."]
        },
    }


def test_autosave_adds_then_changes_an_event(client_as, built, practitioner, agency_a, kinds):
    client = client_as(practitioner)
    audit_return = built.return_for(agency_a)
    today = timezone.localdate()

    added = client.post(
        reverse("audits:key-event-add", args=[audit_return.pk]),
        {"when": today.strftime("%m/%Y"), "kind": kinds["assessment"].pk, "text": "Started."},
        HTTP_ACCEPT="application/json",
    ).json()
    changed = client.post(
        added["action"],
        {
            "when": today.strftime("%m/%Y"),
            "kind": kinds["assessment"].pk,
            "text": "Completed.",
            "version": added["version"],
        },
        HTTP_ACCEPT="application/json",
    ).json()

    event = KeyEvent.objects.get()
    assert (added["created"], changed["created"], changed["version"]) == (True, False, 2)
    assert (event.precision, event.when, event.text) == (
        "month",
        today.replace(day=1),
        "Completed.",
    )


def test_without_javascript_a_refused_event_shows_its_page_with_the_message_at_the_field(
    client_as, built, practitioner, agency_a, kinds
):
    url = reverse("audits:key-event-add", args=[built.return_for(agency_a).pk])

    response = client_as(practitioner).post(
        url, {"when": "01/01/2099", "kind": kinds["referral"].pk, "text": ""}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "This date is in the future: key events are what has already happened." in html
    assert 'aria-invalid="true"' in html
    assert not KeyEvent.objects.exists()


def test_the_return_page_lists_only_the_return_s_own_events(
    client_as, built, practitioner, agency_a, agency_b, kinds
):
    today = timezone.localdate()
    KeyEvent.objects.create(
        audit_return=built.return_for(agency_a),
        when=today,
        kind=kinds["referral"],
        text="Our referral.",
    )
    KeyEvent.objects.create(
        audit_return=built.return_for(agency_b),
        when=today,
        kind=kinds["missing-episode"],
        text="Their missing episode.",
    )

    html = client_as(practitioner).get(built.return_for(agency_a).get_absolute_url()).content

    assert b"Our referral." in html
    assert b"Their missing episode." not in html
