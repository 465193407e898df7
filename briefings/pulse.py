"""The short pulse after a briefing: three questions to the practitioners who attended its
learning events, on the survey machinery (surveys/), one batch of codes per agency sized by
the attendance the agency recorded. Nobody is named: the agency is the only grouping, and the
board sees responses by agency, with the partnership's small-number suppression.

The briefing layer knows the learning events, so it asks the survey layer to make the survey
and its batches (surveys never imports briefings).
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from auditportal.auditlog import audit_log
from auditportal.figures import count_display
from cases.models import Agency
from surveys import issuing
from surveys import services as surveys
from surveys.letters import letters_for
from surveys.models import Survey
from surveys.selectors import pulses_by_agency

from .models import Briefing, BriefingUse


@dataclass(frozen=True)
class AgencyLinks:
    agency: Agency
    attended: int
    links: list[str]


@transaction.atomic
def pulse_send(*, briefing: Briefing, actor: Any) -> tuple[Survey, list[AgencyLinks]]:
    """Make and open the pulse of a published briefing, with one batch of codes per agency
    that recorded a learning event. The links are returned once, for the agencies to pass on."""
    if briefing.status != Briefing.Status.PUBLISHED:
        raise ValidationError("Publish the briefing first: the pulse asks about it.")
    if Survey.objects.filter(audit=briefing.audit_id, audience=Survey.Audience.PRACTITIONERS):
        raise ValidationError("The pulse of this briefing has been sent already.")
    attended = list(
        BriefingUse.objects.filter(briefing=briefing)
        .values("agency")
        .annotate(staff=Sum("staff_reached"))
        .order_by("agency__name")
    )
    attended = [row for row in attended if row["staff"]]
    if not attended:
        raise ValidationError(
            "No learning event of this briefing has been recorded yet: the pulse goes to the "
            "practitioners who attended one."
        )
    survey = surveys.survey_create(
        audit=briefing.audit, audience=Survey.Audience.PRACTITIONERS, actor=actor
    )
    survey = surveys.survey_open(survey=survey, actor=actor)
    agencies = Agency.objects.in_bulk([row["agency"] for row in attended])
    sent = []
    for row in attended:
        agency = agencies[row["agency"]]
        size = min(row["staff"], issuing.MAX_BATCH)
        _, codes = issuing.batch_issue(
            survey=survey,
            label=f"{agency.name}, after the briefing",
            size=size,
            request_key=f"pulse-{briefing.pk}-{agency.pk}",
            agency=agency,
            actor=actor,
        )
        sent.append(
            AgencyLinks(agency, row["staff"], [letter.link for letter in letters_for(codes)])
        )
    audit_log(
        actor=actor, code="briefing.pulse_sent", target=briefing,
        changes={"survey": survey.pk, "agencies": len(sent)},
    )  # fmt: skip
    return survey, sent


@dataclass(frozen=True)
class PulseReach:
    briefing_title: str
    rows: list[tuple[str, int, str]]  # agency, codes issued, responses (suppressed)


def pulse_reach(*, suppress_below: int) -> list[PulseReach]:
    """Responses to each published briefing's pulse by agency, for the board: counts only,
    with small-number suppression (three queries however many pulses)."""
    sent = list(
        Survey.objects.filter(
            audience=Survey.Audience.PRACTITIONERS,
            audit__briefing__status=Briefing.Status.PUBLISHED,
        )
        .select_related("audit__briefing")
        .order_by("-audit__briefing__published_at", "pk")
    )
    by_agency = pulses_by_agency([survey.pk for survey in sent])
    return [
        PulseReach(
            survey.audit.briefing.title,
            [
                (name, issued, count_display(count, suppress_below))
                for name, issued, count in by_agency[survey.pk]
            ],
        )
        for survey in sent
    ]
