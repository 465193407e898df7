"""Demo data around the child: key events in the returns of two children, so their merged
chronology has a long gap and a possible missed link, and the moderation meeting's judgement
(lived experience, agreed grades per theme, the difference the work made) for every child of
the published audit, so the results show agreed case grades. Idempotent: found by natural
keys and created only when missing."""

import datetime

from audits.event_bank import load_event_kinds
from audits.models import Audit, EventKind, KeyEvent, Question, Return, SampleCase
from findings.models import AgreedGrade, CaseJudgement

# (pseudonym, agency short name, days before returns opened, month only, kind key, text)
EVENTS = [
    (
        "YP2",
        "Early Help",
        330,
        False,
        "referral",
        "Referral from school: low mood, missing lessons.",
    ),
    ("YP2", "Early Help", 316, False, "assessment", "Early help assessment with mother and YP2."),
    ("YP2", "Schools", 300, True, "other", "Attendance fell below 80% this month."),
    (
        "YP2",
        "Police",
        260,
        False,
        "police-incident",
        "Domestic incident at home; children present.",
    ),
    ("YP2", "CAMHS", 250, False, "referral", "GP referral for anxiety received."),
    ("YP2", "Schools", 120, False, "school-exclusion", "Fixed-term exclusion, 2 days."),
    ("YP2", "Police", 95, False, "missing-episode", "Missing overnight, found at a friend's."),
    ("YP2", "Early Help", 60, False, "taf-meeting", "TAF meeting: plan reviewed."),
    ("YP2", "CAMHS", 40, False, "case-closed", "Discharged after three missed appointments."),
    (
        "Child A",
        "CSC",
        200,
        False,
        "referral",
        "Referral from the health visitor: home conditions.",
    ),
    ("Child A", "Police", 190, False, "police-incident", "Call-out to the address; baby present."),
    (
        "Child A",
        "CSC",
        188,
        False,
        "strategy-discussion",
        "Strategy discussion with police and health.",
    ),
    ("Child A", "0-19", 120, False, "home-visit", "New birth visit follow-up; weight concerns."),
    (
        "Child A",
        "0-19",
        40,
        False,
        "ae-attendance",
        "A&E notification: bruise, explained as a fall.",
    ),
]

# The difference made, and the agreed grades theme by theme (in turn), by how practice went.
JUDGEMENTS = {
    "good": ("significant", ["good", "outstanding", "good"]),
    "mixed": ("some", ["requires_improvement", "good", "requires_improvement", "inadequate"]),
    "weak": ("little", ["inadequate", "requires_improvement"]),
}
REASONS = {
    "outstanding": "Every agency's record shows this, and the child's own words are in it.",
    "good": "Most agencies did this well; the one gap did not change the child's experience.",
    "requires_improvement": "Done by one or two agencies only, and not shared with the others.",
    "inadequate": "No agency's record shows it, although the signs were there.",
}
LIVED = {
    "YP1": "Caring for her mother most evenings; school was where she was noticed and helped.",
    "YP2": "Frightened by arguments at home and often missing; felt nobody joined things up.",
}


def _events(audits: dict[str, Audit], agencies: dict) -> None:
    kinds = {kind.key: kind for kind in EventKind.objects.all()}
    by_pseudonym = {"YP2": audits["published"], "Child A": audits["open"]}
    for pseudonym, short, days, month_only, key, text in EVENTS:
        audit = by_pseudonym[pseudonym]
        audit_return = Return.objects.filter(
            audit=audit, case__pseudonym=pseudonym, agency=agencies[short]
        ).first()
        if audit_return is None:
            continue
        when = audit.returns_open - datetime.timedelta(days=days)
        if month_only:
            when = when.replace(day=1)
        KeyEvent.objects.get_or_create(
            audit_return=audit_return,
            kind=kinds[key],
            text=text,
            defaults={
                "when": when,
                "precision": KeyEvent.Precision.MONTH if month_only else KeyEvent.Precision.DAY,
            },
        )


def _judgements(audit: Audit, profiles: dict[str, str]) -> None:
    themes = {
        item.theme_id: item.theme
        for item in audit.question_set.items.filter(kind=Question.Kind.GRADE).select_related(
            "theme"
        )
    }
    for sample in SampleCase.objects.filter(audit=audit).select_related("case"):
        difference, grades = JUDGEMENTS[profiles.get(sample.case.pseudonym, "mixed")]
        CaseJudgement.objects.get_or_create(
            sample_case=sample,
            defaults={
                "lived_experience": LIVED.get(sample.case.pseudonym, ""),
                "difference": difference,
                "difference_text": "Agreed at the moderation meeting from every agency's return.",
            },
        )
        for index, theme in enumerate(themes.values()):
            grade = grades[index % len(grades)]
            AgreedGrade.objects.get_or_create(
                sample_case=sample,
                theme=theme,
                defaults={"grade": grade, "reason": REASONS[grade]},
            )


def load(audits: dict[str, Audit], agencies: dict, profiles: dict[str, str]) -> None:
    load_event_kinds()
    _events(audits, agencies)
    _judgements(audits["published"], profiles)
