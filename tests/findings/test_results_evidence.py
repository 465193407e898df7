"""A theme's evidence texts on the results page: counted on the page, loaded on demand
(findings:results-evidence), the list alone for htmx and a page of its own without it."""

import pytest
from django.urls import reverse

from audits.models import Answer, Question
from cases.models import RecordReference
from tests.factories import AgencyFactory, ThemeFactory

from .results_builders import answer, four_case_audit, item, sized_audit

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def evidence_url(audit, theme_id) -> str:
    return reverse("findings:results-evidence", args=[audit.pk, theme_id])


def recognition_url(built) -> str:
    return evidence_url(built.audit, built.items["G1"].theme_id)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("business", 200),
        ("admin", 200),
        # None of them can see the audit (no agency of theirs takes part): 404, not 403.
        ("practitioner", 404),
        ("other_practitioner", 404),
        ("board", 404),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_results_evidence_permissions(users, client_as, role, expected, headers):
    built = four_case_audit()

    response = client_as(users[role]).get(recognition_url(built), **headers)

    assert response.status_code == expected
    if expected != 200:
        assert "No strategy discussion." not in response.content.decode()


def test_results_evidence_for_htmx_is_the_list_alone(business, client_as):
    built = four_case_audit()

    response = client_as(business).get(recognition_url(built), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.count('class="evidence-item"') == 3
    assert "No strategy discussion." in html
    assert "Referral made the same day." in html
    assert "Draft: not yet submitted." not in html  # an in-progress return
    assert "Her words are quoted." not in html  # another theme
    assert reverse("findings:moderate", args=[built.answers["YP3-A-G1"].pk]) in html
    assert reverse("findings:finding-promote", args=[built.answers["YP3-A-G1"].pk]) in html
    assert f'id="answer-{built.answers["YP3-A-G1"].pk}"' in html
    assert "<strong>YP3</strong> · Riverbend Children&#x27;s Services" in html
    assert "HX-Request" in response["Vary"]


def test_results_evidence_without_htmx_is_a_page(business, client_as):
    built = four_case_audit()

    response = client_as(business).get(recognition_url(built))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Evidence for Recognition</h1>" in html
    assert html.count('class="evidence-item"') == 3
    back = (
        reverse("findings:results", args=[built.audit.pk]) + f"#theme-{built.items['G1'].theme_id}"
    )
    assert f'href="{back}"' in html


def test_results_evidence_escapes_text(business, client_as):
    built = four_case_audit()
    Answer.objects.filter(pk=built.answers["YP3-A-G1"].pk).update(
        evidence='<script>alert("x")</script>\nSecond line'
    )

    html = client_as(business).get(recognition_url(built), **HTMX).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>Second line" in html
    assert "=HYPERLINK(&quot;http://x&quot;)" in html


def test_results_evidence_never_shows_record_references(business, client_as):
    built = four_case_audit()

    html = client_as(business).get(recognition_url(built)).content.decode()

    for reference in RecordReference.objects.values_list("reference", flat=True):
        assert reference not in html


def test_results_evidence_of_theme_without_texts_says_so(business, client_as):
    built = four_case_audit()
    risk_theme = built.items["R"].theme_id

    response = client_as(business).get(evidence_url(built.audit, risk_theme), **HTMX)

    assert response.status_code == 200
    assert "No evidence has been written for Risk factors" in response.content.decode()


def test_results_evidence_of_theme_not_in_the_audit_is_404(business, client_as):
    built = four_case_audit()
    elsewhere = ThemeFactory(name="Exploitation")

    response = client_as(business).get(evidence_url(built.audit, elsewhere.pk), **HTMX)

    assert response.status_code == 404


def test_results_evidence_of_unknown_theme_or_audit_is_404(business, client_as):
    built = four_case_audit()
    client = client_as(business)

    unknown_theme = client.get(evidence_url(built.audit, 999999))
    unknown_audit = client.get(
        reverse("findings:results-evidence", args=[999999, built.items["G1"].theme_id])
    )

    assert (unknown_theme.status_code, unknown_audit.status_code) == (404, 404)


def test_results_page_shows_evidence_counts_and_links_not_texts(business, client_as):
    built = four_case_audit()
    recognition, voice = built.items["G1"].theme_id, built.items["G3"].theme_id

    response = client_as(business).get(reverse("findings:results", args=[built.audit.pk]))

    html = response.content.decode()
    assert "3 evidence texts for Recognition" in html
    assert "1 evidence text for Voice of the child" in html
    assert f'hx-get="{evidence_url(built.audit, recognition)}"' in html
    assert f'href="{evidence_url(built.audit, voice)}"' in html
    assert "No strategy discussion." not in html
    assert html.count("No evidence has been written") == 0  # Risk factors has no grades


def test_results_page_counts_evidence_of_ungraded_themes(business, client_as):
    built = four_case_audit()
    risks = built.items["R"].theme
    notes = item(
        built.audit.question_set, risks, "Anything else about risk?", Question.Kind.TEXT, 8
    )
    answer(built.returns["YP1-A"], notes, text="Older sibling is a young carer.")
    answer(built.returns["YP2-B"], notes, text="Not submitted yet.")

    page = client_as(business).get(reverse("findings:results", args=[built.audit.pk]))
    partial = client_as(business).get(evidence_url(built.audit, risks.pk), **HTMX)

    assert "1 evidence text for Risk factors" in page.content.decode()
    assert f'id="theme-{risks.pk}-heading">Risk factors</h3>' in page.content.decode()
    assert "Older sibling is a young carer." in partial.content.decode()
    assert "Not submitted yet." not in partial.content.decode()


def test_moderation_returns_to_the_themes_evidence(business, client_as):
    built = four_case_audit()
    target = built.answers["YP3-A-G1"]

    response = client_as(business).post(
        reverse("findings:moderate", args=[target.pk]),
        {"moderated_choice": "requires_improvement", "reason": "Strategy discussion was late."},
    )

    assert response.status_code == 302
    assert response["Location"] == recognition_url(built) + f"#answer-{target.pk}"


@pytest.mark.parametrize("cases", [1, 3])
def test_results_evidence_query_count(business, client_as, django_assert_num_queries, cases):
    audit = sized_audit(cases=cases, agencies=[AgencyFactory(), AgencyFactory()])
    theme_id = audit.question_set.items.get(kind="grade").theme_id
    client = client_as(business)
    client.get(evidence_url(audit, theme_id), **HTMX)  # warm the session and partnership caches

    # session, user, two-factor device, audit, the theme's name, its evidence texts (with
    # question, case and agency), the access row
    with django_assert_num_queries(7):
        response = client.get(evidence_url(audit, theme_id), **HTMX)

    assert response.content.decode().count('class="evidence-item"') == cases * 2
