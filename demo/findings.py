"""Demo findings, actions, engagement, quotes, sub-groups and resources of the fictional
Riverbend Safeguarding Children Partnership, written by the business team through the findings
services, as a user's would be (validated, on the audit trail). Idempotent: what exists (found
by its natural key) is left as it is."""

import datetime

from django.utils import timezone

from accounts.models import User
from audits.models import Audit, Theme
from cases.models import Agency
from demo.audits import working_day
from findings import services
from findings.models import Action, Engagement, Finding, Quote, Resource, SubGroup

try:
    from demo.audits import PUBLISHED
except ImportError:  # the audits demo is loaded first when it exists
    PUBLISHED = "Deep dive: emotional health of young people open to early help"

SUBGROUPS = [
    ("Safeguarding in Education", "Marcus Lowe", "education.subgroup@riverbend.example"),
    ("Learning and Improvement", "Ruth Danso", "learning.subgroup@riverbend.example"),
    ("Health Sub-group", "Dr Aisha Noor", "health.subgroup@riverbend.example"),
]

# kind, theme name, agency short names, text
FINDINGS = [
    (
        Finding.Kind.STRENGTH,
        "Voice of the child",
        ["Early Help", "Schools"],
        "Young people's own words were written into early help plans, and in two of the "
        "three cases the plan changed because of what the young person asked for.",
    ),
    (
        Finding.Kind.STRENGTH,
        "Team Around the Family",
        ["Early Help", "Schools", "0-19"],
        "Team Around the Family meetings were held on time and school staff attended every "
        "one, so the family heard one consistent message.",
    ),
    (
        Finding.Kind.STRENGTH,
        "Recognition",
        ["Schools", "GP"],
        "School pastoral staff and GPs noticed low mood early and asked the young person "
        "directly how they were feeling, rather than waiting for a crisis.",
    ),
    (
        Finding.Kind.STRENGTH,
        "Joint working",
        ["CAMHS", "Early Help"],
        "Where CAMHS and early help workers spoke by phone before a plan review, the plan "
        "named who would do what and by when.",
    ),
    (
        Finding.Kind.DEVELOPMENT,
        "Information sharing",
        ["GP", "CAMHS"],
        "GPs were rarely told that a young person had an early help plan, and CAMHS "
        "discharge letters did not always reach the lead professional.",
    ),
    (
        Finding.Kind.DEVELOPMENT,
        "Recording",
        ["Early Help", "CSC"],
        "No case held a multi-agency chronology, so the pattern of repeated missed "
        "appointments was only seen at the audit.",
    ),
    (
        Finding.Kind.DEVELOPMENT,
        "Interventions",
        ["CAMHS"],
        "Young people waited many weeks between referral and a first CAMHS appointment "
        "with no agreed support in the meantime.",
    ),
    (
        Finding.Kind.DEVELOPMENT,
        "Whole-family approach",
        ["AMHS", "Early Help"],
        "A parent's own mental health was noted but not explored, and adult services were "
        "not invited to the family's plan reviews.",
    ),
]

# text, section, owner ("agency"/"subgroup", name key), days from today, status, evidence,
# themes of the findings it answers
ACTIONS = [
    (
        "Add an early help flag to GP records so practices know when a young person has a "
        "plan and who the lead professional is.",
        Action.Section.WILL_DO,
        ("subgroup", "Health Sub-group"),
        -21,
        Action.Status.OPEN,
        "",
        ["Information sharing"],
    ),
    (
        "Introduce a short multi-agency chronology template for every early help plan that "
        "lasts longer than three months.",
        Action.Section.WILL_DO,
        ("agency", "Early Help"),
        -7,
        Action.Status.IN_PROGRESS,
        "",
        ["Recording"],
    ),
    (
        "Offer a 'waiting well' check-in call to every young person on the CAMHS waiting "
        "list, with a named contact.",
        Action.Section.WILL_DO,
        ("agency", "CAMHS"),
        45,
        Action.Status.IN_PROGRESS,
        "",
        ["Interventions"],
    ),
    (
        "Run a briefing for designated safeguarding leads on recognising low mood and "
        "making a good early help request.",
        Action.Section.WILL_DO,
        ("subgroup", "Safeguarding in Education"),
        -40,
        Action.Status.DONE,
        "Two sessions held in the spring term; 38 designated safeguarding leads attended "
        "and feedback forms rated them useful or very useful.",
        ["Recognition"],
    ),
    (
        "Share this briefing at every agency's team meetings and record take-up on the portal.",
        Action.Section.NEXT_STEP,
        ("subgroup", "Learning and Improvement"),
        30,
        Action.Status.OPEN,
        "",
        [],
    ),
    (
        "Invite adult mental health services to early help plan reviews where a parent's "
        "mental health affects the child.",
        Action.Section.NEXT_STEP,
        ("agency", "AMHS"),
        -60,
        Action.Status.DONE,
        "Invitation added to the review checklist in March; adult services attended four "
        "of the six reviews held since.",
        ["Whole-family approach"],
    ),
]

