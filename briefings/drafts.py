"""Saving the composer's text as it is typed (autosave and "Save briefing"), with the same
guarantee as returns: a save made from an older copy than the one saved is refused, named,
and writes nothing, so two business-team members never overwrite each other silently."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from findings.models import Quote, Resource

from . import services
from .data import SECTION_FIELDS
from .models import Briefing
from .rules import may_compose_briefing

TOGGLES = (
    "show_grade_chart",
    "show_risk_factors",
    "show_zero_factors",
    "show_engagement",
    "show_quotes",
)
# Every value the composer saves, in the page's order (the conflict message lists them so).
DRAFT_FIELDS = ("title", *SECTION_FIELDS, *TOGGLES, "quotes", "resources")


def _normal(field: str, value: object) -> object:
    """A value as the comparison sees it: text without the browser's CR and edge spaces,
    choices as a set of ids."""
    if field in {"quotes", "resources"}:
        return frozenset(getattr(item, "pk", item) for item in (value or ()))  # type: ignore[attr-defined]
    if field in TOGGLES:
        return bool(value)
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def draft_values(briefing: Briefing) -> dict[str, object]:
    """What the briefing holds now, field by field, comparable with a typed copy."""
    values: dict[str, object] = {
        field: _normal(field, getattr(briefing, field))
        for field in DRAFT_FIELDS
        if field not in {"quotes", "resources"}
    }
    values["quotes"] = _normal("quotes", briefing.quotes.values_list("pk", flat=True))
    values["resources"] = _normal("resources", briefing.resources.values_list("pk", flat=True))
    return values


class BriefingConflict(ValidationError):
    """Someone saved the briefing since this copy was loaded: nothing was written. `changed`
    names the fields whose saved value differs from the copy this page started from, and
    `saved` holds what is saved now, so the page can show both texts and let the user choose."""

    def __init__(self, *, briefing: Briefing, changed: list[str], actor: User):
        when = timezone.localtime(briefing.updated_at).strftime("%H:%M on %d %b %Y")
        self.same_user = briefing.updated_by_id == actor.pk
        if self.same_user:
            message = (
                f"This briefing was saved in another tab or window at {when}, after this page "
                "was opened. The changes on this page were not saved, so nothing saved there "
                "was overwritten."
            )
        else:
            who = briefing.updated_by or "someone"
            message = (
                f"{who} saved this briefing at {when}, after you opened it. Your changes were "
                "not saved, so nothing of theirs was overwritten."
            )
        super().__init__(message, code="conflict")
        self.briefing = briefing
        self.changed = changed
        self.current_version = briefing.edit_version


@transaction.atomic
def briefing_save_draft(
    *,
    briefing: Briefing,
    actor: User,
    base_version: int,
    values: Mapping[str, object],
    resources: Iterable[Resource],
    quotes: Iterable[Quote],
    base_values: Mapping[str, object] | None = None,
) -> Briefing:
    """Save the composer's text and choices, only if nobody saved since `base_version`.

    The check and increment is one conditional UPDATE (`WHERE edit_version = base`), so of two
    saves from the same copy exactly one wins; the other raises BriefingConflict naming the
    fields that differ from what that user started from (`base_values`, as the page loaded
    them, when it sends them; else what they tried to save). A refused or invalid save
    changes nothing: the increment is rolled back with the rest of the transaction.
    """
    if not may_compose_briefing.test(actor):
        raise PermissionDenied("Only the business team can do this.")
    resources, quotes = list(resources), list(quotes)
    won = Briefing.objects.filter(pk=briefing.pk, edit_version=base_version).update(
        edit_version=F("edit_version") + 1, updated_by=actor
    )
    if not won:
        current = Briefing.objects.select_related("updated_by").get(pk=briefing.pk)
        saved = draft_values(current)
        typed = {**values, "resources": resources, "quotes": quotes}
        reference = base_values if base_values is not None else typed
        changed = [
            field
            for field in DRAFT_FIELDS
            if field in reference and saved[field] != _normal(field, reference[field])
        ]
        raise BriefingConflict(briefing=current, changed=changed, actor=actor)
    saved_briefing = services.briefing_update(
        briefing=briefing, actor=actor, resources=resources, quotes=quotes, **values
    )
    saved_briefing.refresh_from_db(fields=["edit_version", "updated_by", "updated_at"])
    return saved_briefing
