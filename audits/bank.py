"""The default question bank: themes and questions that multi-agency case file audits and deep
dives usually ask, written for AuditPortal. This is starting data, not code the product
depends on: the business team edits, reorders, retires and adds to it in the browser.

`load_bank()` is idempotent: each default theme and question has a stable key, so loading it
again never duplicates an entry, and never undoes an edit or a retirement made since.
"""

from dataclasses import dataclass, field

from django.db import transaction

from .models import Question, Theme

GRADE = Question.Kind.GRADE
YPN = Question.Kind.YES_PARTLY_NO
CHECKLIST = Question.Kind.CHECKLIST
NUMBER = Question.Kind.NUMBER
TEXT = Question.Kind.TEXT

RISK_FACTORS = [
    "Previous social care involvement",
    "Neglect",
    "Parental mental health",
    "Disguised compliance",
    "Parental substance misuse",
    "Parental learning disability",
    "Domestic abuse",
    "Poor school attendance",
    "Young carer",
    "Child of an offender",
]

TOOLS_USED = [
    "Graded care profile",
    "Neglect toolkit",
    "School-avoidance toolkit",
    "Screening tool",
]


@dataclass(frozen=True)
class BankQuestion:
    key: str
    kind: str
    text: str
    help_text: str = ""
    required: bool = True
    options: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BankTheme:
    key: str
    name: str
    description: str
    questions: list[BankQuestion]


