"""Demo findings, actions, engagement, quotes, sub-groups and resources of the fictional
Riverbend Safeguarding Children Partnership. Idempotent: natural keys, get_or_create."""

import datetime

from django.utils import timezone

from audits.models import Audit, Theme
from cases.models import Agency
from demo.audits import working_day
from findings.models import Action, Engagement, Finding, Quote, Resource, SubGroup
from findings.services import findings_renumber

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


def _subgroups() -> dict[str, SubGroup]:
    subgroups = {}
    for name, lead_name, lead_email in SUBGROUPS:
        subgroup, _ = SubGroup.objects.get_or_create(
            name=name, defaults={"lead_name": lead_name, "lead_email": lead_email}
        )
        subgroups[name] = subgroup
    return subgroups


def _resources() -> None:
    for title, url, kind, description in RESOURCES:
        Resource.objects.get_or_create(
            title=title, defaults={"url": url, "kind": kind, "description": description}
        )


def _findings(audit: Audit) -> dict[str, Finding]:
    agencies = {a.short_name: a for a in Agency.objects.all()}
    themes = {t.name: t for t in Theme.objects.all()}
    by_theme: dict[str, Finding] = {}
    for order, (kind, theme_name, agency_keys, text) in enumerate(FINDINGS, start=1):
        theme = themes.get(theme_name)
        if theme is None:
            continue
        finding, created = Finding.objects.get_or_create(
            audit=audit,
            text=text,
            defaults={"kind": kind, "theme": theme, "order": order},
        )
        if created:
            finding.agencies.set([agencies[k] for k in agency_keys if k in agencies])
        by_theme[theme_name] = finding
    for kind in Finding.Kind.values:
        findings_renumber(audit=audit, kind=kind)
    return by_theme


def _actions(audit: Audit, subgroups: dict[str, SubGroup], findings: dict[str, Finding]) -> None:
    today = timezone.localdate()
    agencies = {a.short_name: a for a in Agency.objects.all()}
    for text, section, (owner_kind, owner_key), days, status, evidence, themes in ACTIONS:
        if owner_kind == "agency":
            owner = {"owner_agency": agencies.get(owner_key)}
        else:
            owner = {"owner_subgroup": subgroups[owner_key]}
        if None in owner.values():
            continue
        action, created = Action.objects.get_or_create(
            audit=audit,
            text=text,
            defaults={
                **owner,
                "section": section,
                "due_date": working_day(today + datetime.timedelta(days=days)),
                "status": status,
                "completion_evidence": evidence,
                "completed_at": timezone.now() if status == Action.Status.DONE else None,
            },
        )
        if created:
            action.findings.set([findings[t] for t in themes if t in findings])


def _engagement(audit: Audit) -> None:
    Engagement.objects.get_or_create(
        audit=audit,
        defaults={
            "cyp_shared": 24,
            "cyp_responses": 9,
            "parent_shared": 20,
            "parent_responses": 6,
            "notes": "Surveys went out by text message and on paper through schools.",
        },
    )
    for order, (text, source_label, consent) in enumerate(QUOTES, start=1):
        Quote.objects.get_or_create(
            audit=audit,
            text=text,
            defaults={"source_label": source_label, "consent": consent, "order": order},
        )


def load() -> None:
    subgroups = _subgroups()
    _resources()
    audit = Audit.objects.filter(title=PUBLISHED).first()
    if audit is None:
        return
    findings = _findings(audit)
    _actions(audit, subgroups, findings)
    _engagement(audit)
