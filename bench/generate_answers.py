"""The generator's answers and checklist ticks (the millions of rows): written through COPY on
PostgreSQL with ids assigned here, so ticks can point at their answers."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from bench.rows import Copier, next_id, reset_sequence

# Grade and yes/partly/no weights, in the order of audits.models.Grade and YesPartlyNo; the
# themes, questions and checklist options are the product's own bank (audits/bank.py).
GRADE_WEIGHTS = [10, 45, 30, 10, 5]
YPN_WEIGHTS = [55, 25, 15, 5]

EVIDENCE = [
    "The record shows a clear chronology agreed with partners at the strategy discussion.",
    "Wishes and feelings were recorded at each visit and shaped the plan.",
    "The referral was made promptly but the outcome was not fed back to the school.",
    "Parental mental health was noted but not explored with the adult service.",
    "The plan was reviewed at the Team Around the Family meeting with good attendance.",
    "Information from the GP arrived after the assessment had closed.",
    "Escalation was used appropriately and resolved within a week.",
    "Siblings' needs were not separated out in the assessment.",
    "The practitioner challenged the decision and recorded the reasons well.",
    "Waiting time for the service was long and the family disengaged.",
]


def write_answers(
    *,
    items: list,
    audit_by_id: dict,
    return_rows: list[tuple[int, str, int]],
    business_of: dict[int, int],
    R: Callable[[str, int], random.Random],
    now: datetime.datetime,
) -> tuple[int, int]:
    """Answers for every started return (all items once submitted, some while in progress),
    with moderated grades in audits past moderation. Returns (answers, ticks) written."""
    from django.db import connection, transaction

    from audits.models import Answer, AnswerTick, Audit, Grade, Return, YesPartlyNo

    grades = list(Grade.values)
    yes_partly_no = list(YesPartlyNo.values)
    answer_id = next_id(Answer, connection)
    answer_cols = [
        "id",
        "audit_return_id",
        "item_id",
        "choice",
        "number",
        "text",
        "evidence",
        "moderated_choice",
        "moderation_reason",
        "moderated_by_id",
        "moderated_at",
    ]
    tick_rows: list[tuple] = []
    # One COPY at a time per connection: answers first, then their ticks.
    with transaction.atomic():
        with Copier(Answer, answer_cols, connection) as answers_out:
            for return_id, status, audit_id in return_rows:
                if status == Return.Status.NOT_STARTED:
                    continue
                rng = R("answers", int(audit_by_id[audit_id].title[1:4]))
                if status == Return.Status.IN_PROGRESS:
                    answered = items[: rng.randint(1, len(items))]
                else:
                    answered = items
                moderated = audit_by_id[audit_id].status not in {
                    Audit.Status.OPEN,
                    Audit.Status.PLANNED,
                }
                for item in answered:
                    choice = number = ""
                    text = evidence = mchoice = mreason = ""
                    mby = mat = None
                    number = None
                    kind = item.kind
                    if kind == "grade":
                        choice = rng.choices(grades, GRADE_WEIGHTS)[0]
                        if rng.random() < 0.3:
                            evidence = rng.choice(EVIDENCE)
                        if moderated and choice != "not_applicable" and rng.random() < 0.03:
                            mchoice = rng.choice(grades[:4])
                            mreason = "Agreed at the moderation meeting."
                            mby, mat = business_of[audit_id], now
                    elif kind == "yes_partly_no":
                        choice = rng.choices(yes_partly_no, YPN_WEIGHTS)[0]
                        if rng.random() < 0.15:
                            evidence = rng.choice(EVIDENCE)
                    elif kind == "checklist":
                        for option in item.options:
                            if rng.random() < 0.3:
                                tick_rows.append((answer_id, option))
                    elif kind == "number":
                        number = rng.randint(0, 20)
                    else:
                        text = rng.choice(EVIDENCE)
                    answers_out.write(
                        (
                            answer_id,
                            return_id,
                            item.pk,
                            choice,
                            number,
                            text,
                            evidence,
                            mchoice,
                            mreason,
                            mby,
                            mat,
                        )
                    )
                    answer_id += 1
        n_answers = answers_out.count
        with Copier(AnswerTick, ["answer_id", "option"], connection) as ticks_out:
            for row in tick_rows:
                ticks_out.write(row)
        n_ticks = ticks_out.count
    reset_sequence(Answer, connection)
    return n_answers, n_ticks
