"""The audit trail narrowed to one record, as a data protection officer needs it for a subject
access request or a complaint: a return (with its answers and concerns), a case found by its
pseudonym (with its returns, their answers and its record references), a briefing (with its
versions and downloads), a user account. Linked from each record's page ("Who has seen
this?") and exported as CSV."""

import csv
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from auditportal.auditlog import access_log, audit_log
from auditportal.models import AuditEvent
from audits.models import Audit
from tests.factories import (
    AnswerFactory,
    AuditFactory,
    BriefingFactory,
    BriefingVersionFactory,
    CaseAgencyFactory,
    CaseFactory,
    FindingFactory,
    ImmediateConcernFactory,
    QuestionSetItemFactory,
    RecordReferenceFactory,
    ReturnFactory,
    SampleCaseFactory,
    UserFactory,
)

EVENTS = reverse("trail:events")
EXPORT = reverse("trail:export")


@pytest.fixture
def child(business, practitioner, other_practitioner, agency_a, agency_b):
    """YP1 in "Neglect deep dive", audited by agencies A and B, beside YP2: each has views,
    answer edits, a concern and a moderation; the trail holds all of them."""
    audit = AuditFactory(title="Neglect deep dive", status=Audit.Status.OPEN)
    item = QuestionSetItemFactory(question_set=audit.question_set, text="Was the child seen alone?")
    cases, returns, answers = {}, {}, {}
    for pseudonym in ("YP1", "YP2"):
        case = CaseFactory(audit=audit, pseudonym=pseudonym)
        cases[pseudonym] = case
        for agency in (agency_a, agency_b):
            involvement = CaseAgencyFactory(case=case, agency=agency)
            RecordReferenceFactory(
                involvement=involvement, reference=f"REF-{pseudonym}-{agency.pk}"
            )
            audit_return = ReturnFactory(case=case, agency=agency, audit=audit)
            returns[(pseudonym, agency.short_name)] = audit_return
            answer = AnswerFactory(audit_return=audit_return, item=item, choice="yes")
            answer.evidence = f"Seen alone at school ({pseudonym})."
            answer.save()
            answers[(pseudonym, agency.short_name)] = answer
    yp1_a = returns[("YP1", "A")]
    access_log(actor=practitioner, code="return.viewed", target=yp1_a)
    access_log(actor=other_practitioner, code="return.viewed", target=returns[("YP1", "B")])
    access_log(actor=business, code="return.viewed", target=returns[("YP2", "A")])
    access_log(actor=business, code="case.viewed", target=cases["YP1"])
    access_log(actor=business, code="audit.sample_viewed", target=audit)
    audit_log(actor=business, code="audit.updated", target=audit, changes={"title": "x"})
    concern = ImmediateConcernFactory(audit=audit, audit_return=yp1_a)
    audit_log(actor=practitioner, code="concern.raised", target=concern)
    audit_log(actor=business, code="answer.moderated", target=answers[("YP1", "A")])
    return {"audit": audit, "cases": cases, "returns": returns, "answers": answers}


def rows_of(response) -> list:
    return response.context["page"].rows


def signature(rows) -> set[tuple[str, str, str]]:
    return {(row.actor, row.code, row.target_type) for row in rows}


def test_a_return_lists_its_views_changes_answers_and_concerns(client, business, child):
    yp1_a = child["returns"][("YP1", "A")]
    client.force_login(business)

    response = client.get(EVENTS, {"record": f"audits.return:{yp1_a.pk}"})

    rows = rows_of(response)
    html = response.content.decode()
    assert {(r.actor, r.code) for r in rows if r.source == "event"} == {
        ("practitioner", "return.viewed"),
        ("practitioner", "concern.raised"),
        ("business", "answer.moderated"),
    }
    assert {(r.code, r.target_type) for r in rows if r.source != "event"} == {
        ("history.created", "audits.return"),
        ("history.created", "audits.answer"),
        ("history.changed", "audits.answer"),
    }
    answer_rows = [r for r in rows if r.target_type == "audits.answer"]
    assert {r.target_id for r in answer_rows} == {str(child["answers"][("YP1", "A")].pk)}
    assert "Trail of the return YP1 – Agency A Children&#x27;s Social Care" in html
    assert "(YP2)" not in html


