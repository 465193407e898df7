"""The generator's findings, actions, engagement, quotes and published briefings, for the
audits past moderation (findings from moderation on)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from bench.rows import BATCH

FINDINGS = [
    "Agencies shared information quickly once a concern was raised.",
    "The child's lived experience is visible in most records.",
    "Multi-agency chronologies were missing in several cases.",
    "Feedback to referrers was inconsistent across agencies.",
    "Escalation routes are known and used.",
    "Fathers and other adults in the household were rarely assessed.",
]
ACTIONS = [
    "Refresh the multi-agency chronology guidance and brief team managers.",
    "Add feedback to referrers to the front-door audit cycle.",
    "Run a practice week on the voice of the child.",
    "Review the escalation policy with the education sub-group.",
]


def write_findings(
    *,
    audits: list,
    audit_by_id: dict,
    items: list,
    anchor: datetime.date,
    by_partnership: dict[int, list],
    subgroups: dict[int, list[int]],
    business_of: dict[int, int],
    R: Callable[[str, int], random.Random],
    now: datetime.datetime,
) -> dict[str, int]:
    """Returns the counts of findings, actions and briefings written."""
    from audits.models import Audit
    from briefings.models import Briefing, BriefingVersion
    from findings.models import Action, Engagement, Finding, Quote

    audit_ids = list(audit_by_id)
    theme_ids = sorted({item.theme_id for item in items})
    after = {
        Audit.Status.FINDINGS_AGREED,
        Audit.Status.PUBLISHED,
        Audit.Status.CLOSED,
    }
    findings, actions, engagements, quotes, briefings = [], [], [], [], []
    for audit in audits:
        p = int(audit.title[1:4])
        rng = R("findings", p)
        if audit.status not in after and audit.status != Audit.Status.MODERATION:
            continue
        for n in range(rng.randint(3, 8)):
            findings.append(
                Finding(
                    audit=audit,
                    theme_id=rng.choice(theme_ids),
                    kind=rng.choice(["strength", "development"]),
                    text=rng.choice(FINDINGS),
                    order=n,
                    created_by_id=business_of[audit.pk],
                )
            )
        if audit.status not in after:
            continue
        for _n in range(rng.randint(2, 5)):
            due = audit.returns_due + datetime.timedelta(days=rng.randint(30, 240))
            if due < anchor:
                status = rng.choices(["done", "in_progress", "open"], [70, 20, 10])[0]
            else:
                status = rng.choices(["done", "in_progress", "open"], [10, 40, 50])[0]
            by_agency = rng.random() < 0.6
            actions.append(
                Action(
                    audit=audit,
                    text=rng.choice(ACTIONS),
                    section=rng.choice(["will_do", "next_step"]),
                    owner_agency_id=rng.choice(by_partnership[p]).pk if by_agency else None,
                    owner_subgroup_id=None if by_agency else rng.choice(subgroups[p]),
                    due_date=due,
                    status=status,
                    completion_evidence="Briefed at the team meeting." if status == "done" else "",
                    completed_at=now if status == "done" else None,
                    created_by_id=business_of[audit.pk],
                )
            )
        if audit.kind == Audit.Kind.DEEP_DIVE:
            shared = rng.randint(5, 40)
            pshared = rng.randint(5, 40)
            engagements.append(
                Engagement(
                    audit=audit,
                    cyp_shared=shared,
                    cyp_responses=rng.randint(0, shared),
                    parent_shared=pshared,
                    parent_responses=rng.randint(0, pshared),
                )
            )
            quotes.append(
                Quote(
                    audit=audit,
                    text="They listened to what I wanted.",
                    source_label="young person, deep dive",
                    consent=True,
                )
            )
        if audit.status in {Audit.Status.PUBLISHED, Audit.Status.CLOSED}:
            briefings.append(
                Briefing(
                    audit=audit,
                    title=f"7-point briefing: {audit.title}",
                    summary=audit.key_question,
                    status=Briefing.Status.PUBLISHED,
                    author_id=business_of[audit.pk],
                    published_at=now,
                )
            )
    Finding.objects.bulk_create(findings, batch_size=BATCH)
    Action.objects.bulk_create(actions, batch_size=BATCH)
    Engagement.objects.bulk_create(engagements, batch_size=BATCH)
    Quote.objects.bulk_create(quotes, batch_size=BATCH)
    Briefing.objects.bulk_create(briefings, batch_size=BATCH)
    briefings = list(Briefing.objects.filter(audit_id__in=audit_ids).order_by("pk"))
    BriefingVersion.objects.bulk_create(
        [
            BriefingVersion(
                briefing=b,
                number=1,
                status=BriefingVersion.Status.READY,
                content={"title": b.title},
                page_count=2,
                created_by_id=b.author_id,
                finished_at=now,
            )
            for b in briefings
        ],
        batch_size=BATCH,
    )
    versions = dict(
        BriefingVersion.objects.filter(briefing__in=briefings).values_list("briefing_id", "pk")
    )
    for b in briefings:
        b.published_version_id = versions[b.pk]
    Briefing.objects.bulk_update(briefings, ["published_version"], batch_size=BATCH)
    # Findings concern one or two agencies (the M2M through table).
    through = Finding.agencies.through
    finding_rows = Finding.objects.filter(audit_id__in=audit_ids).values_list("pk", "audit_id")
    links = []
    for finding_id, audit_id in finding_rows:
        p = int(audit_by_id[audit_id].title[1:4])
        rng = R("links", p)
        for agency in rng.sample(by_partnership[p], rng.randint(0, 2)):
            links.append(through(finding_id=finding_id, agency_id=agency.pk))
    through.objects.bulk_create(links, batch_size=BATCH)
    return {"findings": len(findings), "actions": len(actions), "briefings": len(briefings)}
