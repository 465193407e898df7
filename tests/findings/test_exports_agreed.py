"""The results exports offer the results page's third basis, the agreed case grades: one
grade per child and theme, with the basis in the file's name and its section column."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from auditportal.models import AuditEvent
from audits.models import Audit
from tests.findings.test_child_page import _post, _url, moderated  # noqa: F401
from tests.findings.test_exports import _rows


def _agree(client, built) -> None:
    theme_id = built.items["grade"].theme_id
    client.post(_url(built, 0), _post(built, theme_id))
    client.post(
        _url(built, 1),
        _post(built, theme_id, **{f"grade-{theme_id}": "good", f"reason-{theme_id}": "Yes."}),
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_results_export_has_the_agreed_case_grades(client_as, business, moderated, fmt):  # noqa: F811
    client = client_as(business)
    _agree(client, moderated)
    Audit.objects.filter(pk=moderated.audit.pk).update(title="Riverbend deep dive")
    url = reverse("findings:results-export", args=[moderated.audit.pk, fmt])

    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, 30), tick=False):
        response = client.get(url, {"grades": "agreed"})

    assert response["Content-Disposition"] == (
        f'attachment; filename="riverbend-deep-dive-results-agreed-case-grades-2026-05-04.{fmt}"'
    )
    rows = _rows(response)
    grades = [row for row in rows if row[0].startswith("Grades")]
    assert {row[0] for row in grades} == {"Grades (agreed case grades)"}
    # One per child: of the two children, one Good and one Requires improvement.
    counts = {row[4]: (row[5], row[6]) for row in grades if row[3] == "All agencies"}
    assert counts["Good"] == ("1", "2")
    assert counts["Requires improvement"] == ("1", "2")
    assert all(row[3] == "All agencies" for row in grades)  # per child, not per agency
    assert not [
        row for row in rows if row[0] == "Agreement of moderated and agency grades" and row[1]
    ]
    event = AuditEvent.objects.get(code="audit.results_exported")
    assert event.changes["grades"] == "agreed"


def test_the_results_page_links_its_agreed_basis_to_the_exports(client_as, business, moderated):  # noqa: F811
    html = (
        client_as(business)
        .get(reverse("findings:results", args=[moderated.audit.pk]), {"grades": "agreed"})
        .content.decode()
    )

    csv_url = reverse("findings:results-export", args=[moderated.audit.pk, "csv"])
    assert f'href="{csv_url}?grades=agreed"' in html