def test_answer_rows_name_their_question_and_link_their_return(client, business, child):
    yp1_a = child["returns"][("YP1", "A")]
    client.force_login(business)

    response = client.get(EVENTS, {"target_type": "audits.answer"})

    html = response.content.decode()
    row = next(
        r
        for r in rows_of(response)
        if r.code == "history.changed" and r.target_id == str(child["answers"][("YP1", "A")].pk)
    )
    assert row.target == "Answer to “Was the child seen alone?”"
    assert row.part_of == ("audits.return", str(yp1_a.pk), "Return YP1 – " + yp1_a.agency.name)
    assert f'href="{EVENTS}?record=audits.return%3A{yp1_a.pk}"' in html
    assert "Answer 5" not in html and "changed Answer" not in html


def test_a_case_found_by_its_pseudonym_lists_every_view_and_change_of_the_child(
    client, business, child
):
    client.force_login(business)

    response = client.get(EVENTS, {"case": "yp1"})

    rows = rows_of(response)
    views = {(r.actor, r.code, r.target_type) for r in rows if r.kind == "access"}
    assert views == {
        ("practitioner", "return.viewed", "audits.return"),
        ("otherpractitioner", "return.viewed", "audits.return"),
        ("business", "case.viewed", "cases.case"),
        ("business", "audit.sample_viewed", "audits.audit"),  # the case list names YP1
    }
    changed_types = {r.target_type for r in rows if r.kind == "change"}
    assert changed_types == {
        "cases.case",
        "cases.caseagency",
        "cases.recordreference",
        "audits.samplecase",  # the child was added to the audit's sample
        "audits.return",
        "audits.answer",
        "audits.immediateconcern",
    }
    yp2_returns = {str(r.pk) for (p, _), r in child["returns"].items() if p == "YP2"}
    assert not [r for r in rows if r.target_type == "audits.return" and r.target_id in yp2_returns]
    assert not [r for r in rows if r.code == "audit.updated"]  # about the audit, not YP1
    html = response.content.decode()
    assert "Trail of the case YP1 (Neglect deep dive)" in html
    assert "REF-YP1" not in html


def test_my_returns_views_are_in_the_trail_of_each_return_they_listed(
    client, business, practitioner, child
):
    yp1_a, yp2_a = child["returns"][("YP1", "A")], child["returns"][("YP2", "A")]
    client.force_login(practitioner)
    listed = client.get(reverse("audits:my-returns"), {"q": "YP1"}).context["returns"]
    client.force_login(business)

    trails = {
        record: {(r.actor, r.code) for r in rows_of(client.get(EVENTS, {"record": record}))}
        for record in (
            f"audits.return:{yp1_a.pk}",
            f"audits.return:{yp2_a.pk}",
            f"cases.case:{yp1_a.case_id}",
            f"cases.case:{yp2_a.case_id}",
        )
    }

    assert [r.pk for r in listed] == [yp1_a.pk]
    seen = ("practitioner", "return.listed")
    assert [seen in trail for trail in trails.values()] == [True, False, True, False]


def test_a_findings_page_is_in_the_trail_of_each_child_of_its_audit(client, business, child):
    finding = FindingFactory(audit=child["audit"])
    other_audit_finding = FindingFactory()
    client.force_login(business)
    client.get(reverse("findings:finding-update", args=[finding.pk]))
    client.get(reverse("findings:finding-update", args=[other_audit_finding.pk]))

    case_trail = rows_of(client.get(EVENTS, {"case": "YP1"}))
    audit_trail = rows_of(client.get(EVENTS, {"record": f"audits.audit:{child['audit'].pk}"}))

    for rows in (case_trail, audit_trail):
        views = [r for r in rows if r.code == "finding.viewed"]
        assert [(r.actor, r.target_id) for r in views] == [("business", str(finding.pk))]


def test_a_child_in_two_audits_has_one_trail_covering_both(client, business, child):
    yp1 = child["cases"]["YP1"]
    re_audit = AuditFactory(title="Neglect re-audit")
    SampleCaseFactory(audit=re_audit, case=yp1)
    access_log(actor=business, code="audit.sample_viewed", target=re_audit)
    client.force_login(business)

    response = client.get(EVENTS, {"case": "YP1"})

    assert response.context["scope"].key == f"cases.case:{yp1.pk}"
    sample_views = {r.target_id for r in rows_of(response) if r.code == "audit.sample_viewed"}
    assert sample_views == {str(child["audit"].pk), str(re_audit.pk)}
    assert "Trail of the case YP1 (Neglect deep dive, Neglect re-audit)" in (
        response.content.decode()
    )


