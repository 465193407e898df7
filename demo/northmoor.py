"""The second demo partnership, Northmoor: a small tenant beside Riverbend with its own
agencies, users, question bank (seeded from the default bank) and one open audit. Its users
cannot sign in on Riverbend's address, and no page of one shows the other's data.
Idempotent, like the rest of the demo."""

import datetime

from django.utils import timezone

from accounts.models import User
from audits.bank import load_bank
from audits.event_bank import load_event_kinds
from audits.models import Audit, Question, QuestionSet, Return, SampleCase
from audits.services.programme import questionset_create, questionset_freeze
from cases.models import Agency, Case, CaseAgency, Membership, RecordReference

from .users import DEMO_PASSWORD

AGENCIES = [
    ("Northmoor Children's Services", "NCS", Agency.Sector.SOCIAL_CARE),
    ("Northmoor Police", "NPolice", Agency.Sector.POLICE),
    ("Northmoor Community Health", "NHealth", Agency.Sector.HEALTH),
]
# username, first, last, role, agency short name or "", job title
USERS = [
    ("nm.business", "Ruth", "Ainsley", User.Role.BUSINESS, "", "Partnership manager"),
    ("nm.practitioner", "Kofi", "Mensah", User.Role.PRACTITIONER, "NCS", "Practice lead"),
    ("nm.police", "Jo", "Varley", User.Role.PRACTITIONER, "NPolice", "Detective constable"),
    ("nm.board", "Martin", "Hale", User.Role.BOARD, "", "Board chair"),
]
AUDIT = "Northmoor multi-agency audit: neglect in under-fives"
CHILDREN = ["NM1", "NM2"]


def _users(agencies: dict[str, Agency]) -> dict[str, User]:
    users = {}
    for username, first, last, role, short, title in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@northmoor.example",
                "role": role,
                "job_title": title,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if short:
            Membership.objects.get_or_create(
                user=user, agency=agencies[short], defaults={"is_lead": True}
            )
        users[username] = user
    return users


def load() -> list[User]:
    """Inside Northmoor's partnership context (demo/loader.py)."""
    agencies = {}
    for name, short, sector in AGENCIES:
        agencies[short], _ = Agency.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "sector": sector,
                "safeguarding_lead_email": f"safeguarding.{short.lower()}@northmoor.example",
            },
        )
    users = _users(agencies)
    load_bank()  # Northmoor's own bank, seeded from the default one
    load_event_kinds()  # and its own kinds of key event
    business = users["nm.business"]
    question_set = QuestionSet.objects.filter(name="Northmoor audit set").first()
    if question_set is None:
        question_set = questionset_create(
            actor=business,
            name="Northmoor audit set",
            description="Every question of the default bank.",
            questions=Question.objects.filter(key__gt="", active=True),
        )
        questionset_freeze(question_set=question_set, at=timezone.now())
    today = timezone.localdate()
    audit, _ = Audit.objects.get_or_create(
        title=AUDIT,
        defaults={
            "question_set": question_set,
            "created_by": business,
            "priority": "Neglect",
            "key_question": "Do agencies recognise neglect of young children early enough?",
            "scope": "Two children under five open to children's services.",
            "methodology": "Each involved agency audits its own records.",
            "status": Audit.Status.OPEN,
            "returns_open": today - datetime.timedelta(days=3),
            "returns_due": today + datetime.timedelta(days=18),
            "opened_at": timezone.now(),
        },
    )
    assignees = {"NCS": users["nm.practitioner"], "NPolice": users["nm.police"]}
    for pseudonym in CHILDREN:
        case, _ = Case.objects.get_or_create(
            pseudonym=pseudonym,
            defaults={
                "age_band": Case.AgeBand.AGE_1_4,
                "gender": Case.Gender.MALE if pseudonym == "NM1" else Case.Gender.FEMALE,
                "level_of_need": Case.LevelOfNeed.CHILD_IN_NEED,
            },
        )
        sample, _ = SampleCase.objects.get_or_create(audit=audit, case=case)
        for short, assignee in assignees.items():
            involvement, _ = CaseAgency.objects.get_or_create(case=case, agency=agencies[short])
            sample.involvements.add(involvement)
            RecordReference.objects.get_or_create(
                involvement=involvement, defaults={"reference": f"{short}-{pseudonym}-7731"}
            )
            Return.objects.get_or_create(
                audit=audit, case=case, agency=agencies[short], defaults={"assignee": assignee}
            )
    return list(users.values())
