"""One grade basis for everything the board reads, and every grade figure says which."""

import pytest
from django.urls import reverse

from audits.models import Audit
from briefings.data import snapshot
from briefings.document import version_html
from cases.models import GradeBasis, Partnership
from tests.factories import BriefingFactory

from .results_builders import four_case_audit, moderate_four_cases

pytestmark = pytest.mark.django_db

MODERATED_CAPTION = (
    "Grade basis: grades as agreed at moderation, the moderated grade where one was recorded, "
    "otherwise the agency's own grade."
)
AGENCY_CAPTION = "Grade basis: agency grades, as each agency's auditor gave them (not moderated)."


def _published_moderated_audit():
    built = four_case_audit(status=Audit.Status.PUBLISHED)
    moderate_four_cases(built)
    Partnership.objects.update_or_create(pk=1, defaults={"suppression_threshold": 0})
    return built


def _set_basis(basis: str) -> None:
    Partnership.objects.filter(pk=1).update(board_grade_basis=basis)


def _dashboard_recognition(client) -> list[str]:
    response = client.get(reverse("findings:dashboard"))
    trend = next(
        t["trend"] for t in response.context["trends"] if t["trend"].theme_name == "Recognition"
    )
    return [figure.display() for figure in trend.points[-1].grades]


def _briefing_recognition(audit: Audit) -> list[str]:
    content = snapshot(BriefingFactory(audit=audit))
    row = next(r for r in content["data"]["grades"] if r["theme"] == "Recognition")
    return [grade["display"] for grade in row["grades"]]


@pytest.mark.parametrize("basis", [GradeBasis.MODERATED, GradeBasis.AGENCY])
def test_the_dashboard_and_the_briefing_agree_for_the_same_audit(board, client_as, basis):
    built = _published_moderated_audit()
    _set_basis(basis)

    on_dashboard = _dashboard_recognition(client_as(board))
    in_briefing = _briefing_recognition(built.audit)

    assert on_dashboard == in_briefing


def test_the_two_bases_give_different_figures_for_the_moderated_audit(board, client_as):
    _published_moderated_audit()
    client = client_as(board)

    _set_basis(GradeBasis.MODERATED)
    moderated = _dashboard_recognition(client)
    _set_basis(GradeBasis.AGENCY)
    agency = _dashboard_recognition(client)

    # Moderation changed two Recognition grades (results_builders.moderate_four_cases).
    assert moderated != agency


@pytest.mark.parametrize(
    ("basis", "caption"),
    [(GradeBasis.MODERATED, MODERATED_CAPTION), (GradeBasis.AGENCY, AGENCY_CAPTION)],
)
def test_the_basis_is_labelled_on_the_dashboard_results_briefing_and_export(
    board, business, client_as, basis, caption
):
    built = _published_moderated_audit()
    _set_basis(basis)

    dashboard = client_as(board).get(reverse("findings:dashboard")).content.decode()
    client = client_as(business)
    results = client.get(reverse("findings:results", args=[built.audit.pk])).content.decode()
    export = client.get(reverse("findings:results-export", args=[built.audit.pk, "csv"]))
    printed = version_html(snapshot(BriefingFactory(audit=built.audit)), version_label="v1")

    assert caption in dashboard.replace("&#x27;", "'")
    assert caption in results.replace("&#x27;", "'")
    assert caption in printed.replace("&#x27;", "'")
    label = "moderated" if basis == GradeBasis.MODERATED else "agency"
    assert f"results-{label}-grades" in export["Content-Disposition"]
    assert f"Grades ({label} grades)" in export.content.decode("utf-8-sig")


def test_the_results_page_switch_overrides_the_partnership_basis(business, client_as):
    built = _published_moderated_audit()
    _set_basis(GradeBasis.MODERATED)

    response = client_as(business).get(
        reverse("findings:results", args=[built.audit.pk]), {"grades": "agency"}
    )

    assert response.context["use_moderated"] is False
    assert AGENCY_CAPTION in response.content.decode().replace("&#x27;", "'")