def test_a_pseudonym_of_a_deleted_child_and_a_new_one_asks_which_child(client, business, child):
    deleted_pk = child["cases"]["YP1"].pk
    child["cases"]["YP1"].delete()
    other = CaseFactory(audit=AuditFactory(title="Domestic abuse deep dive"), pseudonym="YP1")
    client.force_login(business)

    response = client.get(EVENTS, {"case": "YP1"})

    html = response.content.decode()
    assert response.context["page"] is None
    assert "2 cases are called “YP1”. Choose one:" in html
    assert f"record=cases.case%3A{deleted_pk}" in html
    assert f"record=cases.case%3A{other.pk}" in html
    assert "Domestic abuse deep dive" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"case": "Z9"}, "No case is called “Z9”."),
        ({"record": "audits.return:999999"}, "That record is not in the trail."),
        ({"record": "auth.permission:1"}, "That record is not in the trail."),
        ({"record": "garbage"}, "That record is not in the trail."),
        ({"record": "audits.return:99999999999999999999"}, "That record is not in the trail."),
    ],
)
def test_a_record_that_is_not_there_says_so(client, business, child, query, message):
    client.force_login(business)

    response = client.get(EVENTS, query)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["page"] is None


def test_a_deleted_case_can_still_be_searched(client, business, child):
    case = child["cases"]["YP2"]
    case_pk = case.pk
    case.delete()
    client.force_login(business)

    response = client.get(EVENTS, {"case": "YP2"})

    rows = rows_of(response)
    assert ("history.deleted", "cases.case") in {(r.code, r.target_type) for r in rows}
    assert ("business", "return.viewed") in {(r.actor, r.code) for r in rows}
    assert response.context["scope"].key == f"cases.case:{case_pk}"


def test_a_briefing_lists_its_views_versions_and_downloads(client, business, board):
    briefing = BriefingFactory()
    version = BriefingVersionFactory(briefing=briefing)
    other_version = BriefingVersionFactory()
    access_log(actor=business, code="briefing.viewed", target=briefing)
    audit_log(actor=business, code="briefing.render_requested", target=version)
    access_log(actor=board, code="briefing.downloaded", target=version)
    access_log(actor=board, code="briefing.downloaded", target=other_version)
    client.force_login(business)

    response = client.get(EVENTS, {"record": f"briefings.briefing:{briefing.pk}"})

    events = {(r.actor, r.code, r.target_id) for r in rows_of(response) if r.source == "event"}
    assert events == {
        ("business", "briefing.viewed", str(briefing.pk)),
        ("business", "briefing.render_requested", str(version.pk)),
        ("board", "briefing.downloaded", str(version.pk)),
    }


def test_a_user_account_lists_what_happened_to_it(client, business, practitioner):
    audit_log(actor=practitioner, code="account.mfa_enrolled", target=practitioner)
    audit_log(actor=business, code="account.mfa_enrolled", target=business)
    client.force_login(business)

    response = client.get(EVENTS, {"record": f"accounts.user:{practitioner.pk}"})

    assert [(r.actor, r.code) for r in rows_of(response)] == [
        ("practitioner", "account.mfa_enrolled")
    ]


def test_record_search_combines_with_the_other_filters(client, business, child):
    client.force_login(business)
    case = child["cases"]["YP1"]

    response = client.get(EVENTS, {"record": f"cases.case:{case.pk}", "kind": "access"})

    assert {r.kind for r in rows_of(response)} == {"access"}
    assert len(rows_of(response)) == 4


def test_the_record_csv_is_the_data_protection_officers_file(client, business, child):
    case = child["cases"]["YP1"]
    client.force_login(business)

    response = client.get(EXPORT, {"record": f"cases.case:{case.pk}", "kind": "access"})

    content = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert content.startswith(b"\xef\xbb\xbf")
    assert rows[0] == [
        "When (UTC)",
        "Who",
        "Kind",
        "Event code",
        "Event",
        "Record type",
        "Record id",
        "Record",
        "Part of",
        "Details",
    ]
    assert sorted(row[3] for row in rows[1:]) == [
        "audit.sample_viewed",
        "case.viewed",
        "return.viewed",
        "return.viewed",
    ]
    assert {row[8] for row in rows[1:] if row[3] == "return.viewed"} == {"Case YP1"}
    assert {row[4] for row in rows[1:] if row[3] == "return.viewed"} == {"Viewed a return"}
    assert f'filename="audit-trail-case-{case.pk}-' in response["Content-Disposition"]
    logged = AuditEvent.objects.get(code="trail.exported")
    assert logged.changes["record"] == f"cases.case:{case.pk}"


