"""A realistic briefing of any sample size, for the print-layout tests and the PNGs of
docs/briefing-page-*.png: three agencies, three themes of grades (some not applicable), a
ten-factor risk checklist of which only some factors are ever ticked, engagement, quotes,
findings, actions and resources. Fictional Riverbend data."""

from audits.models import Audit, Question, Return
from briefings import services
from briefings.models import Briefing
from findings.models import Action, Finding
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AuditFactory,
    CaseFactory,
    EngagementFactory,
    FindingFactory,
    QuestionSetFactory,
    QuoteFactory,
    ResourceFactory,
    ThemeFactory,
)
from tests.findings.results_builders import add_return, answer, item

RISK_FACTORS = [
    "Neglect",
    "Domestic abuse",
    "Parental mental health",
    "Parental substance misuse",
    "Child of an offender",
    "Young carer",
    "Criminal exploitation",
    "Sexual exploitation",
    "Missing from home",
    "Online harm",
]
# Only these are ever ticked: the other six stay at 0%.
TICKED = ["Neglect", "Domestic abuse", "Parental mental health", "Child of an offender"]
GRADES = ["outstanding", "good", "good", "requires_improvement", "inadequate", "not_applicable"]

TOPIC = """Emotional health is how a young person thinks, feels and copes with everyday life. \
When it slips, the first signs are often small: sleeping badly, dropping friends or hobbies, \
missing school, or becoming irritable at home.

- **Low mood and anxiety** are common in early adolescence and often pass with support from \
trusted adults.
- **Self-harm** is any act of hurting oneself on purpose. It is a sign of distress, not \
attention seeking, and always needs a calm, curious response.
- **Emotionally based school avoidance** describes a young person who finds school so hard \
that they stop going: the worry is the need, the absence is the symptom."""

STRENGTHS = [
    ("Voice of the child", "Young people's wishes were written into their plans and acted on."),
    ("Voice of the child", "Practitioners saw young people alone and recorded their words."),
    ("Joint working", "Schools and early help shared worries quickly and met within a week."),
]
DEVELOPMENTS = [
    ("Joint working", "Health partners were not always invited to planning meetings."),
    ("Recognition", "Low mood was recorded but not always linked to the risk of self-harm."),
    ("Recognition", "Worries about sleep were noted without asking what kept them awake."),
    ("Voice of the child", "Plans rarely said how the young person's view changed the plan."),
]


def layout_briefing(*, cases: int, business, business2) -> Briefing:
    """An approved-ready briefing of `cases` cases with every point written."""
    agencies = [
        AgencyFactory(name="Riverbend Children's Services", short_name="CS"),
        AgencyFactory(name="Riverbend Schools", short_name="ED"),
        AgencyFactory(name="Riverbend Community Health", short_name="CH"),
    ]
    themes = [
        ThemeFactory(name="Recognition", order=1),
        ThemeFactory(name="Voice of the child", order=2),
        ThemeFactory(name="Joint working", order=3),
    ]
    risks = ThemeFactory(name="Risk factors", order=4)
    question_set = QuestionSetFactory()
    grade_items = [
        item(question_set, theme, f"{theme.name}: question {n}?", Question.Kind.GRADE, 2 * i + n)
        for i, theme in enumerate(themes)
        for n in (1, 2)
    ]
    risk = item(
        question_set, risks, "Risk factors present", Question.Kind.CHECKLIST, 20, RISK_FACTORS
    )
    audit = AuditFactory(
        title="Deep dive: emotional health of young people open to early help",
        question_set=question_set,
        status=Audit.Status.FINDINGS_AGREED,
    )
    for c in range(cases):
        case = CaseFactory(audit=audit, pseudonym=f"YP{c + 1}")
        for a, agency in enumerate(agencies):
            audit_return = add_return(audit, case, agency, Return.Status.SUBMITTED)
            for g, grade in enumerate(grade_items):
                answer(audit_return, grade, GRADES[(c + a + g) % len(GRADES)])
            ticks = [f for k, f in enumerate(TICKED) if (c + a + k) % (k + 2) == 0]
            answer(audit_return, risk, ticks=ticks)
    by_name = {t.name: t for t in themes}
    for theme, text in STRENGTHS:
        FindingFactory(audit=audit, theme=by_name[theme], kind=Finding.Kind.STRENGTH, text=text)
    for theme, text in DEVELOPMENTS:
        FindingFactory(audit=audit, theme=by_name[theme], kind=Finding.Kind.DEVELOPMENT, text=text)
    for text in ("Refresh the joint planning guidance", "Add sleep to the early help assessment"):
        ActionFactory(
            audit=audit, section=Action.Section.WILL_DO, text=text, owner_agency=agencies[0]
        )
    for text in ("Share the briefing at every locality meeting", "Run two lunchtime sessions"):
        ActionFactory(
            audit=audit, section=Action.Section.NEXT_STEP, text=text, owner_agency=agencies[1]
        )
    EngagementFactory(audit=audit)
    for text in ("Someone finally asked me how I was.", "My teacher noticed before I said."):
        QuoteFactory(audit=audit, text=text, consent=True)
    ResourceFactory(
        title="Emotional health toolkit",
        url="https://riverbend.example/emotional-health",
        description="Conversation prompts and a referral map.",
    )
    ResourceFactory(title="Self-harm: a calm response", url="https://riverbend.example/self-harm")
    briefing = services.briefing_get_or_create(audit=audit, actor=business)
    from findings.models import Quote, Resource

    return services.briefing_update(
        briefing=briefing,
        actor=business,
        topic=TOPIC,
        resources=list(Resource.objects.all()),
        quotes=list(Quote.objects.filter(audit=audit)),
    )
