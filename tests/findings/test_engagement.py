import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from auditportal.models import AuditEvent
from findings import services
from findings.models import Engagement
from findings.selectors import engagement_figures
from tests.factories import AuditFactory, EngagementFactory

FIGURES = {"cyp_shared": 24, "cyp_responses": 9, "parent_shared": 20, "parent_responses": 6}


def test_engagement_save_creates_then_replaces(business):
    audit = AuditFactory()

    services.engagement_save(audit=audit, **FIGURES, actor=business)
    services.engagement_save(audit=audit, **{**FIGURES, "parent_responses": 7}, actor=business)

    engagement = Engagement.objects.get()
    assert (engagement.cyp_responses, engagement.parent_responses) == (9, 7)
    assert AuditEvent.objects.filter(code="engagement.saved").count() == 2


def test_response_rates_round_half_up_with_counts(db):
    figures = engagement_figures(EngagementFactory(**FIGURES))

    assert figures.children.display() == "38% (9 of 24)"
    assert figures.parents.display() == "30% (6 of 20)"


def test_response_rate_one_of_eight_is_13_percent(db):
    figures = engagement_figures(
        EngagementFactory(cyp_shared=8, cyp_responses=1, parent_shared=0, parent_responses=0)
    )

    assert figures.children.percent == 13
    assert figures.parents.display() == "no answers"


@pytest.mark.parametrize(
    ("field", "value"),
    [("cyp_responses", 25), ("parent_responses", 21), ("cyp_shared", -1), ("parent_responses", -2)],
)
def test_bad_counts_are_refused(business, field, value):
    audit = AuditFactory()

    with pytest.raises(ValidationError) as error:
        services.engagement_save(audit=audit, **{**FIGURES, field: value}, actor=business)

    assert field in error.value.message_dict
    assert Engagement.objects.count() == 0


def test_database_refuses_more_responses_than_shared(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementFactory(cyp_shared=3, cyp_responses=4)


def test_engagement_page_shows_rates(client_as, business):
    audit = AuditFactory()
    EngagementFactory(audit=audit, **FIGURES)

    response = client_as(business).get(reverse("findings:engagement", args=[audit.pk]))

    content = response.content.decode()
    assert "38% (9 of 24)" in content
    assert "30% (6 of 20)" in content


def test_engagement_page_saves(client_as, business):
    audit = AuditFactory()

    response = client_as(business).post(reverse("findings:engagement", args=[audit.pk]), FIGURES)

    assert response.status_code == 302
    assert Engagement.objects.get(audit=audit).cyp_shared == 24


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**FIGURES, "cyp_responses": 30}, "There cannot be more responses (30) than surveys"),
        ({**FIGURES, "parent_shared": -5}, "a count cannot be negative"),
        ({**FIGURES, "cyp_shared": "lots"}, "Enter a whole number"),
    ],
)
def test_engagement_page_bad_input_shows_error(client_as, business, data, message):
    audit = AuditFactory()
    EngagementFactory(audit=audit, cyp_shared=10, cyp_responses=4)

    response = client_as(business).post(reverse("findings:engagement", args=[audit.pk]), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Engagement.objects.get(audit=audit).cyp_shared == 10


@pytest.mark.parametrize("n", [1, 3])
def test_engagement_page_query_count(client_as, business, n, django_assert_num_queries):
    from tests.factories import QuoteFactory

    audit = AuditFactory()
    EngagementFactory(audit=audit)
    for _ in range(n):
        QuoteFactory(audit=audit)
    client = client_as(business)
    client.get(reverse("findings:engagement", args=[audit.pk]))

    # session, user, OTP device, audit, engagement, the audit's surveys with their responses
    # counted, codes issued (surveys/selectors.py: none here, so the typed figures), quotes
    with django_assert_num_queries(8):
        response = client.get(reverse("findings:engagement", args=[audit.pk]))

    assert response.status_code == 200
