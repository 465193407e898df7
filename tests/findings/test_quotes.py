import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from findings import services
from findings.models import QUOTE_LIMIT, Quote
from findings.selectors import consented_quotes
from tests.factories import AuditFactory, QuoteFactory


def test_only_consented_quotes_are_offered_to_briefings(db):
    audit = AuditFactory()
    second = QuoteFactory(audit=audit, consent=True, order=2, text="second")
    first = QuoteFactory(audit=audit, consent=True, order=1, text="first")
    QuoteFactory(audit=audit, consent=False, order=3, text="no consent")
    QuoteFactory(consent=True, text="another audit")

    assert list(consented_quotes(audit)) == [first, second]


def test_quote_create_appends(business):
    audit = AuditFactory()

    one = services.quote_create(
        audit=audit, text="They listened", source_label="young person", consent=True, actor=business
    )
    two = services.quote_create(
        audit=audit, text="It helped", source_label="parent", consent=False, actor=business
    )

    assert (one.order, two.order) == (1, 2)


def test_quote_at_the_limit_is_accepted_and_over_is_refused(business):
    audit = AuditFactory()

    services.quote_create(
        audit=audit, text="x" * QUOTE_LIMIT, source_label="parent", consent=True, actor=business
    )
    with pytest.raises(ValidationError) as error:
        services.quote_create(
            audit=audit,
            text="x" * (QUOTE_LIMIT + 1),
            source_label="parent",
            consent=True,
            actor=business,
        )

    assert "at most 400 characters" in error.value.message_dict["text"][0]
    assert Quote.objects.count() == 1


def test_quote_needs_a_source_label(business):
    with pytest.raises(ValidationError) as error:
        services.quote_create(
            audit=AuditFactory(), text="Hi", source_label=" ", consent=True, actor=business
        )

    assert "source_label" in error.value.message_dict


def test_quote_move(business):
    audit = AuditFactory()
    one = QuoteFactory(audit=audit, order=1, text="one")
    QuoteFactory(audit=audit, order=2, text="two")

    services.quote_move(quote=one, direction="down", actor=business)

    assert list(Quote.objects.filter(audit=audit).values_list("text", flat=True)) == [
        "two",
        "one",
    ]


def test_quote_create_view_over_limit_shows_error(client_as, business):
    audit = AuditFactory()

    response = client_as(business).post(
        reverse("findings:quote-create", args=[audit.pk]),
        {"text": "y" * 401, "source_label": "parent", "consent": "on"},
    )

    assert response.status_code == 200
    assert "at most 400 characters (this one has 401)" in response.content.decode()
    assert Quote.objects.count() == 0


def test_quote_update_view_withdraws_consent(client_as, business):
    quote = QuoteFactory(consent=True)

    response = client_as(business).post(
        reverse("findings:quote-update", args=[quote.pk]),
        {"text": quote.text, "source_label": quote.source_label},
    )

    quote.refresh_from_db()
    assert response.status_code == 302
    assert quote.consent is False
    assert list(consented_quotes(quote.audit)) == []


def test_quote_delete_view(client_as, business):
    quote = QuoteFactory()

    client_as(business).post(reverse("findings:quote-delete", args=[quote.pk]))

    assert Quote.objects.count() == 0


def test_engagement_page_marks_quotes_without_consent(client_as, business):
    audit = AuditFactory()
    QuoteFactory(audit=audit, consent=False, text="Please do not print me")

    response = client_as(business).get(reverse("findings:engagement", args=[audit.pk]))

    assert "No consent: not used in briefings" in response.content.decode()
