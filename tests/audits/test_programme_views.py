"""The programme page, scheduling and editing audits, and the audit page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from auditportal.models import AuditEvent
from audits.models import Audit
from audits.services import audit_create, audit_transition, audit_update
from audits.views.programme import PROGRAMME_PAGE_SIZE
from tests.factories import (
    AuditFactory,
    CaseAgencyFactory,
    CaseFactory,
    QuestionSetFactory,
    QuestionSetItemFactory,
    RecordReferenceFactory,
)

CREATE_URL = reverse("audits:audit-create")


def audit_post(question_set, **overrides):
    today = timezone.localdate()
    data = {
        "title": "Deep dive: neglect of teenagers",
        "kind": Audit.Kind.DEEP_DIVE,
        "priority": "Neglect",
        "key_question": "Do agencies recognise neglect of older children?",
        "scope": "Six young people aged 13 to 17.",
        "methodology": "Each agency audits its own records.",
        "returns_open": today.isoformat(),
        "returns_due": (today + datetime.timedelta(days=21)).isoformat(),
        "moderation_date": (today + datetime.timedelta(days=30)).isoformat(),
        "briefing_due": (today + datetime.timedelta(days=60)).isoformat(),
        "question_set": question_set.pk,
    }
    data.update(overrides)
    return data


def test_audit_pages_unknown_audit_is_404(client_as, business):
    response = client_as(business).get(reverse("audits:audit-detail", args=[999]))

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["practitioner", "other_practitioner", "board", "anonymous"])
def test_audit_create_refused_changes_nothing(client_as, users, role):
    question_set = QuestionSetFactory()

    response = client_as(users[role]).post(reverse("audits:audit-create"), audit_post(question_set))

    assert response.status_code in {302, 403}
    assert not Audit.objects.exists()


@pytest.mark.parametrize("role", ["practitioner", "other_practitioner", "board", "anonymous"])
def test_audit_edit_refused_changes_nothing(client_as, users, role):
    audit = AuditFactory(title="Original title")

    response = client_as(users[role]).post(
        reverse("audits:audit-edit", args=[audit.pk]),
        audit_post(audit.question_set, title="Changed"),
    )

    assert response.status_code in {302, 403, 404}
    assert Audit.objects.get(pk=audit.pk).title == "Original title"


def test_business_schedules_an_audit(client_as, business):
    question_set = QuestionSetFactory()

    response = client_as(business).post(reverse("audits:audit-create"), audit_post(question_set))

    audit = Audit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:case-add", args=[audit.pk])
    assert (audit.title, audit.status, audit.created_by) == (
        "Deep dive: neglect of teenagers",
        Audit.Status.PLANNED,
        business,
    )
    assert AuditEvent.objects.filter(code="audit.created", target_id=str(audit.pk)).exists()


@pytest.mark.parametrize(
    ("field", "offset", "message"),
    [
        ("returns_due", -1, "Returns must be due on or after the date they open."),
        ("moderation_date", 20, "The moderation meeting must be on or after the date returns"),
        ("briefing_due", 1, "The briefing must be on or after the date returns are due."),
    ],
)
def test_dates_out_of_order_are_refused_with_a_message(client_as, business, field, offset, message):
    question_set = QuestionSetFactory()
    day = timezone.localdate() + datetime.timedelta(days=offset)

    response = client_as(business).post(
        reverse("audits:audit-create"), audit_post(question_set, **{field: day.isoformat()})
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Audit.objects.exists()


def test_dates_out_of_order_refused_by_service(business):
    today = timezone.localdate()

    with pytest.raises(ValidationError, match="due on or after"):
        audit_create(
            actor=business,
            title="Backwards",
            priority="Neglect",
            key_question="Why?",
            returns_open=today,
            returns_due=today - datetime.timedelta(days=1),
            question_set=QuestionSetFactory(),
        )

    assert not Audit.objects.exists()


def test_dates_out_of_order_refused_by_database(db):
    today = timezone.localdate()

    with pytest.raises(IntegrityError), transaction.atomic():
        AuditFactory(returns_open=today, returns_due=today - datetime.timedelta(days=3))


def test_edit_audit_dates(client_as, business):
    audit = AuditFactory()
    new_due = audit.returns_open + datetime.timedelta(days=40)

    response = client_as(business).post(
        reverse("audits:audit-edit", args=[audit.pk]),
        audit_post(
            audit.question_set,
            title=audit.title,
            returns_open=audit.returns_open.isoformat(),
            returns_due=new_due.isoformat(),
            moderation_date="",
            briefing_due="",
        ),
    )

    audit.refresh_from_db()
    assert response.status_code == 302, response.context["form"].errors
    assert audit.returns_due == new_due
    event = AuditEvent.objects.get(code="audit.updated")
    assert "returns_due" in event.changes


def test_question_set_cannot_change_once_open(business, agency_a):
    audit = AuditFactory()
    QuestionSetItemFactory(question_set=audit.question_set)
    CaseAgencyFactory(case=CaseFactory(audit=audit), agency=agency_a)
    audit_transition(audit=audit, to_status=Audit.Status.OPEN, actor=business)
    other = QuestionSetFactory()

    with pytest.raises(ValidationError, match="cannot change once the audit has opened"):
        audit_update(audit=audit, actor=business, question_set=other)

    assert Audit.objects.get(pk=audit.pk).question_set_id != other.pk


def test_edit_form_of_open_audit_keeps_question_set(client_as, business):
    audit = AuditFactory(status=Audit.Status.OPEN)
    other = QuestionSetFactory()

    response = client_as(business).post(
        reverse("audits:audit-edit", args=[audit.pk]),
        audit_post(
            other,
            title="Renamed",
            returns_open=audit.returns_open.isoformat(),
            returns_due=audit.returns_due.isoformat(),
        ),
    )

    audit.refresh_from_db()
    assert response.status_code == 302
    assert audit.title == "Renamed"
    assert audit.question_set_id != other.pk


def test_programme_groups_by_status_and_sorts_by_date(client_as, business):
    today = timezone.localdate()
    AuditFactory(title="Later planned", returns_open=today + datetime.timedelta(days=40))
    AuditFactory(title="Sooner planned", returns_open=today + datetime.timedelta(days=10))
    AuditFactory(title="Running now", status=Audit.Status.OPEN)

    response = client_as(business).get(reverse("audits:programme"))

    body = response.content.decode()
    assert body.index("Planned") < body.index("Sooner planned") < body.index("Later planned")
    assert body.index("Open for returns") < body.index("Running now")
    assert [g[0] for g in response.context["groups"]] == [Audit.Status.PLANNED, Audit.Status.OPEN]


def test_programme_search(client_as, business):
    AuditFactory(title="Deep dive: exploitation", priority="Exploitation")
    AuditFactory(title="Deep dive: neglect", priority="Neglect")

    response = client_as(business).get(reverse("audits:programme"), {"q": "exploit"})

    titles = [a.title for _, _, audits, _, _ in response.context["groups"] for a in audits]
    assert titles == ["Deep dive: exploitation"]


def test_programme_empty_state_says_what_to_do(client_as, business):
    response = client_as(business).get(reverse("audits:programme"))

    assert "Schedule the first audit" in response.content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_programme_query_count(client_as, business, django_assert_num_queries, n):
    for i in range(n):
        audit = AuditFactory(status=Audit.Status.OPEN if i % 2 else Audit.Status.PLANNED)
        CaseFactory(audit=audit)
    client = client_as(business)

    # session, user, two-factor device check, audits per status (headings and page count),
    # the page of audits with their set and case count, concerns whose alerts did not go
    with django_assert_num_queries(6):
        response = client.get(reverse("audits:programme"))

    assert response.status_code == 200


def test_programme_lists_finished_audits_newest_first(client_as, business):
    today = timezone.localdate()
    for title, days in [("Closed long ago", -400), ("Closed recently", -100)]:
        AuditFactory(
            title=title,
            status=Audit.Status.CLOSED,
            returns_open=today + datetime.timedelta(days=days),
            returns_due=today + datetime.timedelta(days=days + 21),
        )

    response = client_as(business).get(reverse("audits:programme"))

    body = response.content.decode()
    assert body.index("Closed recently") < body.index("Closed long ago")


def programme_of(n: int, **fields) -> list[Audit]:
    today = timezone.localdate()
    return [
        AuditFactory(
            title=f"Audit {i:03d}", returns_open=today + datetime.timedelta(days=i), **fields
        )
        for i in range(n)
    ]


def test_programme_paginates_with_the_whole_count_in_each_heading(client_as, business):
    programme_of(PROGRAMME_PAGE_SIZE + 2)
    client = client_as(business)

    first = client.get(reverse("audits:programme"))
    second = client.get(reverse("audits:programme"), {"page": 2})

    assert [len(g[2]) for g in first.context["groups"]] == [PROGRAMME_PAGE_SIZE]
    assert [a.title for a in second.context["groups"][0][2]] == ["Audit 050", "Audit 051"]
    assert second.context["groups"][0][3:] == (PROGRAMME_PAGE_SIZE + 2, True)
    assert "Page 1 of 2" in first.content.decode()
    assert 'Planned <span class="small text-muted">(continued)</span>' in second.content.decode()


def test_programme_pages_keep_the_search_and_status(client_as, business):
    programme_of(PROGRAMME_PAGE_SIZE + 1, priority="Neglect")
    AuditFactory(title="Running now", status=Audit.Status.OPEN, priority="Neglect")
    client = client_as(business)

    first = client.get(reverse("audits:programme"), {"q": "neglect", "status": "planned"})
    second = client.get(
        reverse("audits:programme"), {"q": "neglect", "status": "planned", "page": 2}
    )

    assert 'href="?q=neglect&amp;status=planned&amp;page=2"' in first.content.decode()
    assert [a.title for _, _, audits, _, _ in second.context["groups"] for a in audits] == [
        "Audit 050"
    ]


@pytest.mark.parametrize(("page", "expected"), [("0", 2), ("99", 2), ("abc", 1), ("-1", 2)])
def test_programme_bad_page_number_shows_a_page(client_as, business, page, expected):
    programme_of(PROGRAMME_PAGE_SIZE + 1)

    response = client_as(business).get(reverse("audits:programme"), {"page": page})

    assert response.status_code == 200
    assert response.context["page"].number == expected


def test_programme_unknown_status_lists_everything(client_as, business):
    programme_of(2)

    response = client_as(business).get(reverse("audits:programme"), {"status": "nonsense"})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2
    assert response.context["filtered"] is False


def test_audit_detail_shows_cases_references_links_and_next_step(client_as, business, agency_a):
    audit = AuditFactory(title="Deep dive: young carers")
    involvement = CaseAgencyFactory(case=CaseFactory(audit=audit, pseudonym="YP7"), agency=agency_a)
    RecordReferenceFactory(involvement=involvement, reference="CSC-445566")

    response = client_as(business).get(reverse("audits:audit-detail", args=[audit.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "YP7" in body
    assert "CSC-445566" in body
    assert "Move to “Open for returns”" in body
    assert reverse("audits:case-add", args=[audit.pk]) in body
    assert AuditEvent.objects.filter(code="audit.sample_viewed", kind="access").exists()


@pytest.mark.parametrize("n", [1, 3])
def test_audit_detail_query_count(client_as, business, django_assert_num_queries, n):
    audit = AuditFactory()
    for _ in range(n):
        involvement = CaseAgencyFactory(case=CaseFactory(audit=audit))
        RecordReferenceFactory(involvement=involvement)
    client = client_as(business)

    # session, user, two-factor device, audit (selector), audit with set, cases, involvements
    # with agency and reference, access-log insert, return counts, concerns banner, transitions
    with django_assert_num_queries(11):
        response = client.get(reverse("audits:audit-detail", args=[audit.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "name", ["audit", "question", "questionset", "theme"], ids=lambda name: name
)
def test_admin_pages_load(client_as, admin_user, name):
    audit = AuditFactory()
    QuestionSetItemFactory(question_set=audit.question_set)
    objects = {
        "audit": audit,
        "question": audit.question_set.items.get().question,
        "questionset": audit.question_set,
        "theme": audit.question_set.items.get().theme,
    }
    client = client_as(admin_user)

    changelist = client.get(reverse(f"admin:audits_{name}_changelist"))
    change = client.get(reverse(f"admin:audits_{name}_change", args=[objects[name].pk]))

    assert (changelist.status_code, change.status_code) == (200, 200)


def test_programme_counts_each_audits_cases(client_as, business):
    with_cases, without = programme_of(2)
    CaseFactory(audit=with_cases)
    CaseFactory(audit=with_cases)

    response = client_as(business).get(reverse("audits:programme"))

    counts = {
        a.pk: a.case_count for _, _, audits, _, _ in response.context["groups"] for a in audits
    }
    assert counts == {with_cases.pk: 2, without.pk: 0}


def test_audit_page_says_who_was_told_it_opened_by_agency(
    client_as, business, agency_a, agency_b, practitioner, other_practitioner
):
    from audits.notifications import notify_audit_opened
    from tests.audits.returns_builders import build_open_audit
    from tests.factories import UserFactory

    UserFactory(username="sam", first_name="Sam", last_name="Lowe", agencies=[agency_a])
    built = build_open_audit(agencies=[agency_a, agency_b], cases=2)
    Audit.objects.filter(pk=built.audit.pk).update(opened_at=timezone.now())
    notify_audit_opened(audit_id=built.audit.pk)

    told = (
        client_as(business)
        .get(reverse("audits:audit-detail", args=[built.audit.pk]))
        .context["told"]
    )

    assert [(entry.agency.name, entry.names) for entry in told] == [
        ("Agency A Children's Social Care", ["Sam Lowe", str(practitioner)]),
        ("Agency B Police", [str(other_practitioner)]),
    ]


def test_audit_page_counts_returns_in_a_sentence(client_as, business, agency_a):
    from audits.models import Return
    from tests.audits.returns_builders import build_open_audit

    built = build_open_audit(agencies=[agency_a], cases=3)
    Return.objects.filter(pk=built.return_for(agency_a).pk).update(status=Return.Status.SUBMITTED)

    body = client_as(business).get(reverse("audits:audit-detail", args=[built.audit.pk])).content

    assert b"3 returns: 2 not started, 1 submitted." in body


@pytest.mark.parametrize("n", [1, 3])
def test_open_audit_detail_query_count(client_as, business, django_assert_num_queries, n):
    from tests.factories import AgencyFactory, ReturnFactory, UserFactory

    audit = AuditFactory(status=Audit.Status.OPEN, opened_at=timezone.now())
    for _ in range(n):
        agency = AgencyFactory()
        UserFactory(agencies=[agency])
        involvement = CaseAgencyFactory(case=CaseFactory(audit=audit), agency=agency)
        ReturnFactory(case=involvement.case, agency=agency)
    from audits.notifications import notify_audit_opened

    notify_audit_opened(audit_id=audit.pk)
    client = client_as(business)

    # as for a planned audit (11), and: the involved agencies, the memberships of those told
    with django_assert_num_queries(13):
        response = client.get(reverse("audits:audit-detail", args=[audit.pk]))

    assert len(response.context["told"]) == n


def test_schedule_form_from_a_calendar_day_opens_with_the_dates_filled_in(client_as, business):
    response = client_as(business).get(CREATE_URL, {"returns_open": "2026-03-02"})

    form = response.context["form"]
    assert (form["returns_open"].value(), form["returns_due"].value()) == (
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 23),
    )


def test_schedule_form_ignores_a_day_it_cannot_read(client_as, business):
    response = client_as(business).get(CREATE_URL, {"returns_open": "2026-02-31"})

    assert response.status_code == 200
    assert response.context["form"]["returns_open"].value() is None


def test_calendar_days_from_today_link_to_the_schedule_form(client_as, business):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)

    body = client_as(business).get(reverse("audits:calendar")).content.decode()

    create = reverse("audits:audit-create")
    assert f"{create}?returns_open={today:%Y-%m-%d}" in body
    assert f"{create}?returns_open={yesterday:%Y-%m-%d}" not in body


@pytest.mark.parametrize("role", ["practitioner", "board"])
def test_schedule_form_from_the_calendar_is_the_business_teams_only(client_as, users, role):
    response = client_as(users[role]).get(CREATE_URL, {"returns_open": "2026-03-02"})

    assert response.status_code == 403
