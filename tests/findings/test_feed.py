"""The aggregate data feed: figures of published audits behind a named, revocable token."""

import csv
import hashlib
import io
import json

import pytest
from django.urls import reverse

from auditportal.models import AuditEvent
from audits.models import Audit
from cases.models import Partnership
from findings.feed import feed_token_create, feed_token_revoke
from findings.models import FeedToken
from tests.factories import AgencyFactory

from .results_builders import four_case_audit, sized_audit

pytestmark = pytest.mark.django_db


def _url(fmt: str) -> str:
    return reverse("findings:feed-data", args=[fmt])


def _read(client, fmt: str, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.get(_url(fmt), headers=headers)


@pytest.fixture
def published(db):
    Partnership.objects.update_or_create(pk=1, defaults={"suppression_threshold": 3})
    return four_case_audit(status=Audit.Status.PUBLISHED)


def test_only_a_hash_of_the_token_is_stored(business):
    feed_token, token = feed_token_create(actor=business, name="Board Power BI report")

    stored = FeedToken.objects.get(pk=feed_token.pk)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.token_hash, stored.prefix, stored.name}
    assert AuditEvent.objects.filter(code="feed.token_created").count() == 1


def test_the_json_feed_holds_the_dashboards_figures_with_suppression(client, business, published):
    _, token = feed_token_create(actor=business, name="Board Power BI report")

    response = _read(client, "json", token)

    body = json.loads(response.content)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    grades = [r for r in body["figures"] if r["section"] == "Theme grades"]
    assert {r["theme"] for r in grades} == {"Recognition", "Voice of the child"}
    assert {r["audit"] for r in grades} == {"Riverbend neglect deep dive"}
    assert {r["grade_basis"] for r in grades} == {"moderated grades where recorded"}
    hidden = [r for r in grades if r["shown"] == "fewer than 3"]
    assert hidden and all(r["count"] is None and r["percent"] is None for r in hidden)
    assert body["meta"]["suppression_threshold"] == 3
    assert "YP1" not in response.content.decode()
    assert "RB-" not in response.content.decode()


def test_the_csv_feed_has_a_header_and_the_same_rows(client, business, published):
    _, token = feed_token_create(actor=business, name="Excel workbook")

    as_json = json.loads(_read(client, "json", token).content)["figures"]
    response = _read(client, "csv", token)

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert len(rows) == len(as_json)
    assert rows[0].keys() == as_json[0].keys()


def test_every_read_is_in_the_trail(client, business, published):
    feed_token, token = feed_token_create(actor=business, name="Board Power BI report")

    _read(client, "csv", token)
    _read(client, "json", token)

    reads = AuditEvent.objects.filter(code="feed.read").order_by("pk")
    assert [(e.target_id, e.changes["format"]) for e in reads] == [
        (str(feed_token.pk), "csv"),
        (str(feed_token.pk), "json"),
    ]
    assert FeedToken.objects.get(pk=feed_token.pk).last_used_at is not None


def test_a_revoked_token_reads_nothing_and_is_in_the_trail(client, business, published):
    feed_token, token = feed_token_create(actor=business, name="Old report")
    feed_token_revoke(actor=business, feed_token=feed_token)

    response = _read(client, "json", token)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Recognition" not in response.content.decode()
    refused = AuditEvent.objects.get(code="feed.refused")
    assert refused.changes == {"format": "json", "reason": "unknown or revoked token"}
    assert token not in json.dumps(refused.changes)


def test_a_token_that_never_existed_is_401_and_in_the_trail(client, published):
    response = _read(client, "csv", "apf_not-a-real-token")

    assert response.status_code == 401
    assert AuditEvent.objects.filter(code="feed.refused").count() == 1


def test_another_partnerships_token_is_401(client, business, published):
    other = Partnership.objects.create(pk=2)
    feed_token, token = feed_token_create(actor=business, name="Neighbour's report")
    FeedToken.objects.filter(pk=feed_token.pk).update(partnership=other)

    response = _read(client, "json", token)

    assert response.status_code == 401


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_unauthenticated_request_is_401_even_with_a_session(client, board, fmt, published):
    client.force_login(board)  # a session is not a token

    response = _read(client, fmt, None)

    assert response.status_code == 401
    assert AuditEvent.objects.get(code="feed.refused").changes["reason"] == "no token"


def test_the_business_team_creates_names_and_revokes_tokens_in_the_browser(business, client_as):
    client = client_as(business)

    created = client.post(reverse("findings:feed-tokens"), {"name": "Board Power BI report"})
    feed_token = FeedToken.objects.get()
    revoked = client.post(reverse("findings:feed-token-revoke", args=[feed_token.pk]))

    html = created.content.decode()
    assert "Copy this token now." in html
    assert feed_token.prefix in html
    assert revoked.status_code == 302
    assert FeedToken.objects.get().revoked_at is not None


def test_a_token_without_a_name_is_refused_on_the_page(business, client_as):
    response = client_as(business).post(reverse("findings:feed-tokens"), {"name": ""})

    assert response.status_code == 400
    assert "Name the token" in response.content.decode()
    assert FeedToken.objects.count() == 0


@pytest.mark.parametrize("audits", [1, 3])
def test_the_feed_takes_the_same_queries_however_many_audits(
    client, business, django_assert_num_queries, audits
):
    agency = AgencyFactory()
    for n in range(audits):
        sized_audit(cases=2, agencies=[agency], status=Audit.Status.PUBLISHED, title=f"Audit {n}")
    _, token = feed_token_create(actor=business, name="Report")

    # token, partnership (twice: the token's check and the figures), theme trends (2),
    # actions, re-audits; the trail row; last read
    with django_assert_num_queries(9):
        response = _read(client, "json", token)

    assert response.status_code == 200


@pytest.mark.parametrize("tokens", [1, 3])
def test_the_token_page_takes_the_same_queries_however_many_tokens(
    business, client_as, django_assert_num_queries, tokens
):
    for n in range(tokens):
        feed_token_create(actor=business, name=f"Report {n}")
    client = client_as(business)

    with django_assert_num_queries(4):  # session, user, two-factor device, tokens
        response = client.get(reverse("findings:feed-tokens"))

    assert response.status_code == 200


def test_active_tokens_are_listed_before_revoked_ones(business, client_as):
    feed_token_create(actor=business, name="New report")
    old, _ = feed_token_create(actor=business, name="Old report")  # newer, but revoked
    feed_token_revoke(actor=business, feed_token=old)

    response = client_as(business).get(reverse("findings:feed-tokens"))

    assert [t.name for t in response.context["tokens"]] == ["New report", "Old report"]
