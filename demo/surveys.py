"""Demo surveys of the open audit: a children's and a parents' version, open, with a batch of
codes each and some responses sent, one written answer flagged for a name. The figures of
its engagement page count themselves. The unused codes of a first load are printed by
`load_demo` (they are stored only as hashes, so a second load has none to show)."""

from django.contrib.auth import get_user_model

from audits.models import Audit
from demo.audits.programme import OPEN
from surveys import answering, issuing, services
from surveys.codes import display
from surveys.kinds import choices_of
from surveys.models import Survey, SurveyQuestion

# (audience, label, codes, responses: one (choice index, words, consent) per answer)
PLAN = [
    (
        Survey.Audience.CHILDREN,
        "Riverbend school nurses, children and young people",
        12,
        [
            (2, "My social worker Jade comes every week and she listens to me.", True),
            (2, "I like that they ask me what I think before meetings.", True),
            (1, "It is ok but I have had too many different workers.", True),
            (0, "Nobody tells me what is happening.", False),
            (2, "", None),
        ],
    ),
    (
        Survey.Audience.PARENTS,
        "Early help family workers, parents and carers",
        8,
        [
            (3, "We only had to tell our story once because the school and the GP talked.", True),
            (1, "Waiting for the assessment took too long.", True),
            (4, "", None),
        ],
    ),
]


def load() -> list[tuple[str, list[str]]]:
    """Make the surveys once; return (label, unused codes) of batches made now."""
    audit = Audit.objects.filter(title=OPEN).first()
    actor = get_user_model().objects.filter(username="business").first()
    if audit is None:
        return []
    printed = []
    for audience, label, size, responses in PLAN:
        if Survey.objects.filter(audit=audit, audience=audience).exists():
            continue
        survey = services.survey_create(audit=audit, audience=audience, actor=actor)
        survey = services.survey_open(survey=survey, actor=actor)
        _, codes = issuing.batch_issue(
            survey=survey, label=label, size=size, request_key=f"demo-{audience}", actor=actor
        )
        for code, (index, words, consent) in zip(codes, responses, strict=False):
            response = answering.response_start(typed_code=code).response
            for question in survey.questions.order_by("order", "pk"):
                if question.kind == SurveyQuestion.Kind.TEXT:
                    answering.answer_save(
                        response=response, question=question, text=words, consent=consent
                    )
                else:
                    options = choices_of(question)
                    answering.answer_save(
                        response=response,
                        question=question,
                        choice=options[min(index, len(options) - 1)].value,
                    )
            answering.response_complete(response=response)
        printed.append((label, [display(c) for c in codes[len(responses) :][:3]]))
    return printed
