"""Edits of a briefing's text, one after another: every save raises the briefing's edit
version, and the composer's save (autosave and "Save briefing") is refused when it was made
from an older copy than the one saved: the same guarantee as returns, so two business-team
members never overwrite each other silently. Used by composing.briefing_update."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from accounts.models import User

from ..data import SECTION_FIELDS
from ..models import Briefing

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


def edit_claim(
    *,
    briefing: Briefing,
    actor: User,
    base_version: int | None,
    typed: Mapping[str, object],
    base_values: Mapping[str, object] | None = None,
) -> None:
    """Claim the next edit of the briefing, inside the caller's transaction: raise its edit
    version, only from `base_version` when one is given (the composer's copy).

    The check and increment is one conditional UPDATE (`WHERE edit_version = base`), so of two
    saves from the same copy exactly one wins; the other raises BriefingConflict naming the
    fields that differ from what that user started from (`base_values`, as the page loaded
    them, when it sends them; else what they tried to save, `typed`). A save refused later in
    the same transaction rolls the increment back with it.
    """
    claimed = Briefing.objects.filter(pk=briefing.pk)
    if base_version is not None:
        claimed = claimed.filter(edit_version=base_version)
    if claimed.update(edit_version=F("edit_version") + 1, updated_by=actor):
        return
    current = Briefing.objects.select_related("updated_by").get(pk=briefing.pk)
    saved = draft_values(current)
    reference = base_values if base_values is not None else typed
    changed = [
        field
        for field in DRAFT_FIELDS
        if field in reference and saved[field] != _normal(field, reference[field])
    ]
    raise BriefingConflict(briefing=current, changed=changed, actor=actor)
