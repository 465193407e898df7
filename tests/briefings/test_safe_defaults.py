"""Safe defaults: a new partnership suppresses small counts, and a briefing with an unwritten
point cannot be published (issue 17, point 4)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from audits.models import Audit
from briefings import services
from briefings.data import LEAD_INS
from briefings.models import Briefing
from cases.models import Partnership

from .conftest import TOPIC, write_every_point


def pdf_text(version) -> str:
    with version.pdf.open("rb") as handle:
        text = "\n".join(page.extract_text() for page in PdfReader(handle).pages)
    return " ".join(text.split())


def test_a_new_partnership_suppresses_counts_below_3(db):
    Partnership.objects.all().delete()

    assert Partnership.load().suppression_threshold == 3


def test_the_published_pdf_suppresses_small_counts_by_default(briefing, business):
    """The sample has 2 cases, both graded good: "100% (2 of 2)" would say too much."""
    write_every_point(briefing, business)

    version = services.briefing_render_now(briefing=briefing, actor=business)

    text = pdf_text(version)
    assert version.content["suppress_below"] == 3
    assert "fewer than 3" in text
    assert "(2 of 2)" not in text


def test_the_composer_says_the_threshold_and_where_to_change_it(briefing, business, client_as):
    html = client_as(business).get(reverse("briefings:composer", args=[briefing.audit_id]))

    text = " ".join(html.content.decode().split())
    assert "Counts below 3 print as “fewer than 3”" in text
    assert reverse("admin:cases_partnership_changelist") in text


def test_the_composer_says_when_suppression_is_off(briefing, business, client_as):
    Partnership.objects.update(suppression_threshold=0)

    html = client_as(business).get(reverse("briefings:composer", args=[briefing.audit_id]))

    assert "Small-number suppression is off" in html.content.decode()


def _approved_version(briefing, business, business2, **text):
    write_every_point(briefing, business)
    if text:
        services.briefing_update(briefing=briefing, actor=business, **text)
    version = services.briefing_render_now(briefing=briefing, actor=business)
    return services.version_approve(version=version, actor=business2)


def test_publishing_with_an_empty_point_is_refused_naming_it(briefing, business, business2):
    version = _approved_version(briefing, business, business2, next_steps="  \n ")

    with pytest.raises(ValidationError) as refused:
        services.briefing_publish(version=version, actor=business2)

    assert "Point 6 (Next steps) is empty" in " ".join(refused.value.messages)
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.APPROVED
    assert briefing.published_version is None
    assert briefing.audit.status == Audit.Status.FINDINGS_AGREED


def test_publishing_point_7_with_only_its_lead_in_is_refused(briefing, business, business2):
    write_every_point(briefing, business)
    services.briefing_update(briefing=briefing, actor=business, resources=[])
    version = services.briefing_render_now(briefing=briefing, actor=business)
    services.version_approve(version=version, actor=business2)

    with pytest.raises(ValidationError) as refused:
        services.briefing_publish(version=version, actor=business2)

    assert "Point 7 (Resources) holds only its opening sentence" in " ".join(refused.value.messages)
    assert Briefing.objects.get().published_version is None


def test_point_7_lead_in_with_resources_chosen_can_be_published(briefing, business, business2):
    version = _approved_version(briefing, business, business2)
    assert version.content["sections"][6]["text"] == LEAD_INS["resources_text"]

    services.briefing_publish(version=version, actor=business2)

    assert Briefing.objects.get().published_version == version


def test_publishing_a_lead_in_only_point_shows_the_point_on_the_page(
    briefing, business, business2, client_as
):
    version = _approved_version(briefing, business, business2, will_do=LEAD_INS["will_do"] + "\n\n")

    response = client_as(business2).post(
        reverse("briefings:version-publish", args=[version.pk]), follow=True
    )

    html = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert "Point 5 (What will we do with the findings?) holds only its opening sentence" in html
    assert Briefing.objects.get().published_version is None
    assert TOPIC in Briefing.objects.get().topic
