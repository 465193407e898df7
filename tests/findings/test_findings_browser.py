"""Journey 3 (its findings part) in a real browser: the business team records findings and
actions at moderation, survey figures and quotes, and a resource; a practitioner sees their
agency's actions. Every page runs axe-core (tests/browser/conftest.py)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from findings.models import Action, Engagement, Finding, Quote, Resource
from tests.browser.conftest import (  # noqa: F401 (fixtures)
    _browser_settings,
    _serial_live_server_on_sqlite,
    axe,
    chromium,
    journey_partnership,
    screenshot_dir,
    ui_for,
)
from tests.factories import (
    AgencyFactory,
    AuditFactory,
    QuestionSetItemFactory,
    SubGroupFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def test_business_team_records_findings_actions_and_voice(ui_for, transactional_db):  # noqa: F811
    csc = AgencyFactory(name="Riverbend Children's Social Care", short_name="CSC")
    AgencyFactory(name="Riverbend CAMHS", short_name="CAMHS")
    SubGroupFactory(name="Learning and Improvement")
    audit = AuditFactory(title="Deep dive: young carers", status="moderation")
    voice = ThemeFactory(name="Voice of the child", order=1)
    ThemeFactory(name="Recording", order=2)
    QuestionSetItemFactory(question_set=audit.question_set, question__theme=voice)
    business = UserFactory(username="bea", role=User.Role.BUSINESS)
    ui = ui_for(business)
    page = ui.page
    ui.check("Audit programme")

    ui.goto(f"/findings/audits/{audit.pk}/findings/")
    ui.check("Findings and actions: Deep dive: young carers", shot="findings-empty")
    page.get_by_role("link", name="Add a strength").click()
    ui.check("Add a finding")
    page.get_by_label("Theme").select_option(label="Voice of the child")
    page.get_by_role("textbox", name=re.compile(r"^Finding")).fill(
        "Young carers' own words shaped their plans."
    )
    page.get_by_label("Riverbend Children's Social Care").check()
    page.get_by_role("button", name="Save finding").click()
    ui.check("Findings and actions")
    expect(page.get_by_text("Young carers' own words shaped their plans.")).to_be_visible()

    # Bad input: no text and no theme.
    page.get_by_role("link", name="Add an area for development").click()
    page.get_by_role("button", name="Save finding").click()
    ui.check("Add a finding")
    expect(page.get_by_role("alert")).to_contain_text("Choose the theme this finding is about.")
    page.get_by_label("Theme").select_option(label="Recording")
    page.get_by_role("textbox", name=re.compile(r"^Finding")).fill(
        "No chronology was kept by any agency."
    )
    page.get_by_role("button", name="Save finding").click()
    ui.check("Findings and actions")

    page.get_by_role("link", name="Add an action").click()
    ui.check("Add an action")
    page.get_by_role("textbox", name=re.compile(r"^Action")).fill(
        "Introduce a shared chronology template."
    )
    page.get_by_label("Owner (an agency or a sub-group)").select_option(
        label="Learning and Improvement"
    )
    past = timezone.localdate() - datetime.timedelta(days=2)
    page.get_by_label("Due date").fill(past.isoformat())
    page.get_by_role("button", name="Save action").click()
    ui.check("Add an action")
    expect(page.get_by_role("alert")).to_contain_text("The due date is in the past")
    page.get_by_label("Due date").fill((past + datetime.timedelta(days=30)).isoformat())
    page.get_by_label(re.compile("No chronology was kept")).check()
    page.get_by_role("button", name="Save action").click()
    ui.check("Findings and actions", shot="findings-and-actions")
    action = Action.objects.get()
    assert list(action.findings.values_list("text", flat=True)) == [
        "No chronology was kept by any agency."
    ]

    page.get_by_role("link", name=re.compile("^Status")).click()
    ui.check("Action: Introduce a shared chronology")
    page.get_by_label("Status").select_option(label="Done")
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_role("alert")).to_contain_text("before marking it done")
    page.get_by_label("Completion evidence").fill("Template in use in all agencies since May.")
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_role("status")).to_contain_text("Status saved: Done")

    page.get_by_role("link", name="Actions", exact=True).click()
    ui.check("Action tracker", shot="action-tracker")
    expect(page.get_by_role("table")).to_contain_text("Introduce a shared chronology template.")

    ui.goto(f"/findings/audits/{audit.pk}/engagement/")
    ui.check("Engagement and quotes")
    page.get_by_label("Surveys shared with children and young people").fill("24")
    page.get_by_label("Responses from children and young people").fill("30")
    page.get_by_role("button", name="Save survey figures").click()
    expect(page.get_by_role("alert")).to_contain_text("cannot be more responses (30)")
    page.get_by_label("Responses from children and young people").fill("9")
    page.get_by_role("button", name="Save survey figures").click()
    expect(page.get_by_role("table")).to_contain_text("38% (9 of 24)")
    page.get_by_role("link", name="Add a quote").click()
    ui.check("Add a quote")
    page.get_by_role("textbox", name=re.compile(r"^Quote")).fill(
        "Someone finally asked me what I do at home."
    )
    page.get_by_label("Source label").fill("young carer, survey")
    page.get_by_label("Consent given to publish this quote").check()
    page.get_by_role("button", name="Save quote").click()
    ui.check("Engagement and quotes", shot="engagement-and-quotes")

    page.get_by_role("link", name="Resources", exact=True).click()
    ui.check("Resources library")
    page.get_by_role("link", name="Add a resource").click()
    ui.check("Add a resource")
    page.get_by_label("Title").fill("Young carers toolkit")
    page.get_by_label("Web address").fill("javascript:alert(1)")
    page.get_by_role("button", name="Save resource").click()
    expect(page.get_by_role("alert")).to_contain_text("starting with https://")
    page.get_by_label("Web address").fill("https://riverbend.example/young-carers")
    page.get_by_role("button", name="Save resource").click()
    ui.check("Resources library", shot="resources")

    ui.goto("/findings/sub-groups/")
    ui.check("Sub-groups")

    assert Finding.objects.count() == 2
    assert Engagement.objects.get().cyp_responses == 9
    assert Quote.objects.get().consent is True
    assert Resource.objects.get().url == "https://riverbend.example/young-carers"

    practitioner = UserFactory(username="priya", agencies=[csc])
    Action.objects.create(
        audit=audit,
        text="Add young carers to the CSC assessment checklist.",
        owner_agency=csc,
        due_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    other = ui_for(practitioner)
    other.check("My returns")
    other.page.get_by_role("link", name="Actions", exact=True).click()
    other.check("Action tracker")
    table = other.page.get_by_role("table")
    expect(table).to_contain_text("Add young carers to the CSC assessment checklist.")
    expect(table).not_to_contain_text("shared chronology")
