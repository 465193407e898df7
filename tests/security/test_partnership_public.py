"""The seal on the pages that need no sign-in and on main's newer features: a data feed token,
a survey code or resume cookie, or a public briefing link of partnership A used on B's host
answers exactly what an unknown one answers; a child summary's render carries its
partnership to the worker."""

import re

import pytest
from django.urls import reverse

from auditportal.models import OutboxMessage
from auditportal.tenancy import partnership_context
from findings.feed import feed_token_create
from surveys import answering
from surveys.views.public import COOKIE
from tests.tenancy import SECOND_HOST

from .test_partnership_seal import A_IDENTIFIERS

pytestmark = pytest.mark.django_db

UNKNOWN_CODE = "ABCD-EFGH-JKMN"


def _feed(client, token: str, host: str = "testserver"):
    return client.get(
        reverse("findings:feed-data", args=["json"]),
        headers={"Authorization": f"Bearer {token}"},
        HTTP_HOST=host,
    )


def test_a_feed_token_of_a_reads_nothing_on_bs_host(client, business, second):
    _, token = feed_token_create(actor=business, name="Board Power BI report")

    assert _feed(client, token).status_code == 200
    on_b = _feed(client, token, SECOND_HOST)
    assert on_b.status_code == 401
    assert on_b.content == _feed(client, "apf_not-a-real-token", SECOND_HOST).content


def _text(response) -> str:
    """The page without its per-response secrets (CSRF token, script nonce)."""
    return re.sub(r'(content|nonce|value)="[A-Za-z0-9+/=_-]{20,}"', "", response.content.decode())


def test_a_survey_code_of_a_is_an_unknown_code_on_bs_host(client, world_a, second):
    code = world_a["survey_code"]
    assert client.get(reverse("survey_public:code", args=[code])).status_code == 200

    typed = client.post(reverse("survey_public:start"), {"code": code}, HTTP_HOST=SECOND_HOST)
    unknown = client.post(
        reverse("survey_public:start"), {"code": UNKNOWN_CODE}, HTTP_HOST=SECOND_HOST
    )
    linked = client.get(reverse("survey_public:code", args=[code]), HTTP_HOST=SECOND_HOST)
    linked_unknown = client.get(
        reverse("survey_public:code", args=[UNKNOWN_CODE]), HTTP_HOST=SECOND_HOST
    )

    assert typed.status_code == unknown.status_code == 404
    assert linked.status_code == linked_unknown.status_code == 404
    assert "We could not find that code" in _text(typed)
    assert _text(typed) == _text(unknown)
    assert _text(linked) == _text(linked_unknown)
    with partnership_context(world_a["audit"].partnership_id):
        assert answering.code_find(code)  # still unused in A


def test_a_survey_started_in_a_does_not_resume_on_bs_host(client, world_a, second):
    started = client.post(reverse("survey_public:start"), {"code": world_a["survey_code"]})
    assert started.status_code == 302 and client.cookies[COOKIE].value

    assert client.get(reverse("survey_public:answer")).status_code == 200
    on_b = client.get(reverse("survey_public:answer"), HTTP_HOST=SECOND_HOST)
    assert on_b.status_code == 302
    assert on_b["Location"] == reverse("survey_public:start")
    start_b = client.get(reverse("survey_public:start"), HTTP_HOST=SECOND_HOST)
    assert not [text for text in A_IDENTIFIERS if text in _text(start_b)]


def test_a_public_briefing_link_of_a_is_unknown_on_bs_host(client, world_a, second):
    url = reverse("briefings:public", args=[world_a["public_link"].token])
    nobody = reverse("briefings:public", args=["not-a-token-of-anyone"])

    assert client.get(url).status_code == 200
    on_b = client.get(url, HTTP_HOST=SECOND_HOST)
    assert on_b.status_code == client.get(nobody, HTTP_HOST=SECOND_HOST).status_code == 404


def test_a_child_summary_render_carries_its_partnership_to_the_worker(
    world_a, business, second, django_capture_on_commit_callbacks
):
    from audits.models import SampleCase
    from findings.child_summary import child_summary_request
    from findings.models import ChildSummary
    from findings.tasks import render_child_summary

    sample = SampleCase.objects.get(audit=world_a["audit"], case=world_a["case"])
    with django_capture_on_commit_callbacks():
        summary = child_summary_request(sample_case=sample, actor=business)
    message = OutboxMessage.objects.get(task="findings.render_child_summary")

    assert message.kwargs == {"summary_id": summary.pk, "partnership_id": sample.partnership_id}
    with partnership_context(second):  # the worker runs in the task's partnership, not B's
        assert render_child_summary.apply(kwargs=message.kwargs).get() in {"ready", "refused"}
        assert not ChildSummary.objects.filter(pk=summary.pk).exists()
    assert ChildSummary.objects.get(pk=summary.pk).status != ChildSummary.Status.QUEUED


def test_the_results_statement_counts_nothing_of_a_for_b(world_a, second):
    """The results of an audit come from one hand-written SQL statement: it applies the first
    lock itself, so run for B it counts nothing of A's audit (PostgreSQL's second lock aside:
    the test runs as the superuser, which row-level security does not bind)."""
    from findings.results.statement import audit_counts

    audit = world_a["audit"]
    ids = {"audit_id": audit.pk, "question_set_id": audit.question_set_id}
    rows_a = audit_counts(**ids)
    with partnership_context(second):
        rows_b = audit_counts(**ids)

    assert {row[0] for row in rows_a} >= {"item", "agency", "cases"}
    assert [row for row in rows_b if row[0] != "cases"] == []
    assert [row[7:] for row in rows_b if row[0] == "cases"] == [(0, 0)]


def test_a_form_built_after_another_partnership_imported_it_offers_only_its_own_agencies(
    agency_a, second
):
    """No form keeps a queryset from the partnership that first imported its module."""
    from audits.sample_forms import AddChosenForm
    from tests.factories import AgencyFactory

    with partnership_context(second):
        northmoor = AgencyFactory(name="Northmoor Police", short_name="NP")
        offered_b = list(AddChosenForm().fields["agencies"].queryset)
    offered_a = list(AddChosenForm().fields["agencies"].queryset)

    assert offered_b == [northmoor]
    assert agency_a in offered_a and northmoor not in offered_a
