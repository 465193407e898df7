"""Aggregate pages (results, trend, dashboards) are sent compressed to browsers that accept it;
pages that show a child's pseudonym or a practitioner's typed text are not (BREACH: see
docs/security.md, "Compressed pages")."""

import gzip

import pytest
from django.urls import reverse

from .results_builders import four_case_audit

pytestmark = pytest.mark.django_db


def get(client, url):
    return client.get(url, headers={"accept-encoding": "gzip, deflate, br"})


def test_the_results_page_is_compressed_and_reads_the_same(business, client_as):
    built = four_case_audit()
    client = client_as(business)
    url = reverse("findings:results", args=[built.audit.pk])

    compressed = get(client, url)
    plain = client.get(url)

    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    body = gzip.decompress(compressed.content)
    assert "75% (3 of 4)" in body.decode()
    assert len(compressed.content) < len(plain.content) / 3
    assert "Content-Encoding" not in plain


@pytest.mark.parametrize("role", ["business", "board"])
def test_the_dashboard_is_compressed(users, client_as, role):
    four_case_audit()

    response = get(client_as(users[role]), reverse("findings:dashboard"))

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"


def test_the_trend_page_is_compressed(business, client_as):
    built = four_case_audit()
    theme = built.audit.question_set.items.first().theme

    response = get(client_as(business), reverse("findings:trend", args=[theme.pk]))

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"


def test_pages_with_a_childs_pseudonym_are_not_compressed(business, client_as):
    built = four_case_audit()
    client = client_as(business)
    audit_page = get(client, reverse("audits:audit-detail", args=[built.audit.pk]))
    evidence = get(
        client,
        reverse(
            "findings:results-evidence",
            args=[built.audit.pk, built.audit.question_set.items.first().theme_id],
        ),
    )

    assert audit_page.status_code == evidence.status_code == 200
    assert "Content-Encoding" not in audit_page
    assert "Content-Encoding" not in evidence
