"""Issue 18's journey in Chromium: the business team builds a children's survey (the
plain-language check answering as they type), opens it and prints three letters; a child on a
phone answers with a code, closes the page half-way, comes back to where they were, and agrees
to be quoted; the business team approves the quote after taking a name out, chooses it for
the briefing, and sees it there; the engagement figures counted the response, nothing typed."""

import re

import pytest
from playwright.sync_api import expect

from findings.models import Engagement, Quote
from surveys import issuing
from surveys.models import SurveyAnswer, SurveyResponse
from tests.surveys.factories import answer_all

from .seed import open_audit, riverbend

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WORDS = "I want more time with my worker Sam because she listens to me."
EDITED = "I want more time with my worker because she listens to me."


def _reopen(ui) -> None:
    """Close the page and open a new one in the same browser (cookies kept, as on a phone)."""
    context = ui.page.context
    ui.page.close()
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.on("console", lambda m: m.type == "error" and ui.errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: ui.errors.append(f"page error: {error}"))
    page.on(
        "response",
        lambda r: r.status >= 400 and ui.errors.append(f"HTTP {r.status} from {r.url}"),
    )
    ui.page = page


def test_child_answers_on_a_phone_resumes_consents_and_the_quote_reaches_the_briefing(
    ui_for, transactional_db
):
    rb = riverbend()
    audit, _returns = open_audit(rb)

    # The business team makes the children's version and adds a question.
    bea = ui_for(rb.business)
    bea.check("Audit programme")
    bea.goto(f"/audits/{audit.pk}/")
    bea.check(audit.title)
    bea.page.get_by_role("link", name="Surveys", exact=True).click()
    bea.check(f"Surveys: {audit.title}")
    bea.page.get_by_label("Children and young people").check()
    bea.page.get_by_role("button", name="Make the survey").click()
    bea.check("Children and young people survey")
    bea.page.get_by_role("link", name="Add a question").click()
    bea.check("Add a question")
    bea.page.get_by_label("Pick one from a list").check()
    question = bea.page.get_by_role("textbox", name=re.compile(r"^\s*Question\b"))
    question.fill("Which of the following professionals do you consider most approachable?")
    check = bea.page.locator("#plain-language")
    expect(check).to_contain_text("Could be plainer")
    expect(check).to_contain_text("professionals")
    bea.assert_accessible()
    bea.screenshot("survey-question-plain-language")
    question.fill("Who is easiest to talk to?")
    expect(check).to_contain_text("Plain language")
    choices = bea.page.get_by_role("textbox", name=re.compile(r"^\s*Choices"))
    choices.fill("My social worker\nMy teacher\nSomeone else")
    bea.page.get_by_role("button", name="Save the question").click()
    bea.check("Children and young people survey")
    bea.page.get_by_role("button", name=re.compile(r"^Open the survey")).click()
    bea.check("Children and young people survey", shot="survey-builder")
    expect(bea.page.get_by_role("link", name="Add a question")).to_have_count(0)
    bea.page.get_by_role("link", name="Issue codes").click()
    bea.check("Issue codes")
    label = bea.page.get_by_label(re.compile(r"^\s*Label for this batch"))
    label.fill("Riverbend school nurses, children")
    bea.page.get_by_label(re.compile(r"^\s*How many codes")).fill("3")
    bea.page.get_by_role("button", name="Make the codes").click()
    bea.check("Letters: Riverbend school nurses, children", shot="survey-letters")
    codes = bea.page.locator(".survey-letter-code").all_inner_texts()
    assert len(codes) == 3

    # A child on a phone types the first code.
    child = ui_for(None, is_mobile=True, has_touch=True)
    child.page.set_viewport_size(PHONE)
    child.goto("/s/")
    child.check("Answer a survey", shot="survey-phone-start")
    child.page.get_by_label("Your code").fill(codes[0].lower())
    child.page.get_by_role("button", name="Start").click()
    child.check("Tell us what you think", shot="survey-phone-intro")
    expect(child.page.get_by_role("heading", name="What happens to your answers")).to_be_visible()
    child.page.get_by_role("button", name="Start the questions").click()
    child.check("Question 1 of 5", shot="survey-phone-question-faces")
    expect(child.page.get_by_role("progressbar")).to_have_attribute("value", "1")
    child.page.get_by_text("Good", exact=True).click()
    child.page.get_by_role("button", name="Next question").click()
    # By keyboard: the first answer, an arrow to the next, Enter sends the screen.
    child.check("Question 2 of 5")
    child.page.locator("#choice-1").focus()
    child.page.keyboard.press("ArrowRight")
    child.page.keyboard.press("Enter")
    child.check("Question 3 of 5")
    assert SurveyAnswer.objects.filter(choice="not_sure").count() == 1

    # The page is closed half-way; on the same phone the survey carries on where it was.
    _reopen(child)
    child.goto("/s/")
    child.check("Answer a survey")
    child.page.get_by_role("link", name="Carry on where you left off").click()
    child.check("Question 3 of 5")
    child.page.get_by_text("Yes", exact=True).click()
    child.page.get_by_role("button", name="Next question").click()
    child.check("Question 4 of 5")
    child.page.get_by_label("What would make things better for you?").fill(WORDS)
    child.page.get_by_text("Yes, you can").click()
    child.screenshot("survey-phone-consent")
    child.page.get_by_role("button", name="Next question").click()
    child.check("Question 5 of 5")
    child.page.get_by_text("My teacher").click()
    child.page.get_by_role("button", name="Check my answers").click()
    child.check("Check your answers", shot="survey-phone-check")
    expect(child.page.get_by_role("main")).to_contain_text(
        "You said we can use your words without your name."
    )
    child.page.get_by_role("button", name="Send my answers").click()
    child.check("Thank you", shot="survey-phone-thanks")
    assert SurveyResponse.objects.get().is_complete
    width = child.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]

    # The same code again: used, a friendly page, nothing saved.
    child.goto("/s/")
    child.check("Answer a survey")
    child.allow_console_error(r"status of 410")
    child.allowed_errors.append(re.compile(r"HTTP 410 from .*/s/$"))
    child.page.get_by_label("Your code").fill(codes[0])
    child.page.get_by_role("button", name="Start").click()
    child.check("This code has already been used")

    # The engagement figures counted it: 1 of 3 codes, nothing typed.
    bea.goto(f"/findings/audits/{audit.pk}/engagement/")
    bea.check("Engagement and quotes", shot="survey-engagement")
    table = bea.page.get_by_role("table", name=re.compile("Response rates"))
    expect(table.get_by_role("row", name=re.compile("Children and young people"))).to_contain_text(
        "33% (1 of 3)"
    )
    expect(bea.page.locator("#figures-from-surveys")).to_contain_text("Counted from")
    assert Engagement.objects.count() == 0
    # Four more children answer (letters of a second batch), so the results show counts.
    survey = SurveyResponse.objects.get().survey
    _, more = issuing.batch_issue(
        survey=survey, label="Riverbend early help, children", size=4, request_key="more",
        actor=rb.business,
    )  # fmt: skip
    for pick, code in zip([2, 2, 1, 0], more, strict=True):
        answer_all(survey, code, text="It is ok.", consent=False, pick=pick)
    bea.goto(f"/surveys/{survey.pk}/results/")
    bea.check("Results: Tell us what you think", shot="survey-results")

    # The business team takes the name out and approves the quote.
    bea.goto(f"/findings/audits/{audit.pk}/survey-quotes/")
    bea.check("Quotes from the survey")
    expect(bea.page.get_by_role("main")).to_contain_text("Flagged: may have a name in it")
    bea.page.get_by_role("link", name=re.compile(r"^Review")).click()
    bea.check("Review a quote")
    expect(bea.page.locator(".survey-original")).to_contain_text(WORDS)
    bea.page.get_by_label(re.compile(r"^\s*The quote, edited for anonymity")).fill(EDITED)
    bea.page.get_by_label(re.compile(r"I have read it for names")).check()
    bea.screenshot("survey-quote-review")
    bea.page.get_by_role("button", name="Approve for briefings").click()
    bea.check("Quotes from the survey")
    expect(bea.page.get_by_role("main")).to_contain_text("Approved for briefings")
    assert Quote.objects.get().text == EDITED
    assert SurveyAnswer.objects.get(quote_consent=True).text == WORDS

    # It is offered to the briefing, chosen, and shown there.
    bea.goto(f"/briefings/audit/{audit.pk}/")
    bea.check(f"Briefing composer: {audit.title}")
    bea.page.get_by_label(re.compile(re.escape(EDITED))).check()
    bea.page.get_by_role("button", name="Save briefing").click()
    bea.check(f"Briefing composer: {audit.title}")
    preview = bea.page.get_by_role("region", name="Live preview of the briefing")
    expect(preview.locator("figure.quote")).to_contain_text(EDITED)
    expect(preview.locator("figure.quote")).to_contain_text("young person, survey")
    expect(preview).not_to_contain_text("Sam")
    preview.locator("figure.quote").scroll_into_view_if_needed()
    bea.page.screenshot(path=str(bea.screenshot_dir / "survey-quote-in-briefing.png"))