DEFAULT_BANK: list[BankTheme] = [
    BankTheme(
        "context",
        "Child and family context",
        "What was going on for the child and family, as your agency's record shows it.",
        [
            BankQuestion(
                "context-risk-factors",
                CHECKLIST,
                "Which of these factors were present for the child or family?",
                "Tick every factor your agency's record shows, even if another agency "
                "identified it first. Leave all unticked if none applied.",
                required=False,
                options=RISK_FACTORS,
            ),
            BankQuestion(
                "context-contacts",
                NUMBER,
                "How many contacts did your agency have with the child or family in the "
                "12 months before the audit?",
                "Count visits, appointments, calls and meetings recorded on your system.",
            ),
        ],
    ),
    BankTheme(
        "recognition",
        "Recognition",
        "Noticing the signs of harm or unmet need early.",
        [
            BankQuestion(
                "recognition-signs",
                GRADE,
                "How well were the child's needs and any signs of harm recognised?",
                "Think about the first point at which your agency could have noticed, and "
                "whether it did.",
            ),
            BankQuestion(
                "recognition-history",
                YPN,
                "Was the family's history taken into account when concerns arose?",
                "For example earlier referrals, previous plans or siblings' histories.",
            ),
        ],
    ),
    BankTheme(
        "referrals",
        "Referrals",
        "Getting the right concern to the right service.",
        [
            BankQuestion(
                "referrals-quality",
                GRADE,
                "How clear and timely were referrals made or received by your agency?",
                "A good referral says what the worry is, what has been tried and what the "
                "child says.",
            ),
            BankQuestion(
                "referrals-consent",
                YPN,
                "Was consent sought and recorded, or the reason for going without it?",
                required=False,
            ),
        ],
    ),
    BankTheme(
        "assessment",
        "Assessment and planning",
        "Understanding the child's situation and agreeing what will change.",
        [
            BankQuestion(
                "assessment-quality",
                GRADE,
                "How well did the assessment analyse the child's needs and risks?",
                "Look for analysis, not only description: what does the information mean "
                "for this child?",
            ),
            BankQuestion(
                "assessment-plan",
                GRADE,
                "How well did the plan set out outcomes, actions, owners and timescales?",
            ),
            BankQuestion(
                "assessment-tools",
                CHECKLIST,
                "Which assessment tools were used?",
                "Tick each tool your agency used with this family. Leave all unticked if none.",
                required=False,
                options=TOOLS_USED,
            ),
        ],
    ),
    BankTheme(
        "recording",
        "Recording",
        "Accurate, up-to-date records that tell the child's story across agencies' systems.",
        [
            BankQuestion(
                "recording-accuracy",
                GRADE,
                "How accurate and up to date is your agency's record of this child?",
                "Check names, addresses, household members and that key events are recorded "
                "on the day.",
            ),
            BankQuestion(
                "recording-chronology",
                YPN,
                "Is there a multi-agency chronology on the record?",
            ),
            BankQuestion(
                "recording-consistency",
                YPN,
                "Does your record agree with what other agencies hold about key events?",
                required=False,
            ),
        ],
    ),
    BankTheme(
        "information-sharing",
        "Information sharing",
        "Sharing what matters, within and across agencies, at the time it matters.",
        [
            BankQuestion(
                "sharing-quality",
                GRADE,
                "How well was information shared within your agency and with partners?",
            ),
            BankQuestion(
                "sharing-gp",
                YPN,
                "Was relevant information shared with the child's GP and received back?",
            ),
            BankQuestion(
                "sharing-transfer",
                YPN,
                "Where the child moved from another area or school, was information "
                "transferred promptly?",
                "Answer 'not applicable' if the child did not move.",
            ),
        ],
    ),
    BankTheme(
        "taf",
        "Team Around the Family",
        "Professionals and the family meeting to agree one coordinated plan.",
        [
            BankQuestion(
                "taf-attendance",
                YPN,
                "Did your agency attend or contribute to Team Around the Family meetings?",
            ),
            BankQuestion(
                "taf-coordination",
                GRADE,
                "How well coordinated was the multi-agency plan for this family?",
            ),
        ],
    ),
    BankTheme(
        "voice",
        "Voice of the child",
        "Hearing what the child wishes and feels, and acting on it.",
        [
            BankQuestion(
                "voice-recorded",
                GRADE,
                "How well were the child's wishes and feelings sought and recorded?",
                "Look for the child's own words, and for how a child who does not speak was "
                "understood (observation, play, behaviour).",
            ),
            BankQuestion(
                "voice-acted-on",
                YPN,
                "Is there evidence that what the child said changed what professionals did?",
            ),
        ],
    ),
    BankTheme(
        "whole-family",
        "Whole-family approach",
        "Seeing the child within the family: parents' needs and siblings' needs.",
        [
            BankQuestion(
                "family-parental-needs",
                GRADE,
                "How well were parental mental health, domestic abuse and substance misuse "
                "considered?",
            ),
            BankQuestion(
                "family-siblings",
                YPN,
                "Were the needs of each sibling considered separately?",
                "Answer 'not applicable' for an only child.",
            ),
        ],
    ),
    BankTheme(
        "interventions",
        "Interventions",
        "The right service at the right time, without harmful waits.",
        [
            BankQuestion(
                "interventions-right-service",
                GRADE,
                "How well did the services offered match the child's needs?",
            ),
            BankQuestion(
                "interventions-waiting",
                YPN,
                "Did the child receive help without an avoidable wait?",
                "If there was a wait, say how long and what support was offered meanwhile.",
            ),
        ],
    ),
    BankTheme(
        "joint-working",
        "Joint working",
        "Agencies working together rather than in parallel.",
        [
            BankQuestion(
                "joint-working-quality",
                GRADE,
                "How effectively did agencies work together for this child?",
            ),
            BankQuestion(
                "joint-working-roles",
                YPN,
                "Was it clear which agency was leading, and what each agency was doing?",
                "Look for a named lead professional and agreed tasks in the records.",
            ),
        ],
    ),
    BankTheme(
        "escalation",
        "Escalation and professional challenge",
        "Raising disagreement and using the escalation policy when a child's needs are not met.",
        [
            BankQuestion(
                "escalation-used",
                YPN,
                "Where professionals disagreed, was the escalation policy used?",
                "Answer 'not applicable' if there was no disagreement.",
            ),
            BankQuestion(
                "escalation-quality",
                GRADE,
                "How well was professional challenge used to move things on for the child?",
                required=False,
            ),
        ],
    ),
    BankTheme(
        "impact",
        "Impact and outcomes",
        "What difference the help made to the child's daily life.",
        [
            BankQuestion(
                "impact-difference",
                GRADE,
                "How much difference did the multi-agency work make to the child's outcomes?",
            ),
            BankQuestion(
                "impact-learning",
                TEXT,
                "What one change would have made the most difference for this child?",
                "A sentence or two for the moderation meeting. Do not name the child or family.",
                required=False,
            ),
        ],
    ),
]


@transaction.atomic
def load_bank() -> dict[str, int]:
    """Create any default theme or question that is missing; touch nothing that exists."""
    created = {"themes": 0, "questions": 0}
    for theme_order, bank_theme in enumerate(DEFAULT_BANK):
        theme = Theme.objects.filter(key=bank_theme.key).first()
        if theme is None:
            theme, made = Theme.objects.get_or_create(
                name=bank_theme.name,
                defaults={
                    "key": bank_theme.key,
                    "description": bank_theme.description,
                    "order": theme_order * 10,
                },
            )
            if not made and not theme.key:
                # A theme of that name was added by hand: adopt it rather than duplicate it.
                theme.key = bank_theme.key
                theme.save(update_fields=["key"])
            created["themes"] += int(made)
        for question_order, bank_question in enumerate(bank_theme.questions):
            _, made = Question.objects.get_or_create(
                key=bank_question.key,
                defaults={
                    "theme": theme,
                    "text": bank_question.text,
                    "help_text": bank_question.help_text,
                    "kind": bank_question.kind,
                    "options": list(bank_question.options),
                    "required": bank_question.required,
                    "order": question_order * 10,
                },
            )
            created["questions"] += int(made)
    return created
