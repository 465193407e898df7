"""The sample builder in a real browser: upload a candidate list (first with a mistake, shown
per row), propose a sample from a seed, swap a child, add the chosen children to the audit."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from audits.models import SampleCandidate
from cases.models import Case
from tests.factories import AuditFactory

from .seed import riverbend

pytestmark = pytest.mark.browser

NEEDS = ["Child protection (tier 4)"] * 3 + ["Child in need (tier 3)"] * 2 + ["Early help (tier 2)"]
AGES = [label for _, label in Case.AgeBand.choices]
GENDERS = [label for _, label in Case.Gender.choices]
ETHNICITIES = [label for _, label in Case.Ethnicity.choices]


def candidate_file(n: int, *, mistake: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Pseudonym", "Age band", "Gender", "Ethnicity", "Level of need"])
    for i in range(n):
        age = "14" if mistake and i == 2 else AGES[i % 7]
        writer.writerow([f"Child {i + 1}", age, GENDERS[i % 4], ETHNICITIES[i % 6], NEEDS[i % 6]])
    return out.getvalue().encode()


def test_business_team_builds_a_sample_from_a_candidate_list(ui_for, transactional_db):
    rb = riverbend()
    audit = AuditFactory(title="Neglect re-audit", question_set=rb.question_set)
    ui = ui_for(rb.business)
    page = ui.page
    ui.check("Audit programme")

    ui.goto(f"/audits/{audit.pk}/")
    ui.check("Neglect re-audit")
    page.get_by_role("link", name="Build a sample").click()
    ui.check("Build a sample: Neglect re-audit")
    expect(page.get_by_role("main")).to_contain_text(
        "The candidate list is deleted when the audit opens (the children you add stay in its"
    )

    upload = page.get_by_label("Candidate list (CSV)")
    upload.set_input_files(
        files=[
            {"name": "list.csv", "mimeType": "text/csv", "buffer": candidate_file(24, mistake=True)}
        ]
    )
    page.get_by_role("button", name="Upload").click()
    ui.check("Build a sample: Neglect re-audit", shot="sample-builder-errors")
    errors = page.get_by_role("alert")
    expect(errors).to_contain_text("Nothing was imported: 1 problem to fix")
    expect(errors.get_by_role("row").nth(1)).to_contain_text("4Age band“14” is not one of")
    assert not SampleCandidate.objects.exists()

    page.get_by_label("Candidate list (CSV)").set_input_files(
        files=[{"name": "list.csv", "mimeType": "text/csv", "buffer": candidate_file(24)}]
    )
    page.get_by_role("button", name="Upload").click()
    ui.check("Build a sample: Neglect re-audit")
    expect(page.get_by_role("status")).to_contain_text("24 candidates uploaded.")

    page.get_by_label("Children in the sample").fill("6")
    page.get_by_label("Seed").fill("2026")
    page.get_by_role("button", name="Propose a sample").click()
    ui.check("Build a sample: Neglect re-audit")
    expect(page.locator("#proposal-summary")).to_have_text("Proposed: 6 of 24, seed 2026.")
    need = page.get_by_role("table", name="Level of need")
    expect(need.get_by_role("row", name=re.compile("^Child protection"))).to_contain_text(
        "Child protection (tier 4)3"
    )

    take_out = SampleCandidate.objects.filter(chosen=True).order_by("row_number").first()
    put_in = SampleCandidate.objects.filter(chosen=False).order_by("row_number").first()
    page.get_by_label("Take out").select_option(str(take_out.pk))
    page.get_by_label("Put in").select_option(str(put_in.pk))
    page.get_by_role("button", name="Swap").click()
    ui.check("Build a sample: Neglect re-audit", shot="sample-builder")
    expect(page.get_by_role("status")).to_contain_text(
        f"{put_in.pseudonym} is proposed instead of {take_out.pseudonym}."
    )
    expect(page.locator("#proposal-summary")).to_contain_text("then 1 swap")

    page.get_by_label(rb.csc.name).check()
    page.get_by_role("button", name="Add the 6 chosen children to the audit").click()
    ui.check("Cases: Neglect re-audit")
    expect(page.get_by_role("status")).to_contain_text("6 children added to the sample")
    chosen = set(SampleCandidate.objects.filter(chosen=True).values_list("pseudonym", flat=True))
    assert set(audit.cases.values_list("pseudonym", flat=True)) == chosen
    assert put_in.pseudonym in chosen
    ui.assert_clean()
