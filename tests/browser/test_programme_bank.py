"""The question bank, question sets and the calendar address in a real browser (Chromium,
real CSP, axe-core on every kind of page)."""

import re

import pytest
from playwright.sync_api import expect

from audits.models import Question, QuestionSet

from .seed import open_audit, riverbend

pytestmark = pytest.mark.browser

NEW_QUESTION = "Which early signs of neglect were recorded?"


def test_business_team_edits_the_bank_and_versions_a_set(ui_for, transactional_db):
    rb = riverbend()
    audit, _ = open_audit(rb)
    ui = ui_for(rb.business)
    page = ui.page
    ui.check("Audit programme")

    ui.nav("Question bank")
    ui.check("Question bank", shot="question-bank")
    page.get_by_role("main").get_by_role("link", name="Add a question", exact=True).click()
    ui.check("Add a question")
    page.get_by_label(re.compile(r"^\s*Theme")).select_option(label="Recognition")
    page.get_by_label(re.compile(r"^\s*Question\b")).fill(NEW_QUESTION)
    page.get_by_label(re.compile(r"^\s*Type of answer")).select_option(label="Checklist")
    page.get_by_label(re.compile(r"^\s*Checklist options")).fill("Weight loss\nMissed checks")
    page.get_by_role("button", name="Save the question").click()
    ui.check("Question bank")
    expect(page.get_by_role("status")).to_contain_text("added to the bank")
    page.get_by_role("button", name=re.compile(f"move “{re.escape(NEW_QUESTION)}” up")).click()
    ui.check("Question bank")
    question = Question.objects.get(text=NEW_QUESTION)
    assert question.options == ["Weight loss", "Missed checks"]
    assert list(question.theme.questions.order_by("order")).index(question) == 1

    # The open audit's set is frozen: a new version is made to edit.
    ui.goto(f"/audits/question-sets/{rb.question_set.pk}/")
    ui.check("Question set Neglect deep dive questions", shot="question-set-frozen")
    page.get_by_role("button", name="Make a new version to edit").click()
    ui.check("Question set Neglect deep dive questions v2")
    page.get_by_role("main").get_by_role("link", name="Edit the set").click()
    ui.check("Edit Neglect deep dive questions v2", shot="question-set-edit")
    page.get_by_label(NEW_QUESTION).check()
    page.get_by_role("button", name="Save the question set").click()
    ui.check("Question set Neglect deep dive questions v2")
    version2 = QuestionSet.objects.get(name=rb.question_set.name, version=2)
    assert version2.items.filter(text=NEW_QUESTION).exists()
    assert not rb.question_set.items.filter(text=NEW_QUESTION).exists()
    assert audit.question_set_id == rb.question_set.pk

    # A private calendar address for calendar apps.
    ui.nav("Calendar")
    ui.check("Programme calendar")
    page.get_by_role("button", name="Get my calendar address").click()
    ui.check("Programme calendar", shot="programme-calendar-feed")
    address = page.get_by_label("Your calendar address").input_value()
    response = page.request.get(address.replace("http://127.0.0.1:8000", ui.base_url))
    assert response.status == 200
    assert "BEGIN:VEVENT" in response.text()
    assert "Child A" not in response.text()
