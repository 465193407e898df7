"""The kinds of key event the question bank offers by default. Starting data like the default
bank (audits/bank.py): the business team renames, reorders and retires them in the
administration; loading again adds what is missing and changes nothing that exists."""

from django.db import transaction

from .event_models import EventKind

CASE_CLOSED = "case-closed"

DEFAULT_EVENT_KINDS: list[tuple[str, str]] = [
    ("referral", "Referral"),
    ("assessment", "Assessment"),
    ("strategy-discussion", "Strategy discussion"),
    ("taf-meeting", "Team around the family (TAF) meeting"),
    ("cp-conference", "Child protection conference"),
    ("core-group", "Core group meeting"),
    ("home-visit", "Home visit"),
    ("school-exclusion", "School exclusion"),
    ("missing-episode", "Missing episode"),
    ("ae-attendance", "A&E attendance"),
    ("police-incident", "Police incident"),
    ("transfer-in", "Transfer in from another area"),
    (CASE_CLOSED, "Case closed"),
    ("other", "Other"),
]


@transaction.atomic
def load_event_kinds() -> int:
    """Create any default kind that is missing; touch nothing that exists. Returns how many."""
    created = 0
    for order, (key, name) in enumerate(DEFAULT_EVENT_KINDS):
        if EventKind.objects.filter(key=key).exists():
            continue
        _, made = EventKind.objects.get_or_create(
            name=name, defaults={"key": key, "order": order * 10}
        )
        created += int(made)
    return created