QUOTES = [
    (
        "My worker actually asked what I wanted to happen and then did it.",
        "young person, survey",
        True,
    ),
    (
        "It felt like everyone was finally talking to each other at the meetings.",
        "parent, survey",
        True,
    ),
    (
        "Waiting for the appointment was the hardest bit. Nobody rang to check on me.",
        "young person, deep dive conversation",
        True,
    ),
    (
        "I had to tell my story again to every new person who came.",
        "carer, survey",
        False,
    ),
]

RESOURCES = [
    (
        "Emotional health and wellbeing: multi-agency e-learning",
        "https://learning.riverbend.example/emotional-health",
        Resource.Kind.TRAINING,
        "A one-hour course for staff in every agency on spotting and responding to low mood.",
    ),
    (
        "Riverbend early help toolkit",
        "https://riverbend.example/early-help/toolkit",
        Resource.Kind.TOOLKIT,
        "Forms, plan templates and a step-by-step guide to requesting early help.",
    ),
    (
        "Multi-agency chronology template and guidance",
        "https://riverbend.example/guidance/chronologies",
        Resource.Kind.TOOLKIT,
        "How to start and keep a shared chronology, with a worked example.",
    ),
    (
        "Information sharing: a guide for practitioners",
        "https://riverbend.example/guidance/information-sharing",
        Resource.Kind.GUIDANCE,
        "When and how to share information to keep a child safe, in plain language.",
    ),
    (
        "Think Family: parental mental health and children",
        "https://riverbend.example/guidance/think-family",
        Resource.Kind.GUIDANCE,
        "Questions to ask when a parent's mental health may affect their child.",
    ),
    (
        "Escalation and resolving professional disagreement",
        "https://riverbend.example/guidance/escalation",
        Resource.Kind.GUIDANCE,
        "The partnership's escalation policy with a one-page flowchart.",
    ),
]


def _subgroups(business: User) -> dict[str, SubGroup]:
    subgroups = {}
    for name, lead_name, lead_email in SUBGROUPS:
        subgroups[name] = SubGroup.objects.filter(name=name).first() or services.subgroup_create(
            name=name, lead_name=lead_name, lead_email=lead_email, actor=business
        )
    return subgroups


def _resources(business: User) -> None:
    for title, url, kind, description in RESOURCES:
        if not Resource.objects.filter(title=title).exists():
            services.resource_create(
                title=title, url=url, kind=kind, description=description, actor=business
            )


def _findings(audit: Audit, business: User) -> dict[str, Finding]:
    agencies = {a.short_name: a for a in Agency.objects.all()}
    themes = {t.name: t for t in Theme.objects.all()}
    by_theme: dict[str, Finding] = {}
    for kind, theme_name, agency_keys, text in FINDINGS:
        theme = themes.get(theme_name)
        if theme is None:
            continue
        finding = Finding.objects.filter(audit=audit, text=text).first()
        if finding is None:
            finding = services.finding_create(
                audit=audit,
                kind=kind,
                theme=theme,
                text=text,
                agencies=[agencies[k] for k in agency_keys if k in agencies],
                actor=business,
            )
        by_theme[theme_name] = finding
    return by_theme


def _actions(
    audit: Audit, subgroups: dict[str, SubGroup], findings: dict[str, Finding], business: User
) -> None:
    today = timezone.localdate()
    agencies = {a.short_name: a for a in Agency.objects.all()}
    for text, section, (owner_kind, owner_key), days, status, evidence, themes in ACTIONS:
        if owner_kind == "agency":
            owner = {"owner_agency": agencies.get(owner_key)}
        else:
            owner = {"owner_subgroup": subgroups[owner_key]}
        if None in owner.values() or Action.objects.filter(audit=audit, text=text).exists():
            continue
        due = working_day(today + datetime.timedelta(days=days))
        action = services.action_create(
            audit=audit,
            text=text,
            section=section,
            due_date=max(due, today),  # the service refuses a date already past
            findings=[findings[t] for t in themes if t in findings],
            actor=business,
            **owner,
        )
        if due < today:
            # Agreed months ago, when this date was still ahead: time has passed since.
            Action.objects.filter(pk=action.pk).update(due_date=due)
            action.due_date = due
        if status != Action.Status.OPEN:
            services.action_set_status(
                action=action, status=status, completion_evidence=evidence, actor=business
            )


def _engagement(audit: Audit, business: User) -> None:
    if not Engagement.objects.filter(audit=audit).exists():
        services.engagement_save(
            audit=audit,
            cyp_shared=24,
            cyp_responses=9,
            parent_shared=20,
            parent_responses=6,
            notes="Surveys went out by text message and on paper through schools.",
            actor=business,
        )
    for text, source_label, consent in QUOTES:
        if not Quote.objects.filter(audit=audit, text=text).exists():
            services.quote_create(
                audit=audit, text=text, source_label=source_label, consent=consent, actor=business
            )


def load() -> None:
    business = User.objects.filter(username="business").first()
    if business is None:
        return
    subgroups = _subgroups(business)
    _resources(business)
    audit = Audit.objects.filter(title=PUBLISHED).first()
    if audit is None:
        return
    findings = _findings(audit, business)
    _actions(audit, subgroups, findings, business)
    _engagement(audit, business)
