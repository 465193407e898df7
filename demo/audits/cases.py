"""The demo children of each audit: their details, agencies and the state of each return."""

from dataclasses import dataclass

from audits.models import Return
from cases.models import Case

NOT_STARTED = Return.Status.NOT_STARTED
IN_PROGRESS = Return.Status.IN_PROGRESS
SUBMITTED = Return.Status.SUBMITTED
RETURNED = Return.Status.RETURNED


@dataclass(frozen=True)
class DemoCase:
    pseudonym: str
    age_band: str
    gender: str
    ethnicity: str
    level_of_need: str
    quality: str  # good, mixed or weak: how the practice in this case went
    risk_factors: tuple[str, ...]
    returns: tuple[tuple[str, str], ...]  # (agency short name, return status)


A = Case.AgeBand
G = Case.Gender
E = Case.Ethnicity
N = Case.LevelOfNeed

PUBLISHED_CASES = [
    DemoCase(
        "YP1",
        A.AGE_13_15,
        G.FEMALE,
        E.WHITE,
        N.EARLY_HELP,
        "good",
        ("Parental mental health", "Poor school attendance", "Young carer"),
        (
            ("Early Help", SUBMITTED),
            ("Schools", SUBMITTED),
            ("CAMHS", SUBMITTED),
            ("GP", SUBMITTED),
        ),
    ),
    DemoCase(
        "YP2",
        A.AGE_13_15,
        G.MALE,
        E.MIXED,
        N.EARLY_HELP,
        "mixed",
        ("Domestic abuse", "Parental mental health", "Previous social care involvement"),
        (
            ("Early Help", SUBMITTED),
            ("Schools", SUBMITTED),
            ("0-19", SUBMITTED),
            ("CAMHS", SUBMITTED),
            ("Police", SUBMITTED),
        ),
    ),
    DemoCase(
        "YP3",
        A.AGE_16_17,
        G.FEMALE,
        E.ASIAN,
        N.CHILD_IN_NEED,
        "weak",
        (
            "Previous social care involvement",
            "Parental substance misuse",
            "Disguised compliance",
            "Poor school attendance",
        ),
        (("CSC", SUBMITTED), ("CAMHS", SUBMITTED), ("Schools", SUBMITTED)),
    ),
    DemoCase(
        "YP4",
        A.AGE_10_12,
        G.NOT_RECORDED,
        E.BLACK,
        N.EARLY_HELP,
        "good",
        ("Parental mental health", "Child of an offender"),
        (
            ("Early Help", SUBMITTED),
            ("GP", SUBMITTED),
            ("Schools", SUBMITTED),
            ("AMHS", SUBMITTED),
        ),
    ),
]

OPEN_CASES = [
    DemoCase(
        "Child A",
        A.UNDER_1,
        G.MALE,
        E.WHITE,
        N.CHILD_PROTECTION,
        "mixed",
        ("Neglect", "Parental substance misuse", "Domestic abuse"),
        (("CSC", SUBMITTED), ("Police", IN_PROGRESS), ("0-19", SUBMITTED), ("GP", NOT_STARTED)),
    ),
    DemoCase(
        "Child B",
        A.AGE_1_4,
        G.FEMALE,
        E.MIXED,
        N.CHILD_IN_NEED,
        "weak",
        ("Neglect", "Parental learning disability", "Disguised compliance"),
        (("CSC", IN_PROGRESS), ("0-19", NOT_STARTED), ("Housing", SUBMITTED)),
    ),
    DemoCase(
        "Child C",
        A.AGE_5_9,
        G.MALE,
        E.BLACK,
        N.EARLY_HELP,
        "good",
        ("Neglect", "Poor school attendance"),
        (("Early Help", SUBMITTED), ("Schools", IN_PROGRESS), ("CSC", RETURNED)),
    ),
    DemoCase(
        "Child D",
        A.AGE_1_4,
        G.FEMALE,
        E.WHITE,
        N.CHILD_PROTECTION,
        "weak",
        ("Neglect", "Domestic abuse", "Child of an offender", "Previous social care involvement"),
        (
            ("CSC", NOT_STARTED),
            ("Police", SUBMITTED),
            ("Probation", NOT_STARTED),
            ("0-19", IN_PROGRESS),
        ),
    ),
    DemoCase(
        "Child E",
        A.AGE_5_9,
        G.FEMALE,
        E.ASIAN,
        N.LOOKED_AFTER,
        "mixed",
        ("Neglect", "Parental mental health"),
        (("CSC", SUBMITTED), ("Schools", RETURNED), ("AMHS", NOT_STARTED), ("Police", RETURNED)),
    ),
]

OVERDUE_CASES = [
    DemoCase(
        "Child F",
        A.AGE_10_12,
        G.MALE,
        E.WHITE,
        N.CHILD_IN_NEED,
        "mixed",
        ("Poor school attendance", "Previous social care involvement"),
        (("CSC", IN_PROGRESS), ("Schools", NOT_STARTED), ("0-19", SUBMITTED)),
    ),
    DemoCase(
        "Child G",
        A.AGE_5_9,
        G.FEMALE,
        E.OTHER,
        N.EARLY_HELP,
        "good",
        ("Young carer",),
        (("Early Help", RETURNED), ("Schools", IN_PROGRESS), ("Police", NOT_STARTED)),
    ),
]

PLANNED_CASES = [
    DemoCase(
        "CME1",
        A.AGE_13_15,
        G.MALE,
        E.WHITE,
        N.CHILD_IN_NEED,
        "mixed",
        (),
        (("Schools", ""), ("CSC", ""), ("Early Help", "")),
    ),
    DemoCase(
        "CME2",
        A.AGE_10_12,
        G.FEMALE,
        E.NOT_RECORDED,
        N.EARLY_HELP,
        "mixed",
        (),
        (("Schools", ""), ("0-19", "")),
    ),
]