def test_the_trail_csv_reads_as_utf8_in_a_spreadsheet(client, business, agency_a):
    audit = AuditFactory(title="Child B – Riverbend")
    audit_log(actor=business, code="audit.created", target=audit)
    client.force_login(business)

    content = b"".join(client.get(EXPORT).streaming_content)

    assert content.startswith("\ufeff".encode())
    assert "Child B – Riverbend" in content.decode("utf-8-sig")


def test_password_change_is_in_the_trail(client, practitioner):
    client.force_login(practitioner)

    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": "a-much-longer-new-passphrase-2026",
            "new_password2": "a-much-longer-new-passphrase-2026",
        },
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(code="account.password_changed")
    assert (event.actor, event.kind, event.target_id) == (
        practitioner,
        AuditEvent.Kind.SECURITY,
        str(practitioner.pk),
    )


def test_password_reset_request_and_completion_are_in_the_trail(client, db):
    user = UserFactory(username="forgetful", email="forgetful@example.org")

    client.post(reverse("accounts:password-reset"), {"email": "forgetful@example.org"})
    client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    form_page = client.get(link.strip(), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "a-much-longer-new-passphrase-2026",
            "new_password2": "a-much-longer-new-passphrase-2026",
        },
    )

    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.SECURITY).order_by("pk")
    assert [(e.code, e.target_id, e.actor_label) for e in events] == [
        ("account.password_reset_requested", str(user.pk), "system"),
        ("account.password_reset_completed", str(user.pk), "system"),
    ]
    assert "nobody@example.org" not in str(list(events.values()))


@pytest.mark.parametrize("n", [1, 3])
def test_record_page_queries_do_not_grow_with_rows(client, business, child, n):
    yp1_a = child["returns"][("YP1", "A")]
    answer = child["answers"][("YP1", "A")]
    for number in range(n):
        answer.evidence = f"Edit {number}"
        answer.save()
        access_log(actor=business, code="return.viewed", target=yp1_a)
    client.force_login(business)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(EVENTS, {"record": f"audits.return:{yp1_a.pk}"})

    assert response.status_code == 200
    # session, user, device; the scope: return, its answer ids live and in history, its
    # concern ids; the union's count and page; describing the page: actors, events, each
    # history source's records and timeline (return, answer), then the targets: answers,
    # concerns, returns.
    assert len(captured) == 18


def test_record_pages_link_who_has_seen_this_for_the_business_team(
    client_as, business, practitioner, child
):
    from briefings.services import briefing_get_or_create

    yp1_a = child["returns"][("YP1", "A")]
    case = child["cases"]["YP1"]
    audit = child["audit"]
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.FINDINGS_AGREED)
    briefing = briefing_get_or_create(audit=audit, actor=business)
    pages = {
        reverse("audits:return-detail", args=[yp1_a.pk]): f"audits.return%3A{yp1_a.pk}",
        reverse("audits:case-edit", args=[audit.pk, case.pk]): f"cases.case%3A{case.pk}",
        reverse("audits:audit-detail", args=[audit.pk]): f"cases.case%3A{case.pk}",
        reverse("briefings:composer", args=[audit.pk]): f"briefings.briefing%3A{briefing.pk}",
    }
    business_client = client_as(business)

    for url, record in pages.items():
        html = business_client.get(url).content.decode()
        assert f'href="{EVENTS}?record={record}"' in html, url
        assert "Who has seen this" in html, url
    practitioner_page = client_as(practitioner).get(
        reverse("audits:return-detail", args=[yp1_a.pk])
    )
    assert "Who has seen this" not in practitioner_page.content.decode()


def test_one_users_actions_exactly(client, business, practitioner, other_practitioner, child):
    client.force_login(business)

    response = client.get(EVENTS, {"actor": practitioner.pk, "kind": "access"})

    assert {r.actor for r in rows_of(response)} == {"practitioner"}  # not otherpractitioner
    assert "Only what <strong>practitioner</strong>" in response.content.decode()


def test_the_admin_user_page_links_the_accounts_trail(client, admin_user, practitioner):
    client.force_login(admin_user)

    html = client.get(reverse("admin:accounts_user_change", args=[practitioner.pk])).content
    html = html.decode()

    assert f'href="{EVENTS}?record=accounts.user%3A{practitioner.pk}"' in html
    assert f'href="{EVENTS}?actor={practitioner.pk}"' in html
