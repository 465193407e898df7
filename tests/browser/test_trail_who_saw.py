"""A data protection officer (business team) answers "who saw this child's record?": the
practitioners open their returns for Child A, then the business team follows "Who has seen
this?" from the audit's case list, and searches the trail by pseudonym."""

import re

import pytest
from playwright.sync_api import expect

from .seed import answer_all, open_audit, riverbend

pytestmark = pytest.mark.browser

TITLE = "Neglect in families with younger children"


def test_who_saw_this_childs_record(ui_for, transactional_db):
    rb = riverbend()
    _audit, returns = open_audit(rb, title=TITLE)
    answer_all(returns[("Child A", "CSC")], rb)

    # The police practitioner opens their return for Child A (a view the trail records).
    police = ui_for(rb.police_practitioner)
    police.check("My returns")
    police.page.get_by_role("link", name=re.compile(r"Child A")).first.click()
    police.check("Return for Child A")

    dpo = ui_for(rb.business)
    page = dpo.page
    dpo.check("Audit programme")
    page.get_by_role("link", name=TITLE).click()
    dpo.check(TITLE)
    page.get_by_role("link", name="Who has seen this? (the trail of Child A)").click()
    dpo.check("Trail of the case Child A", shot="trail-who-saw-this-child")

    heading = page.get_by_role("heading", name=re.compile(r"Trail of the case Child A"))
    expect(heading).to_be_visible()
    trail = page.get_by_role("table", name=re.compile(r"Trail of the case Child A"))
    viewed = trail.get_by_role("row").filter(has_text="Viewed a return")
    expect(viewed.filter(has_text=rb.police_practitioner.username)).to_have_count(1)
    expect(trail).not_to_contain_text("Child B")
    expect(trail).to_contain_text("Answer to “How well was the risk of neglect recognised?”")

    # The same answer from the trail page: the pseudonym search.
    page.get_by_role("link", name="Show the whole trail").click()
    dpo.check("Audit trail")
    page.get_by_label(re.compile(r"^\s*Child \(case pseudonym\)")).fill("child a")
    page.get_by_role("button", name="Search").click()
    dpo.check("Trail of the case Child A")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export these rows (CSV)").click()
    assert download.value.suggested_filename.startswith(
        f"audit-trail-case-{returns[('Child A', 'CSC')].case_id}-"
    )
    police.assert_clean()
    dpo.assert_clean()
